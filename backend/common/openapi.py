"""Building blocks both servers' OpenAPI descriptions are written with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    """An answer in the shared error shape (backend.common.errors)."""
    return json_response(ref("Error"), description)


def throttled(description: str, wait: str = "Seconds until the next attempt is looked at") -> dict[str, Any]:
    """A 429 answer: an Error with the seconds to wait in Retry-After."""
    return {
        **error(description),
        "headers": {"Retry-After": {"description": wait, "schema": {"type": "integer", "minimum": 1}}},
    }


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def component_schemas(*models: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schemas of ``models`` (and the models they use) under their class names, for
    ``components.schemas``; refer to one with :func:`ref`. OpenAPI 3.1 takes them as pydantic writes them."""
    _, top = models_json_schema(
        [(model, "validation") for model in models], ref_template="#/components/schemas/{model}"
    )
    return top.get("$defs", {})
