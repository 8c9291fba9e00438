"""The original Aidbox demo's calls that turn two-factor on: POST /app/auth/two-factor/request and
/confirm with the user's Bearer token, answered in its {error, error_description} shape."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from backend.common import totp

from .helpers import ADMIN_AUTH
from .test_api_login import api_login, bearer, complete

REQUEST = "/app/auth/two-factor/request"
CONFIRM = "/app/auth/two-factor/confirm"


@pytest.fixture
def token(client, user) -> str:
    """ann's token for the first-party `web` client (the original frontend's client)."""
    return api_login(client, "ann@example.com").get_json()["token"]


def request_uri(client, token: str) -> str:
    response = client.post(REQUEST, json={}, headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["uri"]


def secret_of(uri: str) -> str:
    return parse_qs(urlsplit(uri).query)["secret"][0]


def confirm(client, token: str, code: str):
    return client.post(CONFIRM, json={"token": code}, headers=bearer(token))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_request_then_confirm_turns_two_factor_on(client, user, token, clock):
    uri = request_uri(client, token)
    assert uri.startswith("otpauth://totp/Demo:ann%40example.com?")
    response = confirm(client, token, totp.code_at(secret_of(uri), clock()))
    assert (response.status_code, response.get_json()) == (200, {})

    info = client.get("/auth/userinfo", headers=bearer(token)).get_json()
    assert info["twoFactor"] == {"enabled": True}
    # The next password login asks for a code of that secret.
    clock.advance(30)
    started = api_login(client, "ann@example.com")
    assert started.status_code == 242
    code = totp.code_at(secret_of(uri), clock())
    assert complete(client, started.get_json()["twoFactorId"], code).status_code == 200


def test_the_pending_secret_is_never_shown_to_the_token(client, token):
    request_uri(client, token)
    assert "secretKey" not in client.get("/auth/userinfo", headers=bearer(token)).get_data(as_text=True)


def test_request_when_already_enabled_is_422_already_enabled(client, token, clock):
    confirm(client, token, totp.code_at(secret_of(request_uri(client, token)), clock()))
    response = client.post(REQUEST, json={}, headers=bearer(token))
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "already_enabled",
        "error_description": "Two-factor authentication is already enabled.",
    }


def test_confirm_when_already_enabled_is_422_already_enabled(client, token, clock):
    secret = secret_of(request_uri(client, token))
    assert confirm(client, token, totp.code_at(secret, clock())).status_code == 200
    clock.advance(30)
    response = confirm(client, token, totp.code_at(secret, clock()))
    assert (response.status_code, response.get_json()["error"]) == (422, "already_enabled")


def test_confirm_without_a_request_is_422_not_requested(client, token):
    response = confirm(client, token, "123456")
    assert (response.status_code, response.get_json()["error"]) == (422, "not_requested")


def test_a_wrong_code_is_422_wrong_token_and_changes_nothing(client, token, clock):
    secret = secret_of(request_uri(client, token))
    response = confirm(client, token, wrong(totp.code_at(secret, clock())))
    assert response.status_code == 422
    assert response.get_json() == {"error": "wrong_token", "error_description": "Wrong token."}
    assert client.get("/auth/userinfo", headers=bearer(token)).get_json()["twoFactor"] == {"enabled": False}


def test_a_code_already_used_elsewhere_is_refused(client, user, token, clock):
    """The replay store is the server's one: a code the backend app checked ($verify-totp) is spent."""
    secret = secret_of(request_uri(client, token))
    code = totp.code_at(secret, clock())
    checked = client.post(f"/User/{user['id']}/$verify-totp", json={"code": code}, auth=ADMIN_AUTH)
    assert checked.status_code == 200
    response = confirm(client, token, code)
    assert (response.status_code, response.get_json()["error"]) == (422, "code_already_used")
    assert client.get("/auth/userinfo", headers=bearer(token)).get_json()["twoFactor"] == {"enabled": False}


def test_wrong_codes_are_throttled_like_the_login(client, token, clock):
    secret = secret_of(request_uri(client, token))
    bad = wrong(totp.code_at(secret, clock()))
    for _ in range(5):
        assert confirm(client, token, bad).status_code == 422
    response = confirm(client, token, totp.code_at(secret, clock()))  # right, but not even looked at
    assert response.status_code == 429
    assert response.get_json()["error"] == "too_many_attempts"
    assert int(response.headers["Retry-After"]) > 0


def test_email_transport_sends_the_code_through_the_webhook(client, admin, token, http_recorder):
    admin.set_webhook(http_recorder.url + "/hook")
    response = client.post(REQUEST, json={"transport": "email"}, headers=bearer(token))
    assert (response.status_code, response.get_json()) == (200, {})
    sent = http_recorder.requests[-1].json()
    assert sent["transport"] == "email" and sent["user"]["email"] == "ann@example.com"
    assert confirm(client, token, sent["token"]).status_code == 200
    info = client.get("/auth/userinfo", headers=bearer(token)).get_json()
    assert info["twoFactor"] == {"enabled": True, "transport": "email"}


def test_email_requests_follow_the_resend_limit(client, admin, token, http_recorder, clock):
    admin.set_webhook(http_recorder.url + "/hook")
    assert client.post(REQUEST, json={"transport": "email"}, headers=bearer(token)).status_code == 200
    again = client.post(REQUEST, json={"transport": "email"}, headers=bearer(token))
    assert (again.status_code, again.get_json()["error"]) == (429, "too_many_requests")
    assert len(http_recorder.requests) == 1


def test_sms_needs_a_phone_number(client, token):
    response = client.post(REQUEST, json={"transport": "sms"}, headers=bearer(token))
    assert (response.status_code, response.get_json()["error"]) == (422, "invalid_transport")


def test_a_third_party_clients_token_is_refused(client, admin, user):
    admin.put(
        "Client",
        "partner",
        {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": "http://partner.example/cb"}}},
    )
    partner_token = api_login(client, "ann@example.com", application="partner").get_json()["token"]
    for path, body in ((REQUEST, {}), (CONFIRM, {"token": "123456"})):
        response = client.post(path, json=body, headers=bearer(partner_token))
        assert (response.status_code, response.get_json()["error"]) == (403, "unauthorized_client")
    info = client.get("/auth/userinfo", headers=bearer(partner_token)).get_json()
    assert info["twoFactor"] == {"enabled": False}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_no_valid_token_is_401(client, user, headers):
    response = client.post(REQUEST, json={}, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_out_token_is_401(client, token):
    assert client.delete("/Session", headers=bearer(token)).status_code == 204
    assert client.post(REQUEST, json={}, headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (REQUEST, {"transport": "pigeon"}, "transport"),
        (REQUEST, {"other": 1}, "other"),
        (CONFIRM, {}, "token"),
        (CONFIRM, {"token": 123456}, "token"),
        (CONFIRM, {"token": "1" * 33}, "token"),
    ],
)
def test_bad_bodies_are_422_in_the_original_shape(client, token, path, body, field):
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code == 422
    assert set(response.get_json()) == {"error", "error_description"}
    assert field in response.get_json()["error_description"]


def test_a_body_that_is_not_json_is_415(client, token):
    response = client.post(CONFIRM, data="token=1", headers=bearer(token))
    assert response.status_code == 415
    assert set(response.get_json()) == {"error", "error_description"}
