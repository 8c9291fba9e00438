"""The auth server over real HTTP: cookies, redirects and the token endpoint as clients see them."""

import re
import subprocess
import sys
from html import unescape
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

from backend.authserver import create_app
from backend.tests.support import ServedApp

from .conftest import seed
from .helpers import APP_CALLBACK, APP_SECRET, Admin, code_query, pkce_pair


@pytest.fixture
def served(config):
    app = create_app(config)
    seed(Admin(app.test_client()))
    Admin(app.test_client()).create_user("ann@example.com", "correct horse")
    server = ServedApp(app)
    yield server
    server.close()


def test_code_flow_over_http(served):
    browser = requests.Session()
    verifier, challenge = pkce_pair()
    page = browser.get(f"{served.url}/auth/authorize?" + urlencode(code_query(challenge, state="http")))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)

    response = browser.post(
        urljoin(served.url, action),
        data={"csrf_token": csrf, "email": "ann@example.com", "password": "correct horse"},
        allow_redirects=False,
    )
    assert response.status_code == 303
    assert "HttpOnly" in response.headers["Set-Cookie"]
    location = response.headers["Location"]
    assert location.startswith(APP_CALLBACK + "?")
    params = parse_qs(urlsplit(location).query)
    assert params["state"] == ["http"]

    token = requests.post(
        f"{served.url}/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": APP_CALLBACK,
            "code_verifier": verifier,
        },
        auth=("two-factor-app", APP_SECRET),
        timeout=5,
    )
    assert token.status_code == 200 and token.headers["Cache-Control"] == "no-store"
    access = token.json()["access_token"]
    info = requests.get(
        f"{served.url}/auth/userinfo", headers={"Authorization": f"Bearer {access}"}, timeout=5
    )
    assert info.json()["email"] == "ann@example.com"
    assert (
        requests.delete(
            f"{served.url}/Session", headers={"Authorization": f"Bearer {access}"}, timeout=5
        ).status_code
        == 204
    )
    assert (
        requests.get(
            f"{served.url}/auth/userinfo", headers={"Authorization": f"Bearer {access}"}, timeout=5
        ).status_code
        == 401
    )


def test_missing_required_settings_are_named(monkeypatch, tmp_path):
    monkeypatch.delenv("ADMIN_CLIENT_SECRET", raising=False)
    monkeypatch.delenv("AUTH_SECRET_KEY", raising=False)
    monkeypatch.delenv("AUTH_ENCRYPTION_KEY", raising=False)
    key = {"AUTH_ENCRYPTION_KEY": "k" * 32}
    with pytest.raises(RuntimeError, match="Set ADMIN_CLIENT_SECRET"):
        create_app({"AUTH_SECRET_KEY": "x", "DATA_DIR": str(tmp_path), **key})
    with pytest.raises(RuntimeError, match="Set AUTH_SECRET_KEY"):
        create_app({"ADMIN_CLIENT_SECRET": "x", "DATA_DIR": str(tmp_path), **key})


def test_environment_then_config(monkeypatch, tmp_path):
    monkeypatch.setenv("ADMIN_CLIENT_SECRET", "from-env")
    monkeypatch.setenv("AUTH_SECRET_KEY", "from-env")
    monkeypatch.setenv("AUTH_ENCRYPTION_KEY", "from-env-encryption-key-0123456789")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUTH_SERVER_URL", "https://auth.example")
    app = create_app({"ADMIN_CLIENT_ID": "root"})
    assert app.config["ADMIN_CLIENT_SECRET"] == "from-env" and app.config["ADMIN_CLIENT_ID"] == "root"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'authserver.sqlite3'}"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "authserver_session"


def test_main_has_host_and_port_arguments():
    result = subprocess.run(
        [sys.executable, "-m", "backend.authserver", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert "--host" in result.stdout and "--port" in result.stdout
