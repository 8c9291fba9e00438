"""A passkey instead of the code at the login's second step: "Use a passkey" for users who have one,
the flow ending as with a good code, and each refusal shown on the code step with why."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from backend.authserver.accounts.trusted_browsers import COOKIE
from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import (
    APP_CALLBACK,
    FRONTEND_AUTH,
    code_query,
    fragment,
    log_in,
    pkce_pair,
    query_of,
)
from .helpers import implicit_query as implicit
from .test_passkeys import add, audit_types, options, verify
from .test_trusted_browser import browser_with

AUTH_SERVER = "http://localhost"  # the tests' AUTH_SERVER_URL: the auth server's pages' origin


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator(origin=AUTH_SERVER)


@pytest.fixture
def passkey_user(client, totp_user, authenticator) -> dict:
    offered = options(client, totp_user["id"], "register")
    assert add(client, totp_user["id"], offered, authenticator.create(offered)).status_code == 201
    return totp_user


def passkey_form(html: str) -> tuple[str, dict, dict]:
    """The "Use a passkey" form: its action, its hidden fields and the WebAuthn options it carries."""
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*data-passkey-options="([^"]+)">(.*?)</form>', html, re.S
    )
    assert form, "no passkey form"
    fields = dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', form.group(3))
    )
    fields.update(
        re.findall(
            r'<input[^>]*id="([^"]+)"[^>]*name="\1"[^>]*type="hidden"[^>]*value="([^"]*)"', form.group(3)
        )
    )
    fields = {name: unescape(value) for name, value in fields.items()}
    return unescape(form.group(1)), fields, {"publicKey": json.loads(unescape(form.group(2)))}


def use_passkey(client, step_page, authenticator, **answer):
    action, fields, offered = passkey_form(step_page.get_data(as_text=True))
    credential = authenticator.get(offered, **answer)
    return client.post(action, data={**fields, "credential": json.dumps(credential)})


def step_page_with_passkey(client):
    page = log_in(client, implicit(state="pk"), email="bob@example.com")
    assert page.status_code == 200
    return page


def test_users_without_a_passkey_see_no_passkey_button(client, totp_user):
    html = log_in(client, implicit(), email="bob@example.com").get_data(as_text=True)
    assert "Use a passkey" not in html and "passkey.js" not in html


def test_the_code_step_offers_a_passkey_that_must_verify_the_user(client, passkey_user):
    html = step_page_with_passkey(client).get_data(as_text=True)
    assert "Use a passkey" in html and "passkey.js" in html
    _, fields, offered = passkey_form(html)
    assert offered["publicKey"]["userVerification"] == "required"
    assert offered["publicKey"]["rpId"] == "localhost"
    assert len(offered["publicKey"]["allowCredentials"]) == 1
    assert fields["challenge_id"]


def test_a_passkey_completes_the_implicit_flow_like_a_code(client, passkey_user, authenticator):
    response = use_passkey(client, step_page_with_passkey(client), authenticator)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert fragment(response.headers["Location"])["state"] == "pk"
    assert "passkey-used" in audit_types(client, passkey_user["id"])


def test_a_passkey_completes_the_code_flow_like_a_code(client, passkey_user, authenticator):
    _, challenge = pkce_pair()
    page = log_in(client, code_query(challenge), email="bob@example.com")
    response = use_passkey(client, page, authenticator)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(APP_CALLBACK + "?")
    assert query_of(response.headers["Location"])["code"]


def refused_with(client, response) -> str:
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code in (401, 429), page.status_code
    return unescape(page.get_data(as_text=True))


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"origin": "https://evil.example"}, "The passkey answered for another website; it was refused."),
        ({"rp_id": "evil.example"}, "This passkey belongs to another site; it was refused."),
        ({"verified": False}, "The passkey did not verify you (PIN, fingerprint or face)."),
    ],
)
def test_refused_answers_go_back_to_the_code_step_with_why(
    client, passkey_user, authenticator, answer, message
):
    response = use_passkey(client, step_page_with_passkey(client), authenticator, **answer)
    assert message in refused_with(client, response)


def test_a_replayed_answer_is_refused(client, passkey_user, authenticator):
    page = step_page_with_passkey(client)
    action, fields, offered = passkey_form(page.get_data(as_text=True))
    credential = json.dumps(authenticator.get(offered, verified=False))
    client.post(action, data={**fields, "credential": credential})  # refused, and its challenge spent
    again = client.post(action, data={**fields, "credential": credential})
    assert "expired or was already answered" in refused_with(client, again)


def test_an_expired_challenge_is_refused(client, passkey_user, authenticator, clock):
    page = step_page_with_passkey(client)
    clock.advance(5 * 60 + 1)
    response = use_passkey(client, page, authenticator)
    assert "expired or was already answered" in refused_with(client, response)


def test_an_unknown_passkey_is_refused(client, passkey_user):
    response = use_passkey(client, step_page_with_passkey(client), SoftwareAuthenticator(origin=AUTH_SERVER))
    assert "not registered for this account" in refused_with(client, response)


def test_a_counter_going_backwards_is_refused_and_audited(client, passkey_user, authenticator):
    confirmed = options(client, passkey_user["id"], "authenticate")  # used once elsewhere: counter 10
    assert (
        verify(client, passkey_user["id"], confirmed, authenticator.get(confirmed, sign_count=10)).status_code
        == 200
    )
    response = use_passkey(client, step_page_with_passkey(client), authenticator, sign_count=3)
    assert "sign counter went backwards" in refused_with(client, response)
    assert "passkey-counter-went-back" in audit_types(client, passkey_user["id"])


def test_refused_passkeys_share_the_codes_throttle(client, passkey_user, authenticator):
    page = step_page_with_passkey(client)
    for _ in range(5):
        response = use_passkey(client, page, authenticator, verified=False)
        page = client.get(response.headers["Location"])
        assert page.status_code == 401
    response = use_passkey(client, page, authenticator)  # a good answer, not even looked at now
    throttled = client.get(response.headers["Location"])
    assert throttled.status_code == 429 and "Try again in" in unescape(throttled.get_data(as_text=True))


def test_the_passkey_form_carries_the_dont_ask_again_box(app, client, passkey_user, admin):
    _, fields, _ = passkey_form(step_page_with_passkey(client).get_data(as_text=True))
    assert fields["trust_browser"] == ""  # passkey.js copies the box's state here
    admin.put("AuthConfig", "app", {"twoFactor": {"trustBrowserDays": 0}})
    browser = app.test_client()
    _, fields, _ = passkey_form(step_page_with_passkey(browser).get_data(as_text=True))
    assert "trust_browser" not in fields


def test_a_passkey_with_the_box_ticked_trusts_the_browser(app, client, passkey_user, authenticator):
    action, fields, offered = passkey_form(step_page_with_passkey(client).get_data(as_text=True))
    credential = json.dumps(authenticator.get(offered))
    response = client.post(action, data={**fields, "credential": credential, "trust_browser": "y"})
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    token = client.get_cookie(COOKIE).value
    assert "browser-trusted" in audit_types(client, passkey_user["id"])

    browser = browser_with(app, token)
    again = log_in(browser, implicit(state="pk"), email="bob@example.com")
    assert again.status_code == 303 and again.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_a_passkey_without_the_box_trusts_nothing(client, passkey_user, authenticator):
    response = use_passkey(client, step_page_with_passkey(client), authenticator)
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert client.get_cookie(COOKIE) is None
