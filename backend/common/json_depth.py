"""A bound on how deeply a JSON request body may nest, in both servers.

Python's ``json`` parser recurses once per ``[`` or ``{``: a body of a thousand brackets raises
RecursionError, which is not a ValueError, so Flask would answer with a 500. No request here needs
more than a few levels, so anything deeper than :data:`MAX_DEPTH` is refused with a 400 before it is
parsed: by a before_request guard for every JSON body (whatever a view does with it later), and by
the app's JSON provider for any other parse (``request.get_json(force=True)``, Authlib's requests).
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from .errors import ApiError

MAX_DEPTH = 32
MESSAGE = f"The request body nests deeper than {MAX_DEPTH} levels."

# A JSON string (its brackets are text, not structure), and the brackets left outside strings.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class TooDeeplyNested(ValueError):
    """A ValueError, so that Flask's ``get_json`` treats it as any other malformed body (a 400)."""


def nests_deeper_than(text: str | bytes, limit: int) -> bool:
    """Whether the JSON text opens more than ``limit`` arrays/objects inside one another.

    Counts without recursing, so it is safe on any input; text that is not JSON gets False and is
    left for the parser to refuse."""
    if isinstance(text, bytes):
        try:
            text = text.decode(json.detect_encoding(text))
        except UnicodeDecodeError:
            return False
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket[0] in "[{" else -1
        if depth > limit:
            return True
    return False


class DepthBoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if nests_deeper_than(s, MAX_DEPTH):
            raise TooDeeplyNested(MESSAGE)
        return super().loads(s, **kwargs)


def refuse_deeply_nested_json() -> None:
    """A before_request hook: a JSON body nested deeper than MAX_DEPTH is a 400, before any view."""
    if request.is_json and nests_deeper_than(request.get_data(cache=True), MAX_DEPTH):
        raise ApiError(400, "malformed_json", MESSAGE)


def init_json_depth_limit(app: Flask) -> None:
    app.json = DepthBoundedJSONProvider(app)
    app.before_request(refuse_deeply_nested_json)
