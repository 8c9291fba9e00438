"""Reading a JSON object from a request body with clear 4xx errors."""

from __future__ import annotations

from typing import Any

from flask import request

from .errors import ApiError
from .nul_characters import MESSAGE, contains_nul


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 400/415 ApiError saying what is wrong."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.")
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
    if contains_nul(body):
        raise ApiError(400, "invalid_characters", MESSAGE)
    return body


def optional_str(body: dict[str, Any], name: str, *, max_length: int = 256) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(422, "invalid_type", f"'{name}' must be a string.", field=name)
    if len(value) > max_length:
        raise ApiError(422, "too_long", f"'{name}' is longer than {max_length} characters.", field=name)
    return value


def required_str(body: dict[str, Any], name: str, *, max_length: int = 256) -> str:
    value = optional_str(body, name, max_length=max_length)
    if value is None or value == "":
        raise ApiError(422, "missing_field", f"'{name}' is required.", field=name)
    return value
