"""Changing the number of an SMS user: a current code authorises it, a code to the new number confirms it."""

from __future__ import annotations

import pytest

from .test_sms_method import code_in, form_of

SECRET_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def app_config(app_config, http_recorder):
    http_recorder.status = 201
    gateway = {"SMS_GATEWAY_URL": http_recorder.url, "SMS_ACCOUNT_SID": "AC1", "SMS_FROM": "+15005550006"}
    return {**app_config, **gateway}


@pytest.fixture
def sms_on(fake_auth):
    fake_auth.user["phoneNumber"] = "+14155550100"
    fake_auth.user["twoFactor"] = {"enabled": True, "transport": "sms", "secretKey": SECRET_KEY}


def last_text(http_recorder) -> tuple[str, str]:
    form = form_of(http_recorder.requests[-1])
    return form["To"], code_in(form["Body"])


def test_change_needs_a_current_code_then_the_new_numbers_code(signed_in, fake_auth, http_recorder, sms_on):
    sent = signed_in.post("/api/user/phone/current-code", json={})
    assert sent.status_code == 202 and sent.json == {"sentTo": "+1 ••• ••• 0100"}
    to, current = last_text(http_recorder)
    assert to == "+14155550100"

    wrong = f"{(int(current) + 1) % 1_000_000:06d}"
    refused = signed_in.put("/api/user/phone", json={"phoneNumber": "+1 415 555 0199", "currentCode": wrong})
    assert refused.status_code == 422 and refused.json["error"]["field"] == "currentCode"
    invalid = signed_in.put("/api/user/phone", json={"phoneNumber": "555", "currentCode": current})
    assert invalid.status_code == 422 and invalid.json["error"]["field"] == "phoneNumber"

    start = {"phoneNumber": "+1 415 555 0199", "currentCode": current}
    started = signed_in.put("/api/user/phone", json=start)
    assert started.status_code == 202 and started.json == {"pending": True, "sentTo": "+1 ••• ••• 0199"}
    to, new_code = last_text(http_recorder)
    assert to == "+14155550199"
    assert fake_auth.user["phoneNumber"] == "+14155550100"  # not yet

    old_code = signed_in.put("/api/user/phone", json={"code": current})
    assert old_code.status_code == 422 and old_code.json["error"]["code"] == "invalid_code"
    done = signed_in.put("/api/user/phone", json={"code": new_code})
    assert done.status_code == 200
    assert done.json == {"enabled": True, "method": "sms", "phone": "+1 ••• ••• 0199"}
    assert fake_auth.user["phoneNumber"] == "+14155550199"
    assert fake_auth.user["twoFactor"]["secretKey"] != SECRET_KEY
    again = signed_in.put("/api/user/phone", json={"code": new_code})
    assert again.json["error"]["code"] == "nothing_pending"


def test_only_for_sms_users(signed_in):
    response = signed_in.post("/api/user/phone/current-code", json={})
    assert response.status_code == 422 and response.json["error"]["code"] == "not_sms"


def test_needs_sign_in(client):
    assert client.put("/api/user/phone", json={"code": "123456"}).status_code == 401
