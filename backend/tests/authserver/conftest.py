"""Fixtures: an auth server app with a temporary database, the resources manifest.py would apply, users."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

import backend.authserver
from backend.authserver import create_app
from backend.common import totp
from backend.tests.support import CHEAP_PASSWORD_HASH

from .helpers import ADMIN_AUTH, APP_CALLBACK, APP_SECRET, FRONTEND_AUTH, Admin


@pytest.fixture
def db_dir(tmp_path):
    """Where the test database lives: RAM (/dev/shm) when there is one, so commits cost no disk sync."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    directory = Path(tempfile.mkdtemp(prefix="authserver-test-", dir=shm))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def database_url(databases, db_dir) -> str:
    """The auth server's database: create_app brings it to the newest revision (see databases.py)."""
    return databases.reused_url(backend.authserver, db_dir)


@pytest.fixture
def config(database_url, clock):
    return {
        "TESTING": True,
        "AUTH_SECRET_KEY": "test-secret-key",
        "AUTH_ENCRYPTION_KEY": "test-encryption-key-0123456789abcdef",
        "ADMIN_CLIENT_ID": ADMIN_AUTH[0],
        "ADMIN_CLIENT_SECRET": ADMIN_AUTH[1],
        "AUTH_DATABASE_URL": database_url,
        "AUTH_SERVER_URL": "http://localhost",
        "CLOCK": clock,
        **CHEAP_PASSWORD_HASH,
    }


def seed(admin: Admin) -> None:
    """The resources manifest.py applies (webhook endpoint pointed nowhere until a test sets it)."""
    admin.put(
        "AuthConfig",
        "app",
        {
            "twoFactor": {"issuerName": "Demo", "validPastTokensCount": 5},
            "theme": {"title": "Two-factor demo"},
        },
    )
    admin.put(
        "Client",
        "web",
        {
            "first_party": True,
            "grant_types": ["implicit"],
            "auth": {"implicit": {"redirect_uri": FRONTEND_AUTH}},
        },
    )
    admin.put(
        "Client",
        "two-factor-app",
        {
            "secret": APP_SECRET,
            "first_party": True,
            "grant_types": ["authorization_code", "refresh_token"],
            "auth": {"authorization_code": {"redirect_uri": APP_CALLBACK, "pkce": True}},
        },
    )
    admin.put("Client", "two-factor-webhook", {"secret": "webhook-secret", "grant_types": ["basic"]})
    admin.put(
        "AidboxConfig", "provider", {"provider": {"console": {"type": "console"}, "default": "console"}}
    )


@pytest.fixture
def app(config):
    app = create_app(config)
    seed(Admin(app.test_client()))
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(app) -> Admin:
    return Admin(app.test_client())


@pytest.fixture
def user(admin) -> dict:
    """ann@example.com, password 'correct horse', two-factor off."""
    return admin.create_user("ann@example.com", "correct horse")


@pytest.fixture
def totp_user(admin) -> dict:
    """bob@example.com with an authenticator app (TOTP) enabled; ``secret`` is its key."""
    secret = totp.new_secret()
    user = admin.create_user(
        "bob@example.com", "correct horse", twoFactor={"enabled": True, "secretKey": secret}
    )
    return {**user, "secret": secret}
