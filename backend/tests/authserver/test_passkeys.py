"""Passkeys through the admin API the backend app calls: add, list, rename, remove, and a fresh
second factor by passkey, with every refusal a person or an attacker can meet."""

from __future__ import annotations

import pytest

from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import ADMIN_AUTH

SESSION = "app-session-hash-0123456789abcdef"
OTHER_SESSION = "someone-elses-session-0123456789"


def options(client, user_id: str, purpose: str, session: str = SESSION):
    response = client.post(
        f"/User/{user_id}/$passkey-options", json={"purpose": purpose, "session": session}, auth=ADMIN_AUTH
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def add(client, user_id: str, offered: dict, credential: dict, session: str = SESSION, name: str = "Laptop"):
    body = {"session": session, "challengeId": offered["challengeId"], "credential": credential, "name": name}
    return client.post(f"/User/{user_id}/$add-passkey", json=body, auth=ADMIN_AUTH)


def verify(client, user_id: str, offered: dict, credential: dict, session: str = SESSION):
    body = {"session": session, "challengeId": offered["challengeId"], "credential": credential}
    return client.post(f"/User/{user_id}/$verify-passkey", json=body, auth=ADMIN_AUTH)


def audit_types(client, user_id: str) -> list[str]:
    bundle = client.get(f"/AuditEvent?user={user_id}", auth=ADMIN_AUTH).get_json()
    return [entry["resource"]["type"] for entry in bundle["entry"]]


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator()


@pytest.fixture
def passkey_user(client, totp_user, authenticator) -> dict:
    """bob@example.com (TOTP on) with one passkey, "Laptop", on ``authenticator``."""
    offered = options(client, totp_user["id"], "register")
    response = add(client, totp_user["id"], offered, authenticator.create(offered))
    assert response.status_code == 201, response.get_json()
    return {**totp_user, "passkey": response.get_json()}


def test_registration_options_ask_for_user_verification_and_a_discoverable_credential(client, user):
    offered = options(client, user["id"], "register")
    public_key = offered["publicKey"]
    assert public_key["rp"]["id"] == "localhost"
    assert public_key["authenticatorSelection"]["userVerification"] == "required"
    assert public_key["authenticatorSelection"]["residentKey"] == "preferred"
    assert public_key["user"]["name"] == "ann@example.com"
    assert user["id"] not in public_key["user"]["id"]


def test_a_new_passkey_is_listed_with_name_and_dates_and_no_key_material(client, passkey_user, clock):
    listed = client.get(f"/Passkey?user={passkey_user['id']}", auth=ADMIN_AUTH).get_json()
    assert listed["total"] == 1
    passkey = listed["entry"][0]["resource"]
    assert passkey["name"] == "Laptop"
    assert passkey["user"] == passkey_user["id"]
    assert passkey["created"].endswith("Z")
    assert passkey["lastUsed"] is None
    assert set(passkey) == {"resourceType", "id", "user", "name", "transports", "created", "lastUsed"}
    assert "passkey-added" in audit_types(client, passkey_user["id"])


def test_registering_again_with_the_same_options_is_refused(client, user, authenticator):
    offered = options(client, user["id"], "register")
    credential = authenticator.create(offered)
    assert add(client, user["id"], offered, credential).status_code == 201
    again = add(client, user["id"], offered, credential)
    assert again.status_code == 422
    assert again.get_json()["error"]["code"] == "passkey_challenge_expired"


def test_a_passkey_created_for_another_session_is_refused(client, user, authenticator):
    offered = options(client, user["id"], "register")
    response = add(client, user["id"], offered, authenticator.create(offered), session=OTHER_SESSION)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "passkey_challenge_expired"
    assert client.get(f"/Passkey?user={user['id']}", auth=ADMIN_AUTH).get_json()["total"] == 0


def test_a_passkey_that_did_not_verify_the_user_is_not_added(client, user, authenticator):
    offered = options(client, user["id"], "register")
    response = add(client, user["id"], offered, authenticator.create(offered, verified=False))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "passkey_not_verified"


def test_registration_from_another_website_is_refused(client, user, authenticator):
    offered = options(client, user["id"], "register")
    credential = authenticator.create(offered, origin="https://evil.example")
    response = add(client, user["id"], offered, credential)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "passkey_wrong_origin"


def test_a_verified_assertion_is_a_fresh_second_factor_and_records_its_use(
    client, passkey_user, authenticator, clock
):
    offered = options(client, passkey_user["id"], "authenticate")
    assert offered["publicKey"]["userVerification"] == "required"
    response = verify(client, passkey_user["id"], offered, authenticator.get(offered))
    assert response.status_code == 200
    assert response.get_json() == {"valid": True}
    passkey = client.get(f"/Passkey/{passkey_user['passkey']['id']}", auth=ADMIN_AUTH).get_json()
    assert passkey["lastUsed"] is not None
    assert "passkey-used" in audit_types(client, passkey_user["id"])


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"origin": "https://evil.example"}, "passkey_wrong_origin"),
        ({"rp_id": "evil.example"}, "passkey_wrong_site"),
        ({"verified": False}, "passkey_not_verified"),
    ],
)
def test_an_assertion_for_another_site_or_without_verification_is_refused(
    client, passkey_user, authenticator, answer, code
):
    offered = options(client, passkey_user["id"], "authenticate")
    response = verify(client, passkey_user["id"], offered, authenticator.get(offered, **answer))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == code


def test_a_replayed_assertion_is_refused(client, passkey_user, authenticator):
    offered = options(client, passkey_user["id"], "authenticate")
    credential = authenticator.get(offered)
    assert verify(client, passkey_user["id"], offered, credential).status_code == 200
    replayed = verify(client, passkey_user["id"], offered, credential)
    assert replayed.status_code == 422
    assert replayed.get_json()["error"]["code"] == "passkey_challenge_expired"


def test_an_answer_to_an_older_challenge_is_refused(client, passkey_user, authenticator):
    older = options(client, passkey_user["id"], "authenticate")
    newer = options(client, passkey_user["id"], "authenticate")
    response = verify(client, passkey_user["id"], newer, authenticator.get(older))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "passkey_wrong_challenge"


def test_an_expired_challenge_is_refused(client, passkey_user, authenticator, clock):
    offered = options(client, passkey_user["id"], "authenticate")
    clock.advance(5 * 60 + 1)
    response = verify(client, passkey_user["id"], offered, authenticator.get(offered))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "passkey_challenge_expired"
    assert "expired" in response.get_json()["error"]["message"]


def test_an_unknown_passkey_is_refused(client, passkey_user):
    offered = options(client, passkey_user["id"], "authenticate")
    stranger = SoftwareAuthenticator()
    response = verify(client, passkey_user["id"], offered, stranger.get(offered))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_passkey"


def test_another_users_passkey_is_refused(client, passkey_user, user, authenticator):
    offered = options(client, user["id"], "register")
    assert add(client, user["id"], offered, SoftwareAuthenticator().create(offered)).status_code == 201
    anns = options(client, user["id"], "authenticate")
    response = verify(client, user["id"], anns, authenticator.get(anns))  # bob's passkey answers
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_passkey"


def test_a_sign_counter_going_backwards_is_refused_and_audited(client, passkey_user, authenticator):
    first = options(client, passkey_user["id"], "authenticate")
    assert (
        verify(client, passkey_user["id"], first, authenticator.get(first, sign_count=7)).status_code == 200
    )
    cloned = options(client, passkey_user["id"], "authenticate")
    response = verify(client, passkey_user["id"], cloned, authenticator.get(cloned, sign_count=3))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "passkey_counter_went_back"
    assert "passkey-counter-went-back" in audit_types(client, passkey_user["id"])


def test_refused_assertions_count_toward_the_codes_throttle(client, passkey_user, authenticator):
    for _ in range(5):
        offered = options(client, passkey_user["id"], "authenticate")
        refused = verify(client, passkey_user["id"], offered, authenticator.get(offered, verified=False))
        assert refused.status_code == 422
    offered = options(client, passkey_user["id"], "authenticate")
    throttled = verify(client, passkey_user["id"], offered, authenticator.get(offered))
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    "credential",
    [
        {"id": "x", "response": "nope"},
        {
            "id": "A",
            "rawId": "A",
            "type": "public-key",
            "response": {"clientDataJSON": "%%", "signature": "!"},
        },
        {
            "id": "AAAA",
            "rawId": "AAAA",
            "type": "public-key",
            "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"},
        },
    ],
)
def test_a_malformed_credential_is_a_clear_422(client, passkey_user, credential):
    offered = options(client, passkey_user["id"], "authenticate")
    response = verify(client, passkey_user["id"], offered, credential)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] in ("invalid_passkey_response", "unknown_passkey")


def test_rename_and_remove(client, passkey_user):
    path = f"/Passkey/{passkey_user['passkey']['id']}"
    renamed = client.patch(path, json={"name": "  Work phone "}, auth=ADMIN_AUTH)
    assert renamed.status_code == 200
    assert renamed.get_json()["name"] == "Work phone"
    assert client.patch(path, json={"name": "x" * 65}, auth=ADMIN_AUTH).status_code == 422
    assert client.delete(path, auth=ADMIN_AUTH).status_code == 204
    assert client.get(path, auth=ADMIN_AUTH).status_code == 404
    assert "passkey-removed" in audit_types(client, passkey_user["id"])


def test_the_passkey_api_needs_the_admin_credentials(client, passkey_user):
    assert client.get(f"/Passkey?user={passkey_user['id']}").status_code == 401
    assert client.delete(f"/Passkey/{passkey_user['passkey']['id']}").status_code == 401
    assert client.post(f"/User/{passkey_user['id']}/$passkey-options", json={}).status_code == 401
