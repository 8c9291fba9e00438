"""A deeply nested JSON body is a 400 on every operation that takes a body, never a 500."""

from __future__ import annotations

import re

import pytest

from backend.authserver import create_app
from backend.authserver.api.openapi import description
from backend.tests.openapi_fuzz import operations_with_body


@pytest.fixture
def roomy_app(config):
    # Room for 100,000 levels (200 KB), so that the body reaches the parser instead of the 413.
    return create_app({**config, "MAX_CONTENT_LENGTH": 1024 * 1024})


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize(("method", "path"), operations_with_body(description("http://localhost")))
def test_deeply_nested_body_is_400(roomy_app, method, path, depth):
    body = "[" * depth + "]" * depth
    url = re.sub(r"\{[^}]+\}", "x", path)
    response = roomy_app.test_client().open(url, method=method, data=body, content_type="application/json")
    assert response.status_code == 400, response.data[:200]
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_deeply_nested_body_at_the_default_size_limit_is_a_json_4xx(client):
    response = client.post("/api/login", data="[" * 100_000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
