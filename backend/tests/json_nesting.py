"""A deeply nested JSON body is a 400 on every operation that takes a body, never a 500: the checks
both servers' test_json_nesting.py run."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

#: Room for 100,000 levels (200 KB), so that the body reaches the parser instead of the 413.
ROOM_FOR_DEEP_NESTING = {"MAX_CONTENT_LENGTH": 1024 * 1024}
DEPTHS = [1_000, 100_000]


def assert_deeply_nested_body_is_400(app: Flask, method: str, path: str, depth: int) -> None:
    """``depth`` nested arrays sent to ``path`` (its ``{parameters}`` filled in) are malformed JSON."""
    body = "[" * depth + "]" * depth
    url = re.sub(r"\{[^}]+\}", "x", path)
    response = app.test_client().open(url, method=method, data=body, content_type="application/json")
    assert response.status_code == 400, response.data[:200]
    assert response.get_json()["error"]["code"] == "malformed_json"


def assert_deeply_nested_body_is_413(client: FlaskClient, path: str) -> None:
    """At the default size limit, 100,000 levels are refused for their size, as JSON."""
    response = client.post(path, data="[" * 100_000, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
