"""The app's database is upgraded at start-up: one left by release 0e445d9 keeps its sessions and
profiles (a signed-in browser stays signed in); the revisions build the models' schema."""

import pytest

import backend.app
from backend.app import create_app
from backend.app.db import db

from ..schema_history import (
    back_to_release_0e445d9,
    current_revision,
    differences_after_every_revision,
    newest_revision,
)

SESSION_COOKIE = "app_session"


@pytest.fixture
def database_url(databases) -> str:
    """A database no test used before: these tests are about how one is made and upgraded."""
    return databases.url("app")


@pytest.mark.parametrize("versioned", [False, True], ids=["made-by-create_all", "at-revision-0001"])
def test_a_database_of_release_0e445d9_upgrades_and_a_signed_in_browser_stays_signed_in(
    signed_in, app_config, versioned
):
    url = app_config["APP_DATABASE_URL"]
    me_before = signed_in.get("/api/me").json
    back_to_release_0e445d9(backend.app, db, url, versioned)

    browser = create_app(app_config).test_client()
    browser.set_cookie(SESSION_COOKIE, signed_in.get_cookie(SESSION_COOKIE).value)

    assert current_revision(backend.app, db, url) == newest_revision(backend.app, db, url)
    me = browser.get("/api/me")
    assert me.status_code == 200 and me.json == me_before


def test_a_new_database_is_at_the_newest_revision(app, app_config):
    url = app_config["APP_DATABASE_URL"]
    assert current_revision(backend.app, db, url) == newest_revision(backend.app, db, url)


def test_the_revisions_build_the_tables_of_the_models(databases):
    """A column added to a model without a revision fails here (``flask db revision --autogenerate``)."""
    assert differences_after_every_revision(backend.app, db, databases.url("migrated")) == []
