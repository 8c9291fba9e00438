"""The admin resource API: GET/PUT/DELETE /<Type>/<id>, POST /<Type>, PATCH /User/<id>, GET /User
(search by email, _id, _count), $check-password. Documents are read and answered as JSON or YAML."""

from __future__ import annotations

from typing import Literal

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, Field

from backend.common.errors import ApiError
from backend.common.json_body import StrictBody, parse_body

from .. import store
from ..extensions import db
from ..models import User
from ..two_factor.attempts import attempt_password
from .admin_auth import admin_required
from .admin_two_factor import throttled_response
from .resource_formats import document_answer, document_body
from .schemas import User as UserDocument

bp = Blueprint("resources", __name__)

#: The most users one search answers with (``_count``).
MAX_COUNT = 1000


class PasswordCheckBody(StrictBody):
    password: str = Field(min_length=1, max_length=1024)


class UserEntry(BaseModel):
    resource: UserDocument


class UserBundle(BaseModel):
    """The users matching the query (``email``, ``_id``), at most ``_count`` of them; ``total`` counts
    every match."""

    resourceType: Literal["Bundle"]
    type: Literal["searchset"]
    total: int = Field(ge=0)
    entry: list[UserEntry]


def _known_type(resource_type: str) -> None:
    if resource_type not in store.RESOURCE_TYPES:
        known = ", ".join(store.RESOURCE_TYPES)
        raise ApiError(
            404, "unknown_resource_type", f"Unknown resource type '{resource_type}' (known: {known})."
        )


@bp.get("/<resource_type>/<resource_id>")
@admin_required
def read(resource_type: str, resource_id: str) -> tuple[Response, int]:
    """The stored document, secrets included (admin only)."""
    _known_type(resource_type)
    document = store.get_document(resource_type, resource_id)
    if document is None:
        raise _not_found(resource_type, resource_id)
    return document_answer(document)


@bp.put("/<resource_type>/<resource_id>")
@admin_required
def replace(resource_type: str, resource_id: str) -> tuple[Response, int]:
    """Create or replace a document; 201 when created, 200 when replaced."""
    _known_type(resource_type)
    document, created = store.put_document(resource_type, resource_id, document_body())
    return document_answer(document, 201 if created else 200)


@bp.post("/<resource_type>")
@admin_required
def create(resource_type: str) -> tuple[Response, int]:
    """Create a document under the body's ``id`` (a generated one without it): 201 with Location, 409
    when the id is taken."""
    _known_type(resource_type)
    document = store.create_document(resource_type, document_body())
    answer, status = document_answer(document, 201)
    answer.headers["Location"] = f"/{resource_type}/{document['id']}"
    return answer, status


@bp.delete("/<resource_type>/<resource_id>")
@admin_required
def remove(resource_type: str, resource_id: str) -> tuple[Response, int]:
    """Delete a document and answer it (200, as Aidbox); a User goes with its sessions, tokens and codes."""
    _known_type(resource_type)
    document = store.delete_document(resource_type, resource_id)
    if document is None:
        raise _not_found(resource_type, resource_id)
    return document_answer(document)


def _not_found(resource_type: str, resource_id: str) -> ApiError:
    return ApiError(404, "not_found", f"There is no {resource_type} '{resource_id}'.")


@bp.patch("/User/<user_id>")
@admin_required
def patch_user(user_id: str) -> tuple[Response, int]:
    """JSON merge patch (RFC 7396) of a User, e.g. ``{"twoFactor": {"enabled": true}}``."""
    return document_answer(store.patch_user(user_id, document_body()))


@bp.get("/User")
@admin_required
def search_users() -> tuple[Response, int]:
    """A Bundle of the users matching ``email`` and ``_id`` (one id or several, comma-separated), at
    most ``_count``; other ``_`` parameters are ignored, as Aidbox ignores the ones it does not know."""
    users, total = store.find_users(request.args.get("email"), _ids(), _count())
    return document_answer(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "entry": [{"resource": user.document} for user in users],
        }
    )


def _ids() -> list[str] | None:
    value = request.args.get("_id")
    return None if value is None else [part.strip() for part in value.split(",") if part.strip()]


def _count() -> int | None:
    value = request.args.get("_count")
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 4 and 0 < int(value) <= MAX_COUNT):
        message = f"'_count' must be a whole number from 1 to {MAX_COUNT}."
        raise ApiError(400, "invalid_parameter", message, field="_count")
    return int(value)


@bp.post("/User/<user_id>/$check-password")
@admin_required
def check_password(user_id: str) -> Response:
    """200 ``{"valid": true}`` when the password is the user's, else 422 invalid_password."""
    password = parse_body(PasswordCheckBody).password
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", f"There is no User '{user_id}'.")
    outcome = attempt_password(user, user.email, password)
    if outcome.retry_after is not None:
        return throttled_response(outcome)
    if not outcome.ok:
        raise ApiError(422, "invalid_password", "The password is not correct.", field="password")
    return jsonify(valid=True)
