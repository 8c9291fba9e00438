"""The auth server's database is upgraded at start-up: one left by release 0e445d9 keeps its users, their
second factor and recovery codes; sign-ins of that release end; the revisions build the models' schema."""

import os
import subprocess
import sys

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

import backend.authserver
from backend.authserver import create_app
from backend.authserver.extensions import db
from backend.authserver.models import CodeSend, User
from backend.authserver.two_factor.code_sends import LOGIN, resend_refusal
from backend.common import totp

from ..databases import postgres_base
from ..schema_history import (
    back_to_release_0e445d9,
    current_revision,
    differences_after_every_revision,
    insert_rows,
    newest_revision,
)
from .helpers import PASSWORD
from .test_recovery_codes import new_codes, remaining
from .test_totp_step import assert_signed_in, enter, to_step_page

OLD_TOKEN = "token-kept-in-clear-by-0e445d9"
STARTUP_SETTINGS = ("AUTH_DATABASE_URL", "AUTH_SECRET_KEY", "AUTH_ENCRYPTION_KEY", "ADMIN_CLIENT_SECRET")


@pytest.fixture
def database_url(databases, db_dir) -> str:
    """A database no test used before: these tests are about how one is made and upgraded."""
    return databases.url("authserver", db_dir)


def hash_password_as_release_0e445d9(app, user_id: str) -> None:
    """That release hashed passwords with werkzeug (argon2id came later); the user had used a code."""
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
        user.last_totp_step = 1
        db.session.commit()


def leave_as_release_0e445d9(url: str, user_id: str, sent_at: float, versioned: bool) -> None:
    """Its tables, and rows only that release could write: a sign-in with its token in clear, and a
    code send with no purpose."""
    back_to_release_0e445d9(backend.authserver, db, url, versioned)
    insert_rows(
        url,
        "login_sessions",
        {"id": "old-session", "user_id": user_id, "created_at": sent_at, "second_factor_pending": False},
    )
    insert_rows(
        url,
        "oauth2_tokens",
        {
            "user_id": user_id,
            "login_session_id": "old-session",
            "access_token": OLD_TOKEN,
            "issued_at": int(sent_at),
            "access_token_revoked_at": 0,
            "refresh_token_revoked_at": 0,
            "expires_in": 3600,
        },
    )
    insert_rows(url, "code_sends", {"user_id": user_id, "sent_at": sent_at, "delivered": True})


@pytest.mark.parametrize("versioned", [False, True], ids=["made-by-create_all", "at-revision-0001"])
def test_a_database_of_release_0e445d9_upgrades_and_its_user_signs_in_with_password_and_code(
    app, config, totp_user, clock, versioned
):
    url = config["AUTH_DATABASE_URL"]
    new_codes(app.test_client(), totp_user["id"])
    hash_password_as_release_0e445d9(app, totp_user["id"])
    leave_as_release_0e445d9(url, totp_user["id"], clock(), versioned)

    upgraded = create_app(config)

    assert current_revision(backend.authserver, db, url) == newest_revision(backend.authserver, db, url)
    client = upgraded.test_client()
    old_sign_in = client.get("/auth/userinfo", headers={"Authorization": f"Bearer {OLD_TOKEN}"})
    assert old_sign_in.status_code == 401
    assert remaining(client, totp_user["id"]) == 10
    with upgraded.app_context():
        assert db.session.scalars(select(CodeSend.purpose)).all() == [LOGIN]
        user = db.session.get(User, totp_user["id"])
        assert user.two_factor_enabled and user.two_factor["secretKey"] == totp_user["secret"]
        assert user.had_second_factor, "a code was accepted: no grace period if two-factor is turned off"
        assert resend_refusal(user, LOGIN).startswith("A code was sent moments ago.")
    assert_signed_in(client, enter(client, to_step_page(client), totp.code_at(totp_user["secret"], clock())))


def test_a_new_database_is_at_the_newest_revision(app, config):
    url = config["AUTH_DATABASE_URL"]
    assert current_revision(backend.authserver, db, url) == newest_revision(backend.authserver, db, url)


def test_the_revisions_build_the_tables_of_the_models(databases, db_dir):
    """A column added to a model without a revision fails here (``flask db revision --autogenerate``)."""
    assert differences_after_every_revision(backend.authserver, db, databases.url("migrated", db_dir)) == []


#: Imports first (a second or so), says so, then creates the app when told: all of them at one moment.
START_ON_GO = (
    "import sys; from backend.authserver import create_app; print('ready', flush=True); "
    "sys.stdin.readline(); create_app()"
)


@pytest.mark.skipif(
    postgres_base() is None, reason="the lock is PostgreSQL's (python -m backend.tests.on_postgresql)"
)
def test_instances_starting_at_once_on_one_new_postgresql_database_all_start(config):
    """Without the advisory lock, some of them fail creating the version table the others are creating."""
    environ = {**os.environ, **{name: config[name] for name in STARTUP_SETTINGS}}
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    command = [sys.executable, "-c", START_ON_GO]
    starting = [subprocess.Popen(command, env=environ, **pipes) for _ in range(4)]  # noqa: S603
    assert [process.stdout.readline() for process in starting] == ["ready\n"] * 4
    for process in starting:
        process.stdin.write("go\n")
        process.stdin.flush()
    errors = [process.communicate(timeout=120)[1] for process in starting]
    failures = [error for process, error in zip(starting, errors, strict=True) if process.returncode]
    assert failures == []
