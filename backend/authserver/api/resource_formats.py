"""Resource documents in JSON or YAML, as Aidbox reads and answers them (the docs write them in YAML).

A YAML body (``Content-Type: text/yaml`` / ``application/yaml``, or ``?_format=yaml``) gets the checks
a JSON body gets: the size limit (Flask's MAX_CONTENT_LENGTH), the nesting limit of json_depth, no NUL
characters, a mapping at the top. YAML aliases are refused: a few lines of anchors and aliases
("billion laughs") stand for a document of billions of nodes once anything walks it. Both checks read
the parser's events, which are produced without recursion, before the document is built.

Errors stay JSON (``{"error": {...}}``) whatever format was asked for: one error shape for every
client of both servers.
"""

from __future__ import annotations

from typing import Any

import yaml
from flask import Response, jsonify, request

from backend.common.errors import ApiError
from backend.common.json_body import json_object
from backend.common.json_depth import MAX_DEPTH
from backend.common.json_depth import MESSAGE as TOO_DEEP
from backend.common.nul_characters import MESSAGE as NUL_MESSAGE
from backend.common.nul_characters import contains_nul

YAML_TYPES = ("text/yaml", "application/yaml", "application/x-yaml")
_JSON_SCALARS = (str, int, float, bool, type(None))


def yaml_asked_for() -> bool:
    """Whether the answer should be YAML: ``?_format=yaml`` or an Accept header preferring YAML."""
    if request.args.get("_format") in ("yaml", *YAML_TYPES):
        return True
    return request.accept_mimetypes.best_match(["application/json", *YAML_TYPES]) in YAML_TYPES


def document_answer(document: Any, status: int = 200) -> tuple[Response, int]:
    """``document`` as JSON, or as YAML when the request asked for it."""
    if yaml_asked_for():
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        return Response(text, mimetype="text/yaml"), status
    return jsonify(document), status


def document_body() -> dict[str, Any]:
    """The request body as a JSON-like object, read as YAML or JSON; a 400/413/415 ApiError if not."""
    if request.mimetype in YAML_TYPES or request.args.get("_format") == "yaml":
        return _yaml_object(request.get_data(as_text=False))
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json or text/yaml.")
    return json_object()


def _yaml_object(data: bytes) -> dict[str, Any]:
    try:
        _refuse_aliases_and_deep_nesting(data)
        body = yaml.safe_load(data)
    except yaml.YAMLError:
        raise ApiError(400, "malformed_yaml", "The request body is not valid YAML.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_yaml", "The request body must be a YAML mapping.")
    if not _json_like(body):
        raise ApiError(
            400, "malformed_yaml", "Use strings for keys and JSON values only (quote dates and times)."
        )
    if contains_nul(body):
        raise ApiError(400, "invalid_characters", NUL_MESSAGE)
    return body


def _refuse_aliases_and_deep_nesting(data: bytes) -> None:
    depth = 0
    for event in yaml.parse(data, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise ApiError(400, "malformed_yaml", "YAML aliases (*name) are not accepted.")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ApiError(400, "malformed_yaml", TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _json_like(value: Any) -> bool:
    """Only what JSON can hold: YAML also makes dates, sets, bytes and non-string keys."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _json_like(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_json_like(item) for item in value)
    return isinstance(value, _JSON_SCALARS)
