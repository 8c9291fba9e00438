"""The app against the real backend.authserver, both served on free ports, driven like a browser.

Only this module needs backend.authserver; it is skipped when that package is not there at all
(any other import problem fails loudly).
"""

from __future__ import annotations

import base64
import importlib.util
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from urllib.parse import urljoin

import pytest
import requests

import backend.app
from backend.app import create_app
from backend.common import totp
from backend.tests.support import CHEAP_PASSWORD_HASH, ServedApp

from .conftest import FRONTEND_URL, WEBHOOK

if importlib.util.find_spec("backend.authserver") is None:
    pytest.skip("backend.authserver is not in this checkout", allow_module_level=True)

import backend.authserver  # noqa: E402
from backend.authserver import create_app as create_authserver  # noqa: E402

ADMIN = ("admin", "real-admin-secret")
APP_CLIENT = ("two-factor-app", "real-app-secret")
PASSWORD = "correct horse battery"


class _Late:
    """Serve first (to learn the port), build the app with its URL afterwards."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@contextmanager
def real_servers(
    tmp_path, databases, clock, auth_config=None, app_grant_types=(), **app_config
) -> Iterator[tuple[str, str]]:
    """The real auth server and the app on free ports, the manifest applied: (auth URL, app URL).

    ``auth_config`` adds to the auth server's settings; ``app_grant_types`` to the app Client's grants."""
    auth_late, app_late = _Late(), _Late()
    auth_served, app_served = ServedApp(auth_late), ServedApp(app_late)
    auth_late.app = create_authserver(
        {
            "AUTH_SECRET_KEY": "real-auth-secret-key",
            "AUTH_ENCRYPTION_KEY": "real-encryption-key-0123456789abcdef",
            "ADMIN_CLIENT_ID": ADMIN[0],
            "ADMIN_CLIENT_SECRET": ADMIN[1],
            "AUTH_DATABASE_URL": databases.reused_url(backend.authserver),
            "AUTH_SERVER_URL": auth_served.url,
            "DATA_DIR": str(tmp_path),
            "CLOCK": clock,
            **CHEAP_PASSWORD_HASH,
            **(auth_config or {}),
        }
    )
    app_late.app = create_app(
        {
            "AUTH_SERVER_URL": auth_served.url,
            "APP_URL": app_served.url,
            "FRONTEND_URL": FRONTEND_URL,
            "ADMIN_CLIENT_ID": ADMIN[0],
            "ADMIN_CLIENT_SECRET": ADMIN[1],
            "APP_CLIENT_ID": APP_CLIENT[0],
            "APP_CLIENT_SECRET": APP_CLIENT[1],
            "WEBHOOK_CLIENT_ID": WEBHOOK[0],
            "WEBHOOK_CLIENT_SECRET": WEBHOOK[1],
            "APP_SECRET_KEY": "real-app-secret-key",
            "APP_DATABASE_URL": databases.reused_url(backend.app),
            "DATA_DIR": str(tmp_path),
            "CLOCK": clock,
            **app_config,
        }
    )
    try:
        apply_manifest(auth_served.url, app_served.url, app_grant_types)
        yield auth_served.url, app_served.url
    finally:
        app_served.close()
        auth_served.close()


@pytest.fixture
def servers(tmp_path, clock, smtp_sink, databases):
    with real_servers(tmp_path, databases, clock, SMTP_HOST=smtp_sink.host, SMTP_PORT=smtp_sink.port) as urls:
        yield urls


def admin_put(auth_url: str, path: str, body: dict) -> dict:
    response = requests.put(f"{auth_url}{path}", json=body, auth=ADMIN, timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()


def apply_manifest(auth_url: str, app_url: str, app_grant_types=()) -> None:
    """What manifest.py applies, per the contract, for these two servers."""
    webhook_basic = base64.b64encode(f"{WEBHOOK[0]}:{WEBHOOK[1]}".encode()).decode()
    admin_put(
        auth_url,
        "/AuthConfig/app",
        {
            "resourceType": "AuthConfig",
            "id": "app",
            "twoFactor": {
                "issuerName": "Demo",
                "validPastTokensCount": 5,
                "webhook": {
                    "endpoint": f"{app_url}/webhook/two-factor-confirmation",
                    "headers": {"Authorization": f"Basic {webhook_basic}"},
                    "timeout": 5000,
                },
            },
        },
    )
    admin_put(
        auth_url,
        "/Client/two-factor-app",
        {
            "resourceType": "Client",
            "id": "two-factor-app",
            "secret": APP_CLIENT[1],
            "first_party": True,
            "grant_types": ["authorization_code", "refresh_token", *app_grant_types],
            "auth": {"authorization_code": {"redirect_uri": f"{app_url}/auth/callback", "pkce": True}},
        },
    )
    admin_put(
        auth_url,
        "/Client/two-factor-webhook",
        {
            "resourceType": "Client",
            "id": "two-factor-webhook",
            "secret": WEBHOOK[1],
            "grant_types": ["basic"],
        },
    )
    admin_put(
        auth_url,
        "/AidboxConfig/provider",
        {
            "resourceType": "AidboxConfig",
            "id": "provider",
            "provider": {"console": {"type": "console"}, "default": "console"},
        },
    )


def create_user(auth_url: str, **extra) -> dict:
    user_id = str(uuid.uuid4())
    body = {"resourceType": "User", "id": user_id, "email": "ann@example.com", "password": PASSWORD, **extra}
    return admin_put(auth_url, f"/User/{user_id}", body)


def the_form(html: str) -> tuple[str, dict[str, str]]:
    """The first POST form's action and its hidden inputs."""
    action = re.search(r'<form[^>]*method="post"[^>]*action="([^"]*)"', html)
    assert action, html
    hidden = dict(
        (unescape(name), unescape(value))
        for name, value in re.findall(
            r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html
        )
    )
    hidden.update(
        (unescape(name), unescape(value))
        for value, name in re.findall(
            r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"[^>]*type="hidden"', html
        )
    )
    return unescape(action.group(1)), hidden


def browse(browser: requests.Session, url: str, code=None):
    """Follow redirects like a browser; fill the login form and (with ``code()``) the TOTP step.

    Returns the first redirect to the frontend (its URL).
    """
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(12):
        if response.status_code in (301, 302, 303):
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(FRONTEND_URL):
                return target
            response = browser.get(target, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, (response.status_code, response.text[:500])
        action, fields = the_form(response.text)
        if 'name="password"' in response.text:
            fields.update(email="ann@example.com", password=PASSWORD)
        elif 'name="token"' in response.text:
            assert code is not None, "unexpected TOTP step"
            fields["token"] = code()
        response = browser.post(urljoin(response.url, action), data=fields, allow_redirects=False, timeout=10)
    raise AssertionError("too many steps")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def api(browser: requests.Session, app_url: str, method: str, path: str, body=None):
    kwargs = {} if method == "GET" else {"json": {} if body is None else body}
    return browser.request(method, f"{app_url}{path}", timeout=10, **kwargs)


def test_sign_in_me_and_logout_against_the_real_auth_server(servers):
    auth_url, app_url = servers
    user = create_user(auth_url)
    browser = requests.Session()
    assert browse(browser, f"{app_url}/login") == f"{FRONTEND_URL}/two-factor"

    me = api(browser, app_url, "GET", "/api/me")
    assert me.status_code == 200, me.text
    assert me.json() == {
        "id": user["id"],
        "email": "ann@example.com",
        "twoFactor": {"enabled": False, "method": None},
    }
    cookie = browser.cookies.get("app_session")
    assert api(browser, app_url, "POST", "/logout").json() == {"loggedOut": True}

    copied = requests.Session()
    copied.cookies.set("app_session", cookie)
    assert api(copied, app_url, "GET", "/api/me").status_code == 401

    # The auth-server login ended too: signing in again asks for the password.
    again = browser.get(f"{app_url}/login", allow_redirects=True, timeout=10)
    assert again.status_code == 200 and 'name="password"' in again.text


def test_enable_totp_then_sign_in_with_a_code_then_disable(servers, clock):
    auth_url, app_url = servers
    create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")

    setup = api(browser, app_url, "POST", "/api/user/two-factor")
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    body = {"enabled": True, "method": "totp", "code": totp.code_at(secret, clock())}
    confirm = api(browser, app_url, "PUT", "/api/user/two-factor", body)
    assert confirm.json() == {
        "enabled": True,
        "method": "totp",
        "recoveryCodes": confirm.json()["recoveryCodes"],
        "issuer": "Demo",
        "account": "ann@example.com",
    }
    status = {"enabled": True, "method": "totp", "recoveryCodesRemaining": 10}
    assert api(browser, app_url, "GET", "/api/user/two-factor").json() == status
    api(browser, app_url, "POST", "/logout")

    clock.advance(30)
    landed = browse(browser, f"{app_url}/login", code=lambda: totp.code_at(secret, clock()))
    assert landed == f"{FRONTEND_URL}/app"

    wrong = api(browser, app_url, "DELETE", "/api/user/two-factor", {"password": "nope"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_password"
    assert api(browser, app_url, "GET", "/api/me").json()["twoFactor"]["enabled"] is True
    off = api(browser, app_url, "DELETE", "/api/user/two-factor", {"password": PASSWORD})
    assert off.json() == {"enabled": False, "method": None}


def test_email_method_code_comes_through_the_webhook_at_login(servers, clock, smtp_sink):
    auth_url, app_url = servers
    create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")

    pending = api(browser, app_url, "PUT", "/api/user/two-factor", {"enabled": True, "method": "email"})
    assert pending.status_code == 202, pending.text
    code = re.search(r"\b([0-9]{6})\b", smtp_sink.bodies()[-1]).group(1)
    body = {"enabled": True, "method": "email", "code": code}
    assert api(browser, app_url, "PUT", "/api/user/two-factor", body).status_code == 200
    api(browser, app_url, "POST", "/logout")

    clock.advance(30)

    def code_from_email() -> str:
        # The auth server called the app's webhook, which mailed the code to the sink.
        assert len(smtp_sink.messages) == 2
        return re.search(r"\b([0-9]{6})\b", smtp_sink.bodies()[-1]).group(1)

    assert browse(browser, f"{app_url}/login", code=code_from_email) == f"{FRONTEND_URL}/app"


def test_the_api_refuses_tokens_the_auth_server_issued_to_other_clients(servers):
    auth_url, app_url = servers
    create_user(auth_url)
    web = {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": f"{FRONTEND_URL}/auth"}}}
    admin_put(auth_url, "/Client/web", {"resourceType": "Client", "id": "web", "first_party": True, **web})
    # Any client the admin registered, even first_party, whose grants let it sign users in.
    partner = {"secret": "partner-secret", "first_party": True, "grant_types": ["password"]}
    admin_put(auth_url, "/Client/partner", {"resourceType": "Client", "id": "partner", **partner})

    def token_for(application: str) -> str:
        body = {"loginId": "ann@example.com", "password": PASSWORD, "applicationId": application}
        response = requests.post(f"{auth_url}/api/login", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["token"]

    for path in ("/api/me", "/api/user/two-factor"):
        foreign = requests.get(f"{app_url}{path}", headers=bearer(token_for("partner")), timeout=10)
        assert foreign.status_code == 401, foreign.text
        assert foreign.json()["error"]["code"] == "unauthorized"
        for own in ("web", APP_CLIENT[0]):
            assert requests.get(f"{app_url}{path}", headers=bearer(token_for(own)), timeout=10).ok
