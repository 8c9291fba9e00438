"""App fixtures: a served fake auth server, the app wired to it, a signed-in client."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
import requests

import backend.app
from backend.app import create_app
from backend.app.settings import ENV_NAMES
from backend.tests.support import ServedApp

from . import fake_authserver
from .fake_authserver import FakeAuthServer

APP_URL = "http://app.test"
FRONTEND_URL = "http://frontend.test"
WEBHOOK = ("two-factor-webhook", "webhook-secret")


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch):
    """The developer's shell must not leak into app tests: everything comes from ``config``."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


class _Current:
    """The WSGI app of whichever FakeAuthServer the running test made."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def _served_fake():
    # One server for the whole run (shutting one down costs half a second); a fresh fake per test.
    current = _Current()
    served = ServedApp(current)
    yield current, served.url
    served.close()


@pytest.fixture
def fake_auth(_served_fake, clock):
    current, url = _served_fake
    fake = FakeAuthServer(clock=clock)
    fake.url = url
    current.app = fake.app
    yield fake
    current.app = None


@pytest.fixture
def database_url(databases) -> str:
    """The app's database: create_app brings it to the newest revision (see databases.py)."""
    return databases.reused_url(backend.app)


@pytest.fixture
def app_config(tmp_path, fake_auth, clock, database_url) -> dict:
    return {
        "AUTH_SERVER_URL": fake_auth.url,
        "APP_URL": APP_URL,
        "FRONTEND_URL": FRONTEND_URL,
        "ADMIN_CLIENT_ID": fake_authserver.ADMIN[0],
        "ADMIN_CLIENT_SECRET": fake_authserver.ADMIN[1],
        "APP_CLIENT_ID": fake_authserver.CLIENT[0],
        "APP_CLIENT_SECRET": fake_authserver.CLIENT[1],
        "WEBHOOK_CLIENT_ID": WEBHOOK[0],
        "WEBHOOK_CLIENT_SECRET": WEBHOOK[1],
        "APP_SECRET_KEY": "test-secret-key-0123456789",
        "APP_DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path),
        "CLOCK": clock,
    }


@pytest.fixture
def app(app_config):
    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


def follow_sign_in(client, start: str = "/login"):
    """Drive /login → auth server → /auth/callback; the callback's response is returned."""
    response = client.get(start)
    assert response.status_code == 302, response.data
    at_auth_server = requests.get(response.location, allow_redirects=False, timeout=10)
    assert at_auth_server.status_code == 302
    callback = urlsplit(at_auth_server.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}" == APP_URL
    return client.get(f"{callback.path}?{callback.query}")


@pytest.fixture
def signed_in(client):
    """The test client after a full code + PKCE sign-in of the fake's user."""
    response = follow_sign_in(client)
    assert response.status_code == 302
    return client


def closed_port_url() -> str:
    """A local URL where nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def smtp_settings(smtp_sink) -> dict:
    """The app's settings for sending email to the local SMTP sink."""
    return {"SMTP_HOST": smtp_sink.host, "SMTP_PORT": str(smtp_sink.port), "SMTP_FROM": "d@x.test"}


def post_json(client, path: str, body=None, method: str = "post", **kwargs):
    return getattr(client, method)(path, json={} if body is None else body, **kwargs)
