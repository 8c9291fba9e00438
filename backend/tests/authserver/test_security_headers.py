"""Every auth form: CSP (no framing, only its own script), X-Frame-Options DENY, no referrer, never cached.

Responses that carry a code or a token (token endpoint, implicit redirect, userinfo) are no-store too.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from backend.authserver import create_app
from backend.common import totp

from .helpers import APP_CALLBACK, APP_SECRET, code_query, implicit_query, log_in, pkce_pair, query_of
from .test_totp_step import enter, to_step_page


def assert_form_headers(response) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "script-src 'self';" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"


def test_every_auth_form(client, totp_user, clock):
    pages = {
        "login": client.get("/auth/authorize?" + urlencode(implicit_query())),
        "signup": client.get("/auth/signup?" + urlencode(implicit_query())),
        "bad link": client.get("/auth/authorize?client_id=nobody"),
        "wrong password": log_in(client, implicit_query(), email="bob@example.com", password="nope"),
    }
    step = to_step_page(client)
    pages["totp step"] = step
    pages["wrong code"] = enter(client, step, "000000")
    enter(client, step, totp.code_at(totp_user["secret"], clock()))
    clock.advance(30)
    pages["disable"] = client.get("/auth/two-factor/disable")
    pages["done"] = client.get("/auth/done")
    for name, page in pages.items():
        assert page.mimetype == "text/html", name
        assert_form_headers(page)


def test_theme_stylesheet_and_brand_origins_are_allowed(client, admin):
    admin.put(
        "AuthConfig",
        "app",
        {"theme": {"styleUrl": "https://cdn.example/brand.css", "brand": "https://img.example/logo.png"}},
    )
    csp = client.get("/auth/login").headers["Content-Security-Policy"]
    assert (
        "style-src 'self' https://cdn.example;" in csp and "img-src 'self' data: https://img.example;" in csp
    )


def test_implicit_redirect_and_userinfo_are_not_cacheable(client, user):
    redirect = log_in(client, implicit_query())
    assert "#access_token=" in redirect.headers["Location"]
    assert redirect.headers["Cache-Control"] == "no-store"
    token = redirect.headers["Location"].split("access_token=")[1].split("&")[0]
    info = client.get("/auth/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert info.headers["Cache-Control"] == "no-store"


def test_token_endpoint_is_not_cacheable(client, user):
    verifier, challenge = pkce_pair()
    back = log_in(client, code_query(challenge))
    response = client.post(
        "/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": query_of(back.headers["Location"])["code"],
            "redirect_uri": APP_CALLBACK,
            "code_verifier": verifier,
        },
        auth=("two-factor-app", APP_SECRET),
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_stylesheet_may_be_cached(client):
    response = client.get("/static/authserver.css")
    assert response.status_code == 200 and response.headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize("url, secure", [("http://localhost", False), ("https://auth.example", True)])
def test_session_cookie_flags(config, url, secure):
    from .conftest import seed
    from .helpers import Admin

    app = create_app({**config, "AUTH_SERVER_URL": url})
    seed(Admin(app.test_client()))
    Admin(app.test_client()).create_user("ann@example.com", "correct horse")
    response = log_in(app.test_client(), implicit_query())
    cookie = next(
        value for value in response.headers.getlist("Set-Cookie") if value.startswith("authserver_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure
