"""Changing the two-factor method: the password (or a current code) opens the change, the old method
stays on until a code of the new one comes back, and then one PATCH swaps them."""

from __future__ import annotations

import pytest

from backend.app import create_app
from backend.common import totp

from .conftest import follow_sign_in, smtp_settings
from .fake_authserver import PASSWORD, USER_ID
from .test_email_method import code_in
from .test_sms_method import form_of

OLD_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CHANGE = "/api/user/two-factor/change"


@pytest.fixture
def app_config(app_config, smtp_sink):
    return {**app_config, **smtp_settings(smtp_sink)}


@pytest.fixture
def totp_on(fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": OLD_SECRET}
    fake_auth.recovery_codes[USER_ID] = ["aaaa-bbbb"]


def emailed_code(smtp_sink) -> str:
    return code_in(smtp_sink.bodies()[-1])


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def open_with_password(client) -> None:
    response = client.post(CHANGE, json={"password": PASSWORD})
    assert response.status_code == 200 and response.json == {"expiresIn": 600}


def test_authenticator_app_to_email_keeps_the_app_on_until_the_emailed_code(
    signed_in, fake_auth, smtp_sink, totp_on
):
    refused = signed_in.post(CHANGE, json={"password": "not it"})
    assert refused.status_code == 422 and refused.json["error"]["field"] == "password"
    open_with_password(signed_in)

    started = signed_in.put(CHANGE, json={"method": "email"})
    assert started.status_code == 202
    assert started.json == {"method": "email", "pending": True, "sentTo": "a•••@example.com"}
    new_code = emailed_code(smtp_sink)
    assert fake_auth.user["twoFactor"] == {"enabled": True, "secretKey": OLD_SECRET}  # still the app
    assert signed_in.get("/api/user/two-factor").json["method"] == "totp"

    refused = signed_in.post(f"{CHANGE}/confirm", json={"code": wrong(new_code)})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_code"
    assert fake_auth.user["twoFactor"]["secretKey"] == OLD_SECRET

    done = signed_in.post(f"{CHANGE}/confirm", json={"code": new_code})
    assert done.status_code == 200
    assert done.json == {
        "enabled": True,
        "method": "email",
        "recoveryCodes": fake_auth.recovery_codes[USER_ID],
        "issuer": "Demo",
        "account": "ann@example.com",
    }
    two_factor = fake_auth.user["twoFactor"]
    assert two_factor["enabled"] is True and two_factor["transport"] == "email"
    assert two_factor["secretKey"] not in (OLD_SECRET, None)
    assert signed_in.get("/api/me").json["twoFactor"] == {"enabled": True, "method": "email"}
    again = signed_in.post(f"{CHANGE}/confirm", json={"code": new_code})
    assert again.json["error"]["code"] == "change_not_open"


def test_email_to_authenticator_app_after_an_emailed_current_code(signed_in, fake_auth, smtp_sink):
    fake_auth.user["twoFactor"] = {"enabled": True, "transport": "email", "secretKey": OLD_SECRET}
    sent = signed_in.post("/api/user/two-factor/current-code", json={})
    assert sent.status_code == 202 and sent.json == {"sentTo": "a•••@example.com"}
    current = emailed_code(smtp_sink)
    assert signed_in.post(CHANGE, json={"code": wrong(current)}).status_code == 422
    assert signed_in.post(CHANGE, json={"code": current}).status_code == 200

    setup = signed_in.put(CHANGE, json={"method": "totp"})
    assert setup.status_code == 200
    assert setup.json["qrDataUrl"].startswith("data:image/png;base64,")
    assert setup.json["otpauthUrl"].startswith("otpauth://totp/Demo:")
    done = signed_in.post(
        f"{CHANGE}/confirm", json={"code": totp.code_at(setup.json["secret"], fake_auth.clock())}
    )
    assert done.status_code == 200 and done.json["method"] == "totp"
    assert fake_auth.user["twoFactor"] == {"enabled": True, "secretKey": setup.json["secret"]}


def test_a_code_of_the_authenticator_app_opens_the_change_once(signed_in, fake_auth, totp_on):
    code = totp.code_at(OLD_SECRET, fake_auth.clock())
    assert signed_in.post(CHANGE, json={"code": code}).status_code == 200
    replayed = signed_in.post(CHANGE, json={"code": code})
    assert replayed.status_code == 422 and replayed.json["error"]["field"] == "code"
    assert signed_in.post("/api/user/two-factor/current-code", json={}).json["error"]["code"] == "not_sent"


def test_to_text_messages_stores_the_number_only_with_the_texted_code(
    app_config, fake_auth, http_recorder, totp_on
):
    http_recorder.status = 201
    gateway = {"SMS_GATEWAY_URL": http_recorder.url, "SMS_ACCOUNT_SID": "AC1", "SMS_FROM": "+15005550006"}
    client = create_app({**app_config, **gateway}).test_client()
    follow_sign_in(client)
    open_with_password(client)
    invalid = client.put(CHANGE, json={"method": "sms", "phoneNumber": "555"})
    assert invalid.status_code == 422 and invalid.json["error"]["field"] == "phoneNumber"
    started = client.put(CHANGE, json={"method": "sms", "phoneNumber": "+1 415 555 0199"})
    assert started.status_code == 202 and started.json["sentTo"] == "+1 ••• ••• 0199"
    assert "phoneNumber" not in fake_auth.user

    texted = code_in(form_of(http_recorder.requests[-1])["Body"])
    done = client.post(f"{CHANGE}/confirm", json={"code": texted})
    assert done.status_code == 200 and done.json["phone"] == "+1 ••• ••• 0199"
    assert fake_auth.user["phoneNumber"] == "+14155550199"
    assert fake_auth.user["twoFactor"]["transport"] == "sms"


def test_without_the_password_or_a_code_nothing_can_be_set_up(signed_in, fake_auth, totp_on):
    missing = signed_in.post(CHANGE, json={})
    assert missing.status_code == 422 and missing.json["error"]["field"] == "password"
    not_open = signed_in.put(CHANGE, json={"method": "totp"})
    assert not_open.status_code == 422 and not_open.json["error"]["code"] == "change_not_open"
    assert signed_in.post(f"{CHANGE}/confirm", json={"code": "123456"}).json["error"]["code"] == (
        "change_not_open"
    )


def test_another_session_of_the_same_user_cannot_use_the_change(app, signed_in, fake_auth, totp_on):
    open_with_password(signed_in)
    other = app.test_client()
    follow_sign_in(other)
    response = other.put(CHANGE, json={"method": "totp"})
    assert response.status_code == 422 and response.json["error"]["code"] == "change_not_open"
    bearer = {"Authorization": f"Bearer {fake_auth.issue_token()}"}
    response = app.test_client().put(CHANGE, json={"method": "totp"}, headers=bearer)
    assert response.json["error"]["code"] == "change_not_open"


def test_the_change_expires_after_ten_minutes(signed_in, fake_auth, clock, totp_on):
    open_with_password(signed_in)
    clock.advance(601)
    response = signed_in.put(CHANGE, json={"method": "totp"})
    assert response.status_code == 422 and response.json["error"]["code"] == "change_not_open"


def test_cancel_keeps_the_old_method_and_drops_the_new_secret(signed_in, fake_auth, totp_on):
    open_with_password(signed_in)
    setup = signed_in.put(CHANGE, json={"method": "totp"}).json
    cancelled = signed_in.delete(CHANGE, json={})
    assert cancelled.status_code == 200 and cancelled.json == {"enabled": True, "method": "totp"}
    late = signed_in.post(
        f"{CHANGE}/confirm", json={"code": totp.code_at(setup["secret"], fake_auth.clock())}
    )
    assert late.json["error"]["code"] == "change_not_open"
    assert fake_auth.user["twoFactor"] == {"enabled": True, "secretKey": OLD_SECRET}


def test_five_wrong_codes_drop_the_change(signed_in, fake_auth, totp_on):
    open_with_password(signed_in)
    secret = signed_in.put(CHANGE, json={"method": "totp"}).json["secret"]
    right = totp.code_at(secret, fake_auth.clock())
    for _ in range(5):
        assert signed_in.post(f"{CHANGE}/confirm", json={"code": wrong(right)}).json["error"]["code"] == (
            "invalid_code"
        )
    response = signed_in.post(f"{CHANGE}/confirm", json={"code": right})
    assert response.json["error"]["code"] == "change_not_open"
    assert fake_auth.user["twoFactor"]["secretKey"] == OLD_SECRET


def test_confirming_before_choosing_a_method(signed_in, totp_on):
    open_with_password(signed_in)
    response = signed_in.post(f"{CHANGE}/confirm", json={"code": "123456"})
    assert response.status_code == 422 and response.json["error"]["code"] == "nothing_pending"


def test_only_while_two_factor_is_on(signed_in, fake_auth):
    response = signed_in.post(CHANGE, json={"password": PASSWORD})
    assert response.status_code == 422 and response.json["error"]["code"] == "two_factor_off"


def test_turned_off_elsewhere_meanwhile_the_change_does_not_turn_it_back_on(signed_in, fake_auth, totp_on):
    open_with_password(signed_in)
    secret = signed_in.put(CHANGE, json={"method": "totp"}).json["secret"]
    fake_auth.user["twoFactor"] = {"enabled": False}  # the auth server's disable page
    response = signed_in.post(f"{CHANGE}/confirm", json={"code": totp.code_at(secret, fake_auth.clock())})
    assert response.status_code == 422 and response.json["error"]["code"] == "two_factor_off"
    assert fake_auth.user["twoFactor"] == {"enabled": False}


def test_needs_sign_in(client):
    assert client.post(CHANGE, json={"password": PASSWORD}).status_code == 401


def test_codes_pasted_with_spaces_and_dashes_open_and_confirm_the_change(signed_in, fake_auth, totp_on):
    current = totp.code_at(OLD_SECRET, fake_auth.clock())
    assert signed_in.post(CHANGE, json={"code": f" {current[:3]} {current[3:]} "}).status_code == 200
    setup = signed_in.put(CHANGE, json={"method": "totp"})
    new_code = totp.code_at(setup.json["secret"], fake_auth.clock())
    done = signed_in.post(f"{CHANGE}/confirm", json={"code": f"{new_code[:3]}-{new_code[3:]}"})
    assert done.status_code == 200 and done.json["method"] == "totp"
    assert fake_auth.user["twoFactor"] == {"enabled": True, "secretKey": setup.json["secret"]}
