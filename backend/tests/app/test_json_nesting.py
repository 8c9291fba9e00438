"""A deeply nested JSON body is a 400 on every operation that takes a body, never a 500."""

from __future__ import annotations

import pytest

from backend.app import create_app
from backend.app.openapi import description
from backend.tests.json_nesting import (
    DEPTHS,
    ROOM_FOR_DEEP_NESTING,
    assert_deeply_nested_body_is_400,
    assert_deeply_nested_body_is_413,
)
from backend.tests.openapi_fuzz import operations_with_body


@pytest.fixture
def roomy_app(app_config):
    return create_app({**app_config, **ROOM_FOR_DEEP_NESTING})


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize(("method", "path"), operations_with_body(description("http://app.test")))
def test_deeply_nested_body_is_400(roomy_app, method, path, depth):
    assert_deeply_nested_body_is_400(roomy_app, method, path, depth)


def test_deeply_nested_body_at_the_default_size_limit_is_a_json_4xx(client):
    assert_deeply_nested_body_is_413(client, "/logout")
