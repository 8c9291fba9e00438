"""Text-message codes: a phone number in E.164 form, a code through a Twilio-shaped gateway, then on."""

from __future__ import annotations

import base64
import logging
import re
from urllib.parse import parse_qs

import pytest

from backend.app import create_app

from .conftest import follow_sign_in
from .fake_authserver import USER_ID

NUMBER = "+1 415 555 0100"
SEND = {"enabled": True, "method": "sms", "phoneNumber": NUMBER}
SID, TOKEN, SENDER = "AC0123", "gateway-token", "+15005550006"


@pytest.fixture
def app_config(app_config, http_recorder):
    http_recorder.status = 201
    return {
        **app_config,
        "SMS_GATEWAY_URL": http_recorder.url,
        "SMS_ACCOUNT_SID": SID,
        "SMS_AUTH_TOKEN": TOKEN,
        "SMS_FROM": SENDER,
    }


def form_of(request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.body.decode()).items()}


def code_in(text: str) -> str:
    return re.search(r"\b([0-9]{6})\b", text).group(1)


def test_number_is_stored_in_e164_and_the_texted_code_enables_sms(signed_in, fake_auth, http_recorder):
    response = signed_in.put("/api/user/two-factor", json=SEND)
    assert response.status_code == 202, response.json
    assert response.json == {
        "enabled": False,
        "method": "sms",
        "pending": True,
        "sentTo": "+1 ••• ••• 0100",
    }
    assert fake_auth.user["phoneNumber"] == "+14155550100"
    assert fake_auth.user["twoFactor"]["transport"] == "sms"
    assert fake_auth.user["twoFactor"]["enabled"] is False

    (sent,) = http_recorder.requests
    assert (sent.method, sent.path) == ("POST", f"/2010-04-01/Accounts/{SID}/Messages.json")
    expected_auth = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert sent.headers["Authorization"] == expected_auth
    form = form_of(sent)
    assert form["To"] == "+14155550100"
    assert form["From"] == SENDER
    code = code_in(form["Body"])

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "sms", "code": wrong})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_code"
    assert fake_auth.user["twoFactor"]["enabled"] is False

    done = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "sms", "code": code})
    assert done.status_code == 200
    status = {"enabled": True, "method": "sms", "phone": "+1 ••• ••• 0100"}
    codes = {
        "recoveryCodes": fake_auth.recovery_codes[USER_ID],
        "issuer": "Demo",
        "account": "ann@example.com",
    }
    assert done.json == {**status, **codes}
    assert signed_in.get("/api/user/two-factor").json == {**status, "recoveryCodesRemaining": 10}
    assert signed_in.get("/api/me").json["twoFactor"] == status


@pytest.mark.parametrize(
    "number",
    ["415 555 0100", "+1 415 555", "call me", "", "+999 1234567", 14155550100, None, "+1" + "5" * 60],
)
def test_an_invalid_number_gets_a_clear_message_and_changes_nothing(
    signed_in, fake_auth, http_recorder, number
):
    before = dict(fake_auth.user)
    response = signed_in.put("/api/user/two-factor", json={**SEND, "phoneNumber": number})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_phone_number" and error["field"] == "phoneNumber"
    assert "international format" in error["message"] and "+1 415 555 0100" in error["message"]
    assert fake_auth.user == before
    assert http_recorder.requests == []


def test_other_formats_of_the_same_number_are_stored_alike(signed_in, fake_auth):
    signed_in.put("/api/user/two-factor", json={**SEND, "phoneNumber": " +1 (415) 555-0100 "})
    assert fake_auth.user["phoneNumber"] == "+14155550100"


def test_sms_code_without_a_pending_sms_setup(signed_in):
    signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "email"})
    confirm = {"enabled": True, "method": "sms", "code": "123456"}
    response = signed_in.put("/api/user/two-factor", json=confirm)
    assert response.status_code == 422 and response.json["error"]["code"] == "nothing_pending"


@pytest.mark.parametrize("failure", ["status 500", "status 401", "timeout"])
def test_gateway_failure_is_a_clear_message_and_no_code_in_the_logs(
    app_config, http_recorder, caplog, failure
):
    if failure == "timeout":
        http_recorder.delay = 1.0
        app_config["SMS_TIMEOUT_SECONDS"] = 0.2
    else:
        http_recorder.status = int(failure.split()[1])
    client = create_app(app_config).test_client()
    follow_sign_in(client)
    caplog.set_level(logging.DEBUG)
    response = client.put("/api/user/two-factor", json=SEND)
    assert response.status_code == 502
    assert response.json["error"] == {
        "code": "delivery_failed",
        "message": "The text message with the code could not be sent. Check the number or try again later.",
    }
    assert len(http_recorder.requests) == 1
    code = code_in(form_of(http_recorder.requests[0])["Body"])
    assert any("SMS delivery to +14155550100 failed" in r.getMessage() for r in caplog.records)
    assert code not in caplog.text


def test_without_a_gateway_the_code_is_a_console_line(app_config, caplog):
    del app_config["SMS_GATEWAY_URL"]
    client = create_app({**app_config, "APP_MODE": "demo"}).test_client()
    follow_sign_in(client)
    caplog.set_level(logging.INFO, logger="app.delivery")
    assert client.put("/api/user/two-factor", json=SEND).status_code == 202
    (record,) = [r for r in caplog.records if r.name == "app.delivery"]
    assert "+14155550100" in record.getMessage()
    body = {"enabled": True, "method": "sms", "code": code_in(record.getMessage())}
    assert client.put("/api/user/two-factor", json=body).status_code == 200
