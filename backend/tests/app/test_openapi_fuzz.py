"""Schemathesis against the app's /openapi.json, in-process: nothing it generates gives a 500."""

from __future__ import annotations

import base64

import pytest

from backend.app.openapi import description
from backend.tests.openapi_fuzz import fuzz, operations

from .conftest import WEBHOOK

WEBHOOK_HEADERS = {"Authorization": "Basic " + base64.b64encode(":".join(WEBHOOK).encode()).decode()}


def test_openapi_json_is_served(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert {"/api/me", "/api/user/two-factor", "/webhook/two-factor-confirmation"} <= set(paths)


@pytest.mark.parametrize(("method", "path"), operations(description("http://app.test")))
def test_no_server_error(app, fake_auth, method, path):
    def prepare(case) -> dict[str, str]:
        if path.startswith("/webhook/"):
            return WEBHOOK_HEADERS
        return {"Authorization": f"Bearer {fake_auth.issue_token()}"}

    fuzz(app, method, path, prepare)
