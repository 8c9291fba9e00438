"""NUL characters in request text are refused with a 400: no legitimate value holds one, and the
database cannot store one (PostgreSQL rejects it in text, so it would otherwise end in a 500)."""

from __future__ import annotations

from typing import Any

from flask import request

from .errors import ApiError

MESSAGE = "The request contains a NUL character (\\u0000), which no field accepts."


def contains_nul(value: Any) -> bool:
    """Whether a parsed JSON value has a NUL character in any string, keys included."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def refuse_nul_in_query_and_form() -> None:
    """A before_request hook: query parameters and form fields, names and values."""
    for fields in (request.args, request.form):
        for name, value in fields.items(multi=True):
            if "\x00" in name or "\x00" in value:
                raise ApiError(400, "invalid_characters", MESSAGE)
