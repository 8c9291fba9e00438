"""The JSON nesting bound both servers apply: counted without recursion, strings are not structure."""

from __future__ import annotations

import pytest
from flask import Flask, request
from werkzeug.exceptions import BadRequest

from backend.common.json_depth import MAX_DEPTH, init_json_depth_limit, nests_deeper_than


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [0, 1, MAX_DEPTH])
def test_up_to_the_limit_is_allowed(depth):
    assert not nests_deeper_than(nested(depth), MAX_DEPTH)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deeper_is_refused(depth):
    assert nests_deeper_than(nested(depth), MAX_DEPTH)
    assert nests_deeper_than(nested(depth).encode(), MAX_DEPTH)


def test_objects_and_arrays_count_alike():
    assert nests_deeper_than('{"a":' * 40 + "[]" + "}" * 40, MAX_DEPTH)


def test_brackets_inside_strings_are_text():
    body = '{"password": "' + "[{" * 1000 + '\\"[[[", "a": [[1]]}'
    assert not nests_deeper_than(body, MAX_DEPTH)


def test_unclosed_brackets_count():
    assert nests_deeper_than("[" * 1000, MAX_DEPTH)


def test_text_that_is_not_json_is_left_to_the_parser():
    assert not nests_deeper_than(b"\xff\xfe\xff", MAX_DEPTH)


def test_a_forced_parse_of_any_content_type_is_bounded_too():
    """``get_json(force=True)`` (or a library's own parse) goes through the app's JSON provider."""
    app = Flask(__name__)
    init_json_depth_limit(app)
    with (
        app.test_request_context(data=nested(1_000), content_type="text/plain"),
        pytest.raises(BadRequest),
    ):
        request.get_json(force=True)
    with app.test_request_context(data=nested(MAX_DEPTH), content_type="text/plain"):
        assert request.get_json(force=True) is not None
