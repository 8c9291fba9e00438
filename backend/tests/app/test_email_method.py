"""Email as the second factor: a code sent to the real local SMTP sink enables it."""

from __future__ import annotations

import logging
import re

import pytest

from .conftest import post_json, smtp_settings
from .fake_authserver import USER_ID

ENABLE_EMAIL = {"enabled": True, "method": "email"}


@pytest.fixture
def app_config(app_config, smtp_sink):
    return {**app_config, **smtp_settings(smtp_sink)}


def code_in(text: str) -> str:
    return re.search(r"\b([0-9]{6})\b", text).group(1)


def test_email_code_arrives_by_smtp_and_enables(signed_in, fake_auth, smtp_sink):
    response = signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL)
    assert response.status_code == 202
    assert response.json == {
        "enabled": False,
        "method": "email",
        "pending": True,
        "sentTo": "a•••@example.com",
    }
    assert fake_auth.user["twoFactor"]["transport"] == "email"
    assert fake_auth.user["twoFactor"]["enabled"] is False

    (message,) = smtp_sink.messages
    assert message["To"] == "ann@example.com"
    assert message["From"] == "d@x.test"
    code = code_in(smtp_sink.bodies()[0])

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = signed_in.put("/api/user/two-factor", json={**ENABLE_EMAIL, "code": wrong})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_code"

    done = signed_in.put("/api/user/two-factor", json={**ENABLE_EMAIL, "code": code})
    assert done.status_code == 200
    assert done.json == {
        "enabled": True,
        "method": "email",
        "recoveryCodes": fake_auth.recovery_codes[USER_ID],
        "issuer": "Demo",
        "account": "ann@example.com",
    }
    assert signed_in.get("/api/user/two-factor").json == {
        "enabled": True,
        "method": "email",
        "recoveryCodesRemaining": 10,
    }
    assert "secretKey" not in str(signed_in.get("/api/me").json)


def test_email_code_without_a_pending_email_setup(signed_in):
    response = signed_in.put("/api/user/two-factor", json={**ENABLE_EMAIL, "code": "123456"})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "nothing_pending"


def test_totp_code_does_not_confirm_a_pending_email_setup(signed_in):
    signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL)
    response = signed_in.put(
        "/api/user/two-factor", json={"enabled": True, "method": "totp", "code": "123456"}
    )
    assert response.json["error"]["code"] == "nothing_pending"


def test_unreachable_smtp_is_502_without_the_code_in_logs(app_config, caplog):
    from backend.app import create_app

    from .conftest import closed_port_url, follow_sign_in

    app_config["SMTP_PORT"] = closed_port_url().rsplit(":", 1)[1]
    client = create_app(app_config).test_client()
    follow_sign_in(client)
    caplog.set_level(logging.DEBUG)
    response = post_json(client, "/api/user/two-factor", ENABLE_EMAIL, method="put")
    assert response.status_code == 502
    assert response.json["error"]["code"] == "delivery_failed"
    assert not re.search(r"\b[0-9]{6}\b", caplog.text)


def test_without_smtp_host_the_code_is_a_console_line(app_config, caplog):
    from backend.app import create_app

    from .conftest import follow_sign_in

    del app_config["SMTP_HOST"]
    client = create_app({**app_config, "APP_MODE": "demo"}).test_client()
    follow_sign_in(client)
    caplog.set_level(logging.INFO, logger="app.delivery")
    assert client.put("/api/user/two-factor", json=ENABLE_EMAIL).status_code == 202
    (record,) = [r for r in caplog.records if r.name == "app.delivery"]
    code = code_in(record.getMessage())
    assert "ann@example.com" in record.getMessage()
    assert client.put("/api/user/two-factor", json={**ENABLE_EMAIL, "code": code}).status_code == 200


def test_send_a_new_code_waits_30_seconds_and_the_code_sent_keeps_working(signed_in, smtp_sink, clock):
    assert signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL).status_code == 202
    code = code_in(smtp_sink.bodies()[0])
    clock.advance(12)
    refused = signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "18"
    assert refused.json["error"] == {
        "code": "too_soon",
        "message": "A code was sent moments ago. You can ask for a new one in 18 seconds.",
    }
    assert len(smtp_sink.messages) == 1
    assert signed_in.put("/api/user/two-factor", json={**ENABLE_EMAIL, "code": code}).status_code == 200


def test_after_30_seconds_a_new_code_goes_out_and_five_in_ten_minutes_is_the_most(
    signed_in, smtp_sink, clock
):
    for _ in range(5):
        assert signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL).status_code == 202
        clock.advance(30)
    assert len(smtp_sink.messages) == 5
    refused = signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL)
    assert refused.status_code == 429
    assert (
        refused.json["error"]["message"]
        == "Too many codes were sent. You can ask for a new one in 8 minutes."
    )
    clock.advance(450)
    assert signed_in.put("/api/user/two-factor", json=ENABLE_EMAIL).status_code == 202
