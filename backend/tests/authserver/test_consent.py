"""A client that is not first_party gets no code or token until the user allows it on a consent page."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from backend.common import totp

from .helpers import PASSWORD, csrf_token, form_action, fragment, log_in, pkce_pair, query_of, submit

THIRD_PARTY_CALLBACK = "http://partner.example/callback"
THIRD_PARTY_SPA = "http://partner.example/spa"


@pytest.fixture
def partner(admin) -> None:
    """A registered client the admin did not mark first_party: one code flow, one implicit."""
    admin.put(
        "Client",
        "partner",
        {
            "secret": "partner-secret",
            "grant_types": ["authorization_code"],
            "auth": {"authorization_code": {"redirect_uri": THIRD_PARTY_CALLBACK, "pkce": True}},
        },
    )
    admin.put(
        "Client",
        "partner-spa",
        {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": THIRD_PARTY_SPA}}},
    )


def partner_query(state: str = "st-9") -> dict:
    _, challenge = pkce_pair()
    return {
        "client_id": "partner",
        "response_type": "code",
        "redirect_uri": THIRD_PARTY_CALLBACK,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def decide(client, page, decision: str):
    return submit(client, page, {"decision": decision})


def test_after_login_a_third_party_client_gets_the_consent_page_not_a_code(client, user, partner):
    page = log_in(client, partner_query())
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "partner wants to sign you in as ann@example.com." in text
    assert ">Allow</button>" in html and ">Deny</button>" in html
    assert "Location" not in page.headers


def test_allow_gives_the_code_with_state(client, user, partner):
    page = log_in(client, partner_query(state="keep-me"))
    response = decide(client, page, "allow")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(THIRD_PARTY_CALLBACK + "?")
    params = query_of(response.headers["Location"])
    assert params["state"] == "keep-me" and params["code"]


def test_deny_sends_access_denied_with_state_and_no_code(client, user, partner):
    page = log_in(client, partner_query(state="keep-me"))
    response = decide(client, page, "deny")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(THIRD_PARTY_CALLBACK + "?")
    params = query_of(response.headers["Location"])
    assert (params["error"], params["state"]) == ("access_denied", "keep-me")
    assert "code" not in params


def test_deny_in_the_implicit_flow_answers_in_the_fragment(client, user, partner):
    query = {"client_id": "partner-spa", "response_type": "token", "redirect_uri": THIRD_PARTY_SPA}
    page = log_in(client, {**query, "state": "s-1"})
    response = decide(client, page, "deny")
    denied = fragment(response.headers["Location"])
    assert (denied["error"], denied["state"]) == ("access_denied", "s-1")
    assert "access_token" not in denied
    allowed = decide(client, client.get("/auth/authorize?" + urlencode({**query, "state": "s-2"})), "allow")
    assert fragment(allowed.headers["Location"])["access_token"]


def test_a_signed_in_user_is_asked_again_on_every_authorize(client, user, partner):
    decide(client, log_in(client, partner_query()), "allow")
    again = client.get("/auth/authorize?" + urlencode(partner_query()))
    assert again.status_code == 200
    assert ">Allow</button>" in again.get_data(as_text=True)


def test_allow_without_the_csrf_token_gives_no_code(client, user, partner):
    page = log_in(client, partner_query())
    action = form_action(page.get_data(as_text=True))
    response = client.post(action, data={"decision": "allow"})
    assert response.status_code == 422
    assert "Location" not in response.headers
    assert "This form expired" in response.get_data(as_text=True)


def test_an_unknown_decision_gives_no_code(client, user, partner):
    page = log_in(client, partner_query())
    html = page.get_data(as_text=True)
    response = client.post(form_action(html), data={"csrf_token": csrf_token(html), "decision": "maybe"})
    assert response.status_code == 422 and "Location" not in response.headers


def test_allow_needs_a_signed_in_user(client, user, partner):
    page = log_in(client, partner_query())
    html = page.get_data(as_text=True)
    client.delete_cookie("authserver_session")
    response = client.post(form_action(html), data={"csrf_token": csrf_token(html), "decision": "allow"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/authorize?")


def test_consent_comes_after_the_totp_step(client, totp_user, partner, clock):
    step = log_in(client, partner_query(state="t"), email="bob@example.com", password=PASSWORD)
    assert 'name="token"' in step.get_data(as_text=True)
    consent = submit(client, step, {"token": totp.code_at(totp_user["secret"], clock())})
    assert consent.status_code == 200 and ">Allow</button>" in consent.get_data(as_text=True)
    params = query_of(decide(client, consent, "allow").headers["Location"])
    assert params["code"] and params["state"] == "t"


def test_first_party_clients_still_skip_consent(client, user):
    query = {
        "client_id": "web",
        "response_type": "token",
        "redirect_uri": "http://localhost:3000/auth",
        "state": "s",
    }
    response = log_in(client, query)
    assert response.status_code == 303 and fragment(response.headers["Location"])["access_token"]
