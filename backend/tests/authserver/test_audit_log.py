"""The audit log: 2FA on/off, recovery code used, lockout, with user, time and IP; never a code or secret."""

from __future__ import annotations

import json

from backend.common import totp

from .helpers import ADMIN_AUTH, csrf_token, form_action
from .test_throttle import wrong
from .test_totp_step import enter, to_step_page


def events(client, user_id: str) -> list[dict]:
    response = client.get(f"/AuditEvent?user={user_id}", auth=ADMIN_AUTH)
    assert response.status_code == 200
    bundle = response.get_json()
    assert bundle["resourceType"] == "Bundle"
    return [entry["resource"] for entry in bundle["entry"]]


def test_enable_recovery_lockout_and_disable_are_recorded(app, admin, user, clock):
    client = app.test_client()
    secret = totp.new_secret()
    admin.patch_user(user["id"], {"twoFactor": {"enabled": True, "secretKey": secret}})
    codes = client.post(f"/User/{user['id']}/$recovery-codes", json={}, auth=ADMIN_AUTH).get_json()
    recovery = codes["recoveryCodes"][0]
    enter(client, to_step_page(client, email="ann@example.com"), recovery)
    other = app.test_client()
    page = to_step_page(other, email="ann@example.com")
    for _ in range(5):
        enter(other, page, wrong(secret, clock))
    admin.patch_user(user["id"], {"twoFactor": {"enabled": False}})

    recorded = events(client, user["id"])
    assert [event["type"] for event in reversed(recorded)] == [
        "two-factor-enabled",
        "recovery-codes-generated",
        "recovery-code-used",
        "lockout",
        "two-factor-disabled",
    ]
    assert all(event["user"] == user["id"] and event["ip"] == "127.0.0.1" for event in recorded)
    assert all(event["recorded"].startswith("2023-11-14T22:13:20") for event in recorded)
    text = json.dumps(recorded)
    assert secret not in text and recovery not in text


def test_the_app_forwards_the_end_users_address(client, admin, user):
    admin.client.patch(
        f"/User/{user['id']}",
        json={"twoFactor": {"enabled": True, "secretKey": totp.new_secret()}},
        auth=ADMIN_AUTH,
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert events(client, user["id"])[0]["ip"] == "203.0.113.7"


def test_a_forwarded_address_from_anyone_else_is_ignored(client, totp_user, clock):
    html = to_step_page(client).get_data(as_text=True)
    for _ in range(5):
        client.post(
            form_action(html),
            data={"csrf_token": csrf_token(html), "token": wrong(totp_user["secret"], clock)},
            headers={"X-Forwarded-For": "198.51.100.1"},
        )
    lockout = events(client, totp_user["id"])[0]
    assert lockout["type"] == "lockout" and lockout["ip"] == "127.0.0.1"


def test_audit_log_needs_admin(client):
    assert client.get("/AuditEvent").status_code == 401
