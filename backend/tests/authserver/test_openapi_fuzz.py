"""Schemathesis against the auth server's /openapi.json, in-process: nothing it generates gives a 500."""

from __future__ import annotations

import base64
import zlib

import pytest

from backend.authserver.api.openapi import description
from backend.tests.openapi_fuzz import fuzz, operations

from .helpers import ADMIN_AUTH, APP_SECRET
from .test_api_login import api_login, bearer

ADMIN_HEADERS = {"Authorization": "Basic " + base64.b64encode(":".join(ADMIN_AUTH).encode()).decode()}
APP_CLIENT_HEADERS = {
    "Authorization": "Basic " + base64.b64encode(f"two-factor-app:{APP_SECRET}".encode()).decode()
}
ENABLE_PATH = "/api/user/two-factor/{userId}"
#: The admin's operations on one user ($check-password, $verify-totp, $recovery-codes, $lockout).
USER_OPERATION = "/User/{userId}/"


def test_openapi_json_is_served(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    for path in ("/api/login", "/api/two-factor/login", "/auth/userinfo", "/Session", "/User/{id}"):
        assert path in paths
    assert "/auth/introspect" in paths
    for path in ("$check-password", "$verify-totp", "$recovery-codes", "$lockout"):
        assert USER_OPERATION + path in paths
    assert "/AuditEvent" in paths


@pytest.mark.parametrize(("method", "path"), operations(description("http://localhost")))
def test_no_server_error(app, client, user, totp_user, method, path):
    def prepare(case) -> dict[str, str]:
        security = case.operation.definition.raw.get("security") or []
        schemes = {name for requirement in security for name in requirement}
        if path == ENABLE_PATH:
            # The admin may enable for a real user: generated bodies then reach the code check.
            case.path_parameters = {"userId": user["id"]}
            return ADMIN_HEADERS
        if path.startswith(USER_OPERATION) and zlib.crc32(repr(case.path_parameters).encode()) % 4:
            # Mostly a real user with two-factor on (codes, recovery codes, lockouts); else the generated id.
            case.path_parameters = {**case.path_parameters, "userId": totp_user["id"]}
        if "clientBasic" in schemes:
            return APP_CLIENT_HEADERS
        if "bearer" in schemes:
            # A fresh token each time: a generated DELETE /Session revokes the one it was given.
            return bearer(api_login(client, "ann@example.com").get_json()["token"])
        return ADMIN_HEADERS if schemes else {}

    fuzz(app, method, path, prepare)
