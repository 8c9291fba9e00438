"""Signing in with a passkey alone on the login page (both factors at once): the button, the email
field's autofill, both OAuth flows, and the refusals, counted per client address."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest

from backend.authserver import create_app
from backend.tests.authserver.conftest import seed
from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import (
    APP_CALLBACK,
    FRONTEND_AUTH,
    Admin,
    code_query,
    fragment,
    implicit_query,
    pkce_pair,
    query_of,
)
from .test_passkey_second_factor import AUTH_SERVER
from .test_passkeys import add, audit_types, options


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator(origin=AUTH_SERVER)


def with_passkey(client, user: dict, authenticator: SoftwareAuthenticator) -> dict:
    offered = options(client, user["id"], "register")
    assert add(client, user["id"], offered, authenticator.create(offered)).status_code == 201
    return user


def login_page(client, query: dict | None = None):
    page = client.get("/auth/authorize?" + urlencode(query or implicit_query(state="pw-less")))
    assert page.status_code == 200
    return page


def passwordless_form(client, page) -> tuple[str, dict, dict]:
    """The login page's passkey form, with the options passkey.js asks for (with the page's CSRF token)."""
    html = page.get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*data-passkey-options-url="([^"]+)"[^>]*>(.*?)</form>',
        html,
        re.S,
    )
    assert form, "no passkey form"
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form.group(3))
    }
    answer = client.post(unescape(form.group(2)), headers={"X-CSRFToken": fields["csrf_token"]})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    offered = answer.get_json()
    return unescape(form.group(1)), {**fields, "challenge_id": offered["challengeId"]}, offered


def sign_in_with_passkey(client, page, authenticator, **answer):
    action, fields, offered = passwordless_form(client, page)
    return client.post(
        action, data={**fields, "credential": json.dumps(authenticator.get(offered, **answer))}
    )


def refused_with(client, response) -> str:
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code in (401, 429), page.status_code
    return unescape(page.get_data(as_text=True))


def test_the_login_page_offers_passkeys_in_a_button_and_in_the_email_autofill(client):
    html = login_page(client).get_data(as_text=True)
    assert "Sign in with a passkey" in html and "data-passkey-autofill" in html
    assert 'autocomplete="username webauthn"' in html
    assert 'data-passkey-options="' not in html  # showing the page made no challenge
    _, _, offered = passwordless_form(client, login_page(client))
    assert offered["publicKey"]["userVerification"] == "required"
    assert offered["publicKey"].get("allowCredentials", []) == []  # the passkey says whose it is


def test_a_passkey_alone_signs_a_two_factor_user_in_through_the_implicit_flow(
    client, totp_user, authenticator
):
    with_passkey(client, totp_user, authenticator)
    response = sign_in_with_passkey(client, login_page(client), authenticator)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert fragment(response.headers["Location"])["state"] == "pw-less"
    assert "passkey-used" in audit_types(client, totp_user["id"])
    # Signed in for good: the next authorize goes straight on, with no code step.
    again = client.get("/auth/authorize?" + urlencode(implicit_query(state="next")))
    assert again.status_code == 302 and fragment(again.headers["Location"])["state"] == "next"


def test_a_passkey_alone_completes_the_code_flow(client, user, authenticator):
    with_passkey(client, user, authenticator)
    _, challenge = pkce_pair()
    response = sign_in_with_passkey(client, login_page(client, code_query(challenge)), authenticator)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(APP_CALLBACK + "?")
    assert query_of(response.headers["Location"])["code"]


def test_an_unknown_passkey_is_refused_with_why(client, user):
    response = sign_in_with_passkey(client, login_page(client), SoftwareAuthenticator(origin=AUTH_SERVER))
    assert "This passkey is not registered for this account" in refused_with(client, response)


def test_a_passkey_that_did_not_verify_the_user_does_not_sign_in(client, user, authenticator):
    with_passkey(client, user, authenticator)
    response = sign_in_with_passkey(client, login_page(client), authenticator, verified=False)
    assert "did not verify you" in refused_with(client, response)


def test_the_options_of_another_browser_are_refused(app, client, user, authenticator):
    with_passkey(client, user, authenticator)
    action, fields, offered = passwordless_form(client, login_page(client))
    other_browser = app.test_client()
    csrf = passwordless_form(other_browser, login_page(other_browser))[1]["csrf_token"]
    credential = json.dumps(authenticator.get(offered))
    response = other_browser.post(action, data={**fields, "csrf_token": csrf, "credential": credential})
    assert "expired or was already answered" in refused_with(other_browser, response)


def test_options_need_the_pages_csrf_token(client):
    assert client.post("/auth/login/passkey/options").status_code == 400


def test_refusals_are_throttled_per_client_address(config, authenticator):
    app = create_app({**config, "THROTTLE_IP_LIMITS": "2/minute"})
    client = app.test_client()
    seed(Admin(client))
    stranger = SoftwareAuthenticator(origin=AUTH_SERVER)
    for _ in range(2):
        refused_with(client, sign_in_with_passkey(client, login_page(client), stranger))
    throttled = client.get(sign_in_with_passkey(client, login_page(client), stranger).headers["Location"])
    assert throttled.status_code == 429 and "Try again in" in unescape(throttled.get_data(as_text=True))
