"""Request bodies declared once as pydantic models: the same model checks the body and describes it.

A view reads its body with ``parse_body(LoginBody)``; the OpenAPI documents take their schemas from
the same classes (``backend.common.openapi.component_schemas``), so a limit is written in one place.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from . import totp
from .errors import ApiError
from .jsonbody import json_object

Body = TypeVar("Body", bound=BaseModel)

#: A one-time or recovery code as people submit it ("806 056", "abcd-2345"), its separators removed;
#: whether it is well formed is the verifier's question (totp.is_well_formed, recovery_codes).
OneTimeCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        description="6 digits (or a recovery code); spaces and dashes are ignored",
    ),
    AfterValidator(totp.normalise_code),
]


class StrictBody(BaseModel):
    """A JSON body: no unknown fields, no type coercion ("5" is not 5, true is not 1)."""

    model_config = ConfigDict(extra="forbid", strict=True)


def parse_body(model: type[Body]) -> Body:
    """The request's JSON object checked against ``model``, or a 4xx ApiError naming the first bad field."""
    return parse_object(model, json_object())


def parse_object(model: type[Body], value: dict[str, Any]) -> Body:
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise _first_problem(error) from None


def _first_problem(error: ValidationError) -> ApiError:
    problem = error.errors(include_url=False, include_input=False)[0]
    field = _path(problem["loc"])
    if problem["type"] == "missing":
        return ApiError(422, "missing_field", f"'{field}' is required.", field=field)
    if problem["type"] == "extra_forbidden":
        return ApiError(422, "unknown_field", f"Unknown field '{field}'.", field=field)
    reason = problem["msg"].removeprefix("Value error, ")
    return ApiError(422, "invalid_field", f"'{field}': {reason}", field=field)


def _path(location: tuple[int | str, ...]) -> str:
    """``("twoFactor", "webhook", "endpoint")`` as ``twoFactor.webhook.endpoint``, list items as ``[0]``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "body"
