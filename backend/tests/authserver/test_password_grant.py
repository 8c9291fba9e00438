"""RFC 6749 section 4.3, the Resource Owner Password grant at /auth/token, for Clients that list it."""

from __future__ import annotations

import pytest

from .helpers import ADMIN_AUTH

PARTNER = ("partner", "partner-secret")


@pytest.fixture
def partner(admin):
    admin.put("Client", PARTNER[0], {"secret": PARTNER[1], "first_party": True, "grant_types": ["password"]})


def password_grant(client, username: str, password: str, auth=PARTNER):
    form = {"grant_type": "password", "username": username, "password": password}
    return client.post("/auth/token", data=form, auth=auth)


def test_the_right_password_buys_a_token_that_works(client, partner, user):
    answer = password_grant(client, "ann@example.com", "correct horse")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    token = answer.get_json()["access_token"]
    assert answer.get_json()["userinfo"]["id"] == user["id"]
    me = client.get("/auth/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["email"] == "ann@example.com"


def test_a_wrong_password_is_invalid_grant(client, partner, user):
    answer = password_grant(client, "ann@example.com", "wrong horse")
    assert answer.status_code == 400 and answer.get_json()["error"] == "invalid_grant"


def test_with_two_factor_on_the_password_alone_buys_no_token(client, partner, totp_user):
    answer = password_grant(client, "bob@example.com", "correct horse")
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "mfa_required"
    assert "access_token" not in answer.get_json()
    assert password_grant(client, "bob@example.com", "wrong").get_json()["error"] == "invalid_grant"


def test_a_client_without_the_grant_is_refused(client, user):
    answer = password_grant(client, "ann@example.com", "correct horse", auth=("two-factor-app", "app-secret"))
    assert answer.get_json()["error"] in ("unauthorized_client", "invalid_client")
    assert answer.status_code in (400, 401)


def test_wrong_passwords_are_throttled(client, partner, user):
    for _ in range(5):
        password_grant(client, "ann@example.com", "wrong horse")
    answer = password_grant(client, "ann@example.com", "correct horse")
    assert answer.status_code == 429 and answer.get_json()["error"] == "too_many_attempts"
    assert int(answer.headers["Retry-After"]) > 0


def test_bundled_operations_switched_off_answer_404(config, admin, user):
    from backend.authserver import create_app

    aidbox_like = create_app({**config, "AUTH_BUNDLED_OPERATIONS": "off"}).test_client()
    for method, operation in (
        ("POST", "$check-password"),
        ("POST", "$verify-totp"),
        ("POST", "$recovery-codes"),
        ("GET", "$recovery-codes"),
        ("GET", "$trusted-browsers"),
    ):
        answer = aidbox_like.open(f"/User/{user['id']}/{operation}", method=method, json={}, auth=ADMIN_AUTH)
        assert answer.status_code == 404, operation
    assert aidbox_like.get(f"/User/{user['id']}", auth=ADMIN_AUTH).status_code == 200
    assert (
        admin.client.post(
            f"/User/{user['id']}/$verify-totp", json={"code": "123456"}, auth=ADMIN_AUTH
        ).status_code
        == 422
    )
