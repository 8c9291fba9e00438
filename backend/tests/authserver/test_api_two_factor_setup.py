"""FusionAuth-style setup: POST /api/two-factor/secret, then PUT /api/user/two-factor/<userId> with a code."""

from __future__ import annotations

import base64

import pytest

from backend.common import totp

from .helpers import ADMIN_AUTH
from .test_api_login import api_login, bearer, complete


@pytest.fixture
def token(client, user) -> str:
    return api_login(client, "ann@example.com").get_json()["token"]


def new_secret(client, token: str) -> dict:
    response = client.post("/api/two-factor/secret", headers=bearer(token))
    assert response.status_code == 200
    return response.get_json()


def enable(client, user_id: str, body: dict, **kwargs):
    return client.put(f"/api/user/two-factor/{user_id}", json=body, **kwargs)


def test_generated_secret_comes_in_both_encodings(client, token):
    secret = new_secret(client, token)
    raw = base64.b64decode(secret["secret"], validate=True)
    assert len(raw) == 20
    assert base64.b32decode(secret["secretBase32Encoded"]) == raw


def test_generating_a_secret_needs_a_token(client, user):
    assert client.post("/api/two-factor/secret").status_code == 401
    assert client.post("/api/two-factor/secret", headers=bearer("not-a-token")).status_code == 401


@pytest.mark.parametrize("form", ["secret", "secretBase32Encoded"])
def test_enable_with_the_raw_or_the_base32_secret_in_the_secret_field(client, user, token, clock, form):
    secret = new_secret(client, token)
    code = totp.code_at(secret["secretBase32Encoded"], clock())
    response = enable(
        client, user["id"], {"code": code, "secret": secret[form], "delivery": "None"}, headers=bearer(token)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["twoFactor"] == {"enabled": True}

    # The next password login needs a code from that secret.
    clock.advance(30)
    started = api_login(client, "ann@example.com")
    assert started.status_code == 242
    done = complete(
        client, started.get_json()["twoFactorId"], totp.code_at(secret["secretBase32Encoded"], clock())
    )
    assert done.status_code == 200


def test_enable_with_secret_base32_encoded_field(client, user, token, clock):
    secret = new_secret(client, token)
    code = totp.code_at(secret["secretBase32Encoded"], clock())
    body = {"code": code, "secretBase32Encoded": secret["secretBase32Encoded"]}
    assert enable(client, user["id"], body, headers=bearer(token)).status_code == 200


def test_a_wrong_code_does_not_enable(client, admin, user, token, clock):
    secret = new_secret(client, token)
    good = totp.code_at(secret["secretBase32Encoded"], clock())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = enable(client, user["id"], {"code": wrong, "secret": secret["secret"]}, headers=bearer(token))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_code"
    assert admin.get("User", user["id"]).get_json().get("twoFactor") is None
    assert api_login(client, "ann@example.com").status_code == 200


def test_a_code_from_another_secret_does_not_enable(client, user, token, clock):
    secret = new_secret(client, token)
    other = totp.code_at(totp.new_secret(), clock())
    response = enable(client, user["id"], {"code": other, "secret": secret["secret"]}, headers=bearer(token))
    assert response.status_code == 422


def test_the_enabling_code_cannot_also_complete_a_login(client, user, token, clock):
    secret = new_secret(client, token)
    code = totp.code_at(secret["secretBase32Encoded"], clock())
    assert (
        enable(
            client, user["id"], {"code": code, "secret": secret["secret"]}, headers=bearer(token)
        ).status_code
        == 200
    )
    started = api_login(client, "ann@example.com").get_json()
    assert complete(client, started["twoFactorId"], code).status_code == 421


def test_admin_client_may_enable_for_a_user(client, user, token, clock):
    secret = new_secret(client, token)
    code = totp.code_at(secret["secretBase32Encoded"], clock())
    body = {"code": code, "secret": secret["secret"], "delivery": "email"}
    response = enable(client, user["id"], body, auth=ADMIN_AUTH)
    assert response.status_code == 200
    assert response.get_json()["twoFactor"] == {"enabled": True, "transport": "email"}


def test_another_users_token_may_not_enable(client, admin, user, token, clock):
    other = admin.create_user("carl@example.com", "correct horse")
    secret = new_secret(client, token)
    code = totp.code_at(secret["secretBase32Encoded"], clock())
    response = enable(client, other["id"], {"code": code, "secret": secret["secret"]}, headers=bearer(token))
    assert response.status_code == 403


def test_enable_without_credentials_is_401(client, user):
    body = {"code": "123456", "secret": totp.new_secret()}
    assert enable(client, user["id"], body).status_code == 401
    assert enable(client, user["id"], body, auth=("admin", "wrong")).status_code == 401


def test_sms_delivery_needs_a_phone_number(client, user, token, clock):
    secret = new_secret(client, token)
    code = totp.code_at(secret["secretBase32Encoded"], clock())
    body = {"code": code, "secret": secret["secret"], "delivery": "sms"}
    response = enable(client, user["id"], body, headers=bearer(token))
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "delivery"


@pytest.mark.parametrize(
    "body",
    [
        {"code": "123456"},
        {"code": "123456", "secret": "not base64 or base32!"},
        {"code": "123456", "secret": "QUJD"},  # too short to be a secret
        {"code": "123456", "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "delivery": "fax"},
        {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"},
    ],
)
def test_bad_enable_bodies_are_422(client, user, token, body):
    assert enable(client, user["id"], body, headers=bearer(token)).status_code == 422


def test_401_answers_name_the_scheme_to_use(client, user):
    assert client.post("/api/two-factor/secret").headers["WWW-Authenticate"].startswith("Bearer")
    wrong_admin = enable(client, user["id"], {}, auth=("admin", "wrong"))
    assert wrong_admin.headers["WWW-Authenticate"].startswith("Basic")
