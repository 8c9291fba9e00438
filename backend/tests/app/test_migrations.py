"""The app's database is upgraded at start-up: one left by release 0e445d9 keeps its profiles, and
its sessions, which hold the auth server's tokens in clear, are ended (revision 0004: a browser signs in
again); the revisions build the models' schema."""

import pytest
from sqlalchemy import text

import backend.app
from backend.app import create_app
from backend.app.db import db
from backend.app.profiles import UserProfile

from ..schema_history import (
    back_to_release_0e445d9,
    current_revision,
    differences_after_every_revision,
    insert_rows,
    newest_revision,
)
from .conftest import follow_sign_in

SESSION_COOKIE = "app_session"


@pytest.fixture
def database_url(databases) -> str:
    """A database no test used before: these tests are about how one is made and upgraded."""
    return databases.url("app")


@pytest.mark.parametrize("versioned", [False, True], ids=["made-by-create_all", "at-revision-0001"])
def test_a_database_of_release_0e445d9_upgrades_keeps_its_profiles_and_ends_its_sessions_in_clear(
    signed_in, app, app_config, fake_auth, versioned
):
    url = app_config["APP_DATABASE_URL"]
    me_before = signed_in.get("/api/me").json
    with app.app_context():
        session_id, created = db.session.execute(text("SELECT id, created FROM app_sessions")).one()
    back_to_release_0e445d9(backend.app, db, url, versioned)
    with app.app_context():
        # That release would send the encrypted tokens as they are: the downgrade ended the session.
        assert db.session.execute(text("SELECT count(*) FROM app_sessions")).scalar() == 0
    # The browser's session as that release wrote it: the auth server's tokens in clear.
    [access_token] = fake_auth.tokens
    [refresh_token] = fake_auth.refresh_tokens
    insert_rows(
        url,
        "app_sessions",
        {
            "id": session_id,
            "user_id": me_before["id"],
            "email": me_before["email"],
            "access_token": access_token,
            "refresh_token": refresh_token,
            "created": created,
        },
    )

    upgraded = create_app(app_config)
    browser = upgraded.test_client()
    browser.set_cookie(SESSION_COOKIE, signed_in.get_cookie(SESSION_COOKIE).value)

    assert current_revision(backend.app, db, url) == newest_revision(backend.app, db, url)
    with upgraded.app_context():
        assert db.session.execute(text("SELECT count(*) FROM app_sessions")).scalar() == 0
        assert db.session.get(UserProfile, me_before["id"]) is not None
    assert browser.get("/api/me").status_code == 401
    assert follow_sign_in(browser).status_code == 302
    assert browser.get("/api/me").json == me_before


def test_a_new_database_is_at_the_newest_revision(app, app_config):
    url = app_config["APP_DATABASE_URL"]
    assert current_revision(backend.app, db, url) == newest_revision(backend.app, db, url)


def test_the_revisions_build_the_tables_of_the_models(databases):
    """A column added to a model without a revision fails here (``flask db revision --autogenerate``)."""
    assert differences_after_every_revision(backend.app, db, databases.url("migrated")) == []
