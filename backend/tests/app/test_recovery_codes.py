"""New recovery codes: authenticator users confirm with the app's code, email and text-message users
with a code the app sends them; the answer names the site and account the codes belong to."""

from __future__ import annotations

import re

import pytest

from backend.common import totp

from .fake_authserver import USER_ID
from .test_sms_method import form_of

SECRET_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
SEND = "/api/user/two-factor/current-code"
REGENERATE = "/api/user/two-factor/recovery-codes"


@pytest.fixture
def app_config(app_config, smtp_sink, http_recorder):
    http_recorder.status = 201
    smtp = {"SMTP_HOST": smtp_sink.host, "SMTP_PORT": str(smtp_sink.port)}
    return {**app_config, **smtp, "SMS_GATEWAY_URL": http_recorder.url, "SMS_ACCOUNT_SID": "AC1"}


@pytest.fixture
def email_on(fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "transport": "email", "secretKey": SECRET_KEY}


def emailed_code(smtp_sink) -> str:
    return re.search(r"\b([0-9]{6})\b", smtp_sink.bodies()[-1]).group(1)


def test_an_email_user_gets_a_code_sent_and_it_makes_a_new_set(signed_in, fake_auth, smtp_sink, email_on):
    sent = signed_in.post(SEND, json={})
    assert sent.status_code == 202 and sent.json == {"sentTo": "a•••@example.com"}
    (message,) = smtp_sink.messages
    assert message["To"] == "ann@example.com"

    made = signed_in.post(REGENERATE, json={"code": emailed_code(smtp_sink)})
    assert made.status_code == 200
    assert made.json == {
        "recoveryCodes": fake_auth.recovery_codes[USER_ID],
        "issuer": "Demo",
        "account": "ann@example.com",
    }


def test_the_sent_code_works_once(signed_in, smtp_sink, email_on):
    signed_in.post(SEND, json={})
    code = emailed_code(smtp_sink)
    assert signed_in.post(REGENERATE, json={"code": code}).status_code == 200
    again = signed_in.post(REGENERATE, json={"code": code})
    assert again.status_code == 422 and again.json["error"]["code"] == "code_already_used"


def test_sending_again_within_30_seconds_is_refused(signed_in, smtp_sink, clock, email_on):
    assert signed_in.post(SEND, json={}).status_code == 202
    refused = signed_in.post(SEND, json={})
    assert refused.status_code == 429 and refused.json["error"]["code"] == "too_soon"
    assert len(smtp_sink.messages) == 1
    clock.advance(30)
    assert signed_in.post(SEND, json={}).status_code == 202


def test_an_sms_user_gets_the_code_texted(signed_in, fake_auth, http_recorder):
    fake_auth.user["phoneNumber"] = "+14155550100"
    fake_auth.user["twoFactor"] = {"enabled": True, "transport": "sms", "secretKey": SECRET_KEY}
    sent = signed_in.post(SEND, json={})
    assert sent.status_code == 202 and sent.json == {"sentTo": "+1 ••• ••• 0100"}
    (text,) = http_recorder.requests
    form = form_of(text)
    assert form["To"] == "+14155550100"
    code = re.search(r"\b([0-9]{6})\b", form["Body"]).group(1)
    assert signed_in.post(REGENERATE, json={"code": code}).status_code == 200


@pytest.mark.parametrize("two_factor", [{"enabled": True, "secretKey": SECRET_KEY}, {"enabled": False}])
def test_nothing_is_sent_to_authenticator_users_or_without_two_factor(
    signed_in, fake_auth, smtp_sink, two_factor
):
    fake_auth.user["twoFactor"] = two_factor
    refused = signed_in.post(SEND, json={})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "not_sent"
    assert smtp_sink.messages == []


def test_an_authenticator_code_pasted_with_a_space_makes_a_new_set(signed_in, fake_auth, clock):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET_KEY}
    code = totp.code_at(SECRET_KEY, clock())
    assert signed_in.post(REGENERATE, json={"code": f" {code[:3]} {code[3:]} "}).status_code == 200


def test_right_after_email_setup_a_code_is_sent_and_accepted(signed_in, fake_auth, smtp_sink):
    # The setup's code used this 30 s step; the auth server refuses a second code of the same step.
    enable = {"enabled": True, "method": "email"}
    assert signed_in.put("/api/user/two-factor", json=enable).status_code == 202
    code = emailed_code(smtp_sink)
    assert signed_in.put("/api/user/two-factor", json={**enable, "code": code}).status_code == 200
    assert signed_in.post(SEND, json={}).status_code == 202
    assert signed_in.post(REGENERATE, json={"code": emailed_code(smtp_sink)}).status_code == 200
