"""POST /webhook/two-factor-confirmation: Basic auth of the webhook client, then delivery."""

from __future__ import annotations

import base64
import logging
from urllib.parse import parse_qs

import pytest

from backend.app import create_app

from .conftest import WEBHOOK, closed_port_url
from .fake_authserver import EMAIL, USER_ID

URL = "/webhook/two-factor-confirmation"
USER = {"id": "u1", "email": "ann@example.com", "phoneNumber": "+14155550100"}


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


GOOD = basic(*WEBHOOK)


def body(transport: str = "email", token: str = "012345", user: dict | None = None) -> dict:
    return {"user": USER if user is None else user, "token": token, "transport": transport}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(WEBHOOK[0], "wrong"),
        basic("someone", WEBHOOK[1]),
        basic("admin", "admin-secret"),
        {"Authorization": "Bearer " + WEBHOOK[1]},
        {"Authorization": "Basic !!!"},
        basic(WEBHOOK[0], WEBHOOK[1] + "é"),
    ],
)
def test_without_the_webhook_credentials_is_401(client, headers, caplog):
    caplog.set_level(logging.INFO, logger="app.delivery")
    response = client.post(URL, json=body(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.json["error"]["code"] == "unauthorized"
    assert "012345" not in caplog.text


@pytest.fixture
def demo_client(app_config):
    return create_app({**app_config, "APP_MODE": "demo"}).test_client()


def test_email_without_smtp_is_a_console_line(demo_client, caplog):
    caplog.set_level(logging.INFO, logger="app.delivery")
    response = demo_client.post(URL, json=body(), headers=GOOD)
    assert response.status_code == 200
    assert response.json == {"delivered": True}
    (record,) = [r for r in caplog.records if r.name == "app.delivery"]
    assert "ann@example.com" in record.getMessage() and "012345" in record.getMessage()


def test_email_goes_through_smtp_when_configured(app_config, smtp_sink):
    app_config.update(SMTP_HOST=smtp_sink.host, SMTP_PORT=smtp_sink.port)
    client = create_app(app_config).test_client()
    assert client.post(URL, json=body(), headers=GOOD).status_code == 200
    assert smtp_sink.messages[0]["To"] == "ann@example.com"
    assert "012345" in smtp_sink.bodies()[0]


def test_sms_goes_to_the_gateway_in_twilio_shape(app_config, http_recorder):
    http_recorder.status = 201
    app_config.update(
        SMS_GATEWAY_URL=http_recorder.url + "/",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="sms-token",
        SMS_FROM="+15005550006",
    )
    client = create_app(app_config).test_client()
    response = client.post(URL, json=body("sms"), headers=GOOD)
    assert response.status_code == 200
    (sent,) = http_recorder.requests
    assert (sent.method, sent.path) == ("POST", "/2010-04-01/Accounts/AC123/Messages.json")
    assert sent.headers["Authorization"] == basic("AC123", "sms-token")["Authorization"]
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = {k: v[0] for k, v in parse_qs(sent.body.decode()).items()}
    assert form["To"] == "+14155550100"
    assert form["From"] == "+15005550006"
    assert "012345" in form["Body"]


def test_sms_without_gateway_is_a_console_line(demo_client, caplog):
    caplog.set_level(logging.INFO, logger="app.delivery")
    assert demo_client.post(URL, json=body("sms"), headers=GOOD).status_code == 200
    assert "012345" in caplog.text and "+14155550100" in caplog.text


@pytest.mark.parametrize(
    ("transport", "masked", "setting"),
    [("email", "a•••@example.com", "SMTP_HOST"), ("sms", "+1 ••• ••• 0100", "SMS_GATEWAY_URL")],
)
def test_outside_demo_mode_the_console_line_has_no_code(client, caplog, transport, masked, setting):
    """Production (the default APP_MODE): the log says where the code was meant to go, masked."""
    caplog.set_level(logging.DEBUG)
    assert client.post(URL, json=body(transport), headers=GOOD).status_code == 200
    (record,) = [r for r in caplog.records if r.name == "app.delivery"]
    assert masked in record.getMessage() and setting in record.getMessage()
    assert "012345" not in caplog.text
    assert "ann@example.com" not in caplog.text and "+14155550100" not in caplog.text


def test_fields_the_sender_adds_are_ignored(demo_client, caplog):
    """Aidbox's webhook carries more of the User (and of the call) than the bundled auth server's."""
    caplog.set_level(logging.INFO, logger="app.delivery")
    user = {**USER, "resourceType": "User", "twoFactor": {"enabled": True}}
    response = demo_client.post(URL, json={**body(user=user), "meta": {"v": 1}}, headers=GOOD)
    assert response.status_code == 200 and response.json == {"delivered": True}
    assert "012345" in caplog.text


@pytest.mark.parametrize("status", [400, 500])
def test_gateway_failure_is_502_and_the_code_is_not_logged(app_config, http_recorder, caplog, status):
    http_recorder.status = status
    app_config.update(SMS_GATEWAY_URL=http_recorder.url, SMS_ACCOUNT_SID="AC1", SMS_AUTH_TOKEN="t")
    client = create_app(app_config).test_client()
    caplog.set_level(logging.DEBUG)
    response = client.post(URL, json=body("sms"), headers=GOOD)
    assert response.status_code == 502
    assert response.json["error"]["code"] == "delivery_failed"
    assert any(r.levelno >= logging.WARNING for r in caplog.records)
    assert "012345" not in caplog.text


def test_unreachable_gateway_is_502(app_config, caplog):
    app_config.update(SMS_GATEWAY_URL=closed_port_url(), SMS_ACCOUNT_SID="AC1", SMS_AUTH_TOKEN="t")
    client = create_app(app_config).test_client()
    caplog.set_level(logging.DEBUG)
    assert client.post(URL, json=body("sms"), headers=GOOD).status_code == 502
    assert "012345" not in caplog.text


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (body(token="12345"), "token"),
        (body(token="１２３４５６"), "token"),
        (body(token=123456), "token"),
        (body(transport="pigeon"), "transport"),
        (body(user={"id": "u1"}), "user.email"),
        (body(user={"email": "a@b.c"}), "user.id"),
        (body(user=[]), "user"),
        ({"token": "012345", "transport": "email"}, "user"),
        (body("sms", user={"id": "u1", "email": "a@b.c"}), "user.phoneNumber"),
        (body("sms", user={**USER, "phoneNumber": 5}), "user.phoneNumber"),
    ],
)
def test_invalid_bodies_are_422(client, payload, field):
    response = client.post(URL, json=payload, headers=GOOD)
    assert response.status_code == 422
    assert response.json["error"]["field"] == field


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [("{", "application/json", 400), ("[]", "application/json", 400), ("token=1", "text/plain", 415)],
)
def test_malformed_bodies_are_4xx(client, data, content_type, status):
    response = client.post(URL, data=data, content_type=content_type, headers=GOOD)
    assert response.status_code == status
    assert "error" in response.json


def test_without_transport_the_users_own_transport_is_used(demo_client, fake_auth, caplog):
    """``{user, token}`` as Aidbox and the original demo send it."""
    caplog.set_level(logging.INFO, logger="app.delivery")
    fake_auth.users[USER_ID]["twoFactor"] = {"enabled": True, "transport": "email"}
    call = {"user": {"id": USER_ID, "email": EMAIL}, "token": "012345"}
    response = demo_client.post(URL, json=call, headers=GOOD)
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "app.delivery"]
    assert EMAIL in record.getMessage() and "012345" in record.getMessage()


@pytest.mark.parametrize("two_factor", [{"enabled": True}, {"enabled": True, "transport": "pigeon"}])
def test_without_a_transport_it_can_deliver_by_it_says_so(client, fake_auth, two_factor):
    fake_auth.users[USER_ID]["twoFactor"] = two_factor
    call = {"user": {"id": USER_ID, "email": EMAIL}, "token": "012345"}
    response = client.post(URL, json=call, headers=GOOD)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unsupported_transport"
    assert "Cannot deliver" in response.json["error"]["message"]


def test_without_transport_an_unknown_user_is_404(client):
    response = client.post(URL, json={"user": USER, "token": "012345"}, headers=GOOD)
    assert response.status_code == 404
    assert response.json["error"]["field"] == "user.id"
