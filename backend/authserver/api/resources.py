"""The admin resource API: GET/PUT /<Type>/<id>, PATCH /User/<id>, GET /User?email=, $check-password."""

from __future__ import annotations

from typing import Literal

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, Field

from backend.common.errors import ApiError
from backend.common.json_body import StrictBody, parse_body
from backend.common.jsonbody import json_object

from .. import store
from ..extensions import db
from ..models import User
from ..two_factor.attempts import attempt_password
from .admin_auth import admin_required
from .admin_two_factor import throttled_response
from .schemas import User as UserDocument

bp = Blueprint("resources", __name__)


class PasswordCheckBody(StrictBody):
    password: str = Field(min_length=1, max_length=1024)


class UserEntry(BaseModel):
    resource: UserDocument


class UserBundle(BaseModel):
    """The users whose email equals the query's ``email``, or all users."""

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
def read(resource_type: str, resource_id: str) -> Response:
    """The stored document, secrets included (admin only)."""
    _known_type(resource_type)
    document = store.get_document(resource_type, resource_id)
    if document is None:
        raise ApiError(404, "not_found", f"There is no {resource_type} '{resource_id}'.")
    return jsonify(document)


@bp.put("/<resource_type>/<resource_id>")
@admin_required
def replace(resource_type: str, resource_id: str) -> tuple[Response, int]:
    """Create or replace a document; 201 when created, 200 when replaced."""
    _known_type(resource_type)
    document, created = store.put_document(resource_type, resource_id, json_object())
    return jsonify(document), 201 if created else 200


@bp.patch("/User/<user_id>")
@admin_required
def patch_user(user_id: str) -> Response:
    """JSON merge patch (RFC 7396) of a User, e.g. ``{"twoFactor": {"enabled": true}}``."""
    return jsonify(store.patch_user(user_id, json_object()))


@bp.get("/User")
@admin_required
def search_users() -> Response:
    """A Bundle of the users whose email equals ``email`` (all users without it)."""
    users = store.find_users(request.args.get("email"))
    return jsonify(
        resourceType="Bundle",
        type="searchset",
        total=len(users),
        entry=[{"resource": user.document} for user in users],
    )


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
