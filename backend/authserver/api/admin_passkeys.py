"""Admin operations on passkeys, which the backend app calls for its settings page (Basic credentials).

``session`` is what the app knows the browser's session by: a challenge is answered only with the
same value, so a challenge handle is worth nothing to another session.

- ``POST /User/<id>/$passkey-options {"purpose": "register"|"authenticate", "session"}``:
  ``{challengeId, publicKey}``, the options for ``navigator.credentials.create`` / ``get``.
- ``POST /User/<id>/$add-passkey {"session", "challengeId", "credential", "name"?}``: 201, the new
  Passkey (the browser's ``credential.toJSON()`` checked: origin, site, challenge, user verification).
- ``POST /User/<id>/$verify-passkey {"session", "challengeId", "credential"}``: 200 ``{"valid": true}``
  for a user-verified assertion by one of the user's passkeys, under the codes' throttle (429, 423);
  refusals are 422 with a code that says why.
- ``GET /Passkey?user=<id>``: a Bundle; ``GET``, ``PATCH {"name"}``, ``DELETE /Passkey/<id>``.
  No key material is ever answered.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Blueprint, Response, jsonify, request
from pydantic import Field

from backend.common.errors import ApiError, error_response
from backend.common.json_body import StrictBody, parse_body

from ..models import Passkey
from ..two_factor import passkeys
from ..two_factor.attempts import attempt_passkey
from ..two_factor.passkeys import PasskeyRefused
from ..two_factor.throttle import LOCKED_MESSAGE
from .admin_auth import admin_required
from .admin_two_factor import throttled_response, user_or_404

bp = Blueprint("admin_passkeys", __name__)

#: What identifies the session at the caller; the app sends a hash of its session id (64 hex digits).
SessionKey = Annotated[str, Field(min_length=16, max_length=256)]
PasskeyName = Annotated[str, Field(max_length=64, description="shown in the list; empty: 'Passkey'")]


class PasskeyOptionsBody(StrictBody):
    purpose: Literal["register", "authenticate"]
    session: SessionKey


class PasskeyAnswerBody(StrictBody):
    session: SessionKey
    challengeId: str = Field(min_length=1, max_length=64)
    #: The browser's PublicKeyCredential as JSON (``credential.toJSON()``); py_webauthn reads it.
    credential: dict[str, Any]


class NewPasskeyBody(PasskeyAnswerBody):
    name: PasskeyName = ""


class RenameBody(StrictBody):
    name: PasskeyName


def refused(error: PasskeyRefused) -> Response:
    return error_response(422, error.code, error.message, field="credential")


@bp.post("/User/<user_id>/$passkey-options")
@admin_required
def options(user_id: str) -> Response:
    """Options for adding a passkey, or for confirming with one of the user's passkeys."""
    body = parse_body(PasskeyOptionsBody)
    user = user_or_404(user_id)
    if body.purpose == "register":
        return jsonify(passkeys.registration_options(user, body.session))
    if not passkeys.has_passkey(user.id):
        raise ApiError(422, "no_passkey", "This account has no passkey.")
    return jsonify(passkeys.authentication_options(user, body.session))


@bp.post("/User/<user_id>/$add-passkey")
@admin_required
def add(user_id: str) -> tuple[Response, int] | Response:
    """Keep the passkey the browser just created (user-verified), with its name."""
    body = parse_body(NewPasskeyBody)
    user = user_or_404(user_id)
    try:
        passkey = passkeys.register(user, body.session, body.challengeId, body.credential, body.name)
    except PasskeyRefused as error:
        return refused(error)
    return jsonify(passkeys.as_resource(passkey)), 201


@bp.post("/User/<user_id>/$verify-passkey")
@admin_required
def verify(user_id: str) -> Response:
    """A fresh second factor: a user-verified answer from one of the user's passkeys, once."""
    body = parse_body(PasskeyAnswerBody)
    user = user_or_404(user_id)
    try:
        outcome = attempt_passkey(
            user, lambda: passkeys.check_assertion(user, body.session, body.challengeId, body.credential)
        )
    except PasskeyRefused as error:
        return refused(error)
    if outcome.locked:
        return error_response(423, "second_factor_locked", LOCKED_MESSAGE, field="credential")
    if outcome.retry_after is not None:
        return throttled_response(outcome)
    return jsonify(valid=True)


@bp.get("/Passkey")
@admin_required
def search() -> Response:
    """A Bundle of the passkeys of ``user`` (required: there is no list of everyone's)."""
    user_id = request.args.get("user")
    if not user_id:
        raise ApiError(422, "missing_parameter", "'user' is required.", field="user")
    found = passkeys.passkeys_of(user_id)
    return jsonify(
        resourceType="Bundle",
        type="searchset",
        total=len(found),
        entry=[{"resource": passkeys.as_resource(passkey)} for passkey in found],
    )


def _passkey(passkey_id: str) -> Passkey:
    passkey = passkeys.find(passkey_id)
    if passkey is None:
        raise ApiError(404, "not_found", f"There is no Passkey '{passkey_id}'.")
    return passkey


@bp.get("/Passkey/<passkey_id>")
@admin_required
def read(passkey_id: str) -> Response:
    return jsonify(passkeys.as_resource(_passkey(passkey_id)))


@bp.patch("/Passkey/<passkey_id>")
@admin_required
def rename(passkey_id: str) -> Response:
    """A new name; nothing else about a passkey changes."""
    body = parse_body(RenameBody)
    passkey = _passkey(passkey_id)
    passkeys.rename(passkey, body.name)
    return jsonify(passkeys.as_resource(passkey))


@bp.delete("/Passkey/<passkey_id>")
@admin_required
def remove(passkey_id: str) -> Response:
    """Remove a passkey; the caller has checked a fresh second factor. 204."""
    passkeys.remove(_passkey(passkey_id))
    return Response(status=204)
