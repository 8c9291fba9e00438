"""Schemathesis against the app's /openapi.json, in-process: nothing it generates gives a 500."""

from __future__ import annotations

import base64
import zlib

import pytest

from backend.app.openapi import description
from backend.common import totp
from backend.tests.openapi_fuzz import fuzz, operations

from .conftest import WEBHOOK
from .fake_authserver import PASSWORD

WEBHOOK_HEADERS = {"Authorization": "Basic " + base64.b64encode(":".join(WEBHOOK).encode()).decode()}
SECRET_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEW_NUMBER = "+1 415 555 0199"

#: The fake's user as each operation needs it to get past "wrong state" answers.
OFF = {"twoFactor": {"enabled": False}}
TOTP_PENDING = {"twoFactor": {"enabled": False, "secretKey": SECRET_KEY}}
TOTP_ON = {"twoFactor": {"enabled": True, "secretKey": SECRET_KEY}}
SMS_ON = {
    "phoneNumber": "+14155550100",
    "twoFactor": {"enabled": True, "transport": "sms", "secretKey": SECRET_KEY},
}
USER_STATE = {
    ("POST", "/api/user/two-factor"): OFF,
    ("PUT", "/api/user/two-factor"): TOTP_PENDING,
    ("POST", "/api/user/two-factor/recovery-codes"): TOTP_ON,
}
#: Body fields the auth server checks with $verify-totp: sometimes given the current code.
VERIFIED_FIELD = {
    ("PUT", "/api/user/two-factor"): "code",
    ("POST", "/api/user/two-factor/recovery-codes"): "code",
    ("PUT", "/api/user/phone"): "currentCode",
    ("POST", "/api/user/two-factor/change"): "code",
}
CHANGE = "/api/user/two-factor/change"
#: Operations that need a change of method open for the case's token (see open_change).
NEEDS_OPEN_CHANGE = {("PUT", CHANGE), ("POST", f"{CHANGE}/confirm")}


def open_change(app, headers: dict[str, str]) -> str:
    """Open a change of method for this token and set up an authenticator app: the new secret."""
    client = app.test_client()
    assert client.post(CHANGE, json={"password": PASSWORD}, headers=headers).status_code == 200
    return client.put(CHANGE, json={"method": "totp"}, headers=headers).json["secret"]


def test_openapi_json_is_served(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert {
        "/api/me",
        "/api/user/two-factor",
        "/api/user/two-factor/recovery-codes",
        "/api/user/two-factor/change",
        "/api/user/two-factor/change/confirm",
        "/api/user/phone/current-code",
        "/api/user/phone",
        "/logout",
        "/webhook/two-factor-confirmation",
    } <= set(paths)


@pytest.mark.parametrize(("method", "path"), operations(description("http://app.test")))
def test_no_server_error(app, fake_auth, clock, method, path):
    def prepare(case) -> dict[str, str]:
        if path.startswith("/webhook/"):
            return WEBHOOK_HEADERS
        state = USER_STATE.get((method, path), SMS_ON)
        user = {
            key: value for key, value in fake_auth.user.items() if key not in ("phoneNumber", "twoFactor")
        }
        fake_auth.users[user["id"]] = {**user, **state}
        fake_auth.last_steps.clear()
        # A choice that is a function of the case, so that Hypothesis can shrink a failure.
        choice = zlib.crc32(repr((case.body, case.query)).encode()) % 4
        field = VERIFIED_FIELD.get((method, path))
        if field and isinstance(case.body, dict) and field in case.body:
            if choice == 0:
                fake_auth.throttle_next_verify = 42  # the auth server's 429, passed on
            elif choice == 1:
                case.body = {**case.body, field: totp.code_at(SECRET_KEY, clock())}
                if "phoneNumber" in case.body:
                    case.body["phoneNumber"] = NEW_NUMBER
        headers = {"Authorization": f"Bearer {fake_auth.issue_token()}"}
        if (method, path) in NEEDS_OPEN_CHANGE:
            new_secret = open_change(app, headers)
            if choice == 1 and isinstance(case.body, dict) and "code" in case.body:
                case.body = {**case.body, "code": totp.code_at(new_secret, clock())}
        return headers

    fuzz(app, method, path, prepare)


def test_each_body_is_described_by_the_class_that_reads_it():
    document = description("http://app.test")
    assert document["openapi"] == "3.1.0"
    put = document["paths"]["/api/user/two-factor"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EnableBody"
    }
    enable = document["components"]["schemas"]["EnableBody"]
    assert enable["additionalProperties"] is False and enable["required"] == ["enabled", "method"]
    assert enable["properties"]["code"]["anyOf"][0]["maxLength"] == 32
    assert enable["properties"]["phoneNumber"]["anyOf"][0]["maxLength"] == 40
