"""The signed-in user's passkeys: list, add, rename, remove (``/api/user/passkeys``).

The auth server owns passkeys (it signs people in with them); this API passes the browser's WebAuthn
answers on to its admin operations, which check them. Each challenge is bound to this sign-in: the
app sends a hash of what identifies it (the session row, or the Bearer token), so a challenge handle
copied into another browser is refused. Removing a passkey needs a fresh second factor: a passkey's
answer, or a current code when two-factor is on (GitHub and Keycloak ask the same).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from flask import Blueprint, jsonify
from flask_login import current_user
from pydantic import Field
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.json_body import OneTimeCode, StrictBody, parse_body

from .authserver_client import authserver
from .current_user import require_sign_in
from .features import require_for_blueprint
from .passkey_factor import update_passkey
from .profiles import method_of
from .user_checks import code_is_right

bp = Blueprint("passkeys", __name__, url_prefix="/api/user/passkeys")
require_sign_in(bp)
require_for_blueprint(bp, "passkeys")

PasskeyName = Annotated[str, Field(max_length=64, description="shown in the list; empty: 'Passkey'")]
ChallengeId = Annotated[str, Field(min_length=1, max_length=64)]


class OptionsBody(StrictBody):
    purpose: Literal["register", "authenticate"]


class NewPasskeyBody(StrictBody):
    challengeId: ChallengeId
    #: The browser's PublicKeyCredential as JSON (``credential.toJSON()``).
    credential: dict[str, Any]
    name: PasskeyName = ""


class RenameBody(StrictBody):
    name: PasskeyName


class FreshSecondFactorBody(StrictBody):
    """A passkey's answer (``challengeId`` + ``credential``) or a current ``code``."""

    challengeId: ChallengeId | None = None
    credential: dict[str, Any] | None = None
    code: OneTimeCode | None = None


def _session() -> str:
    """What this sign-in is known by at the auth server: a hash, never the cookie's value itself."""
    secret = (
        f"session:{current_user.id}"
        if current_user.kind == "session"
        else f"bearer:{current_user.access_token}"
    )
    return hashlib.sha256(secret.encode()).hexdigest()


def _listed(passkey: dict[str, Any]) -> dict[str, Any]:
    return {key: passkey.get(key) for key in ("id", "name", "created", "lastUsed")}


def _own_passkey(passkey_id: str) -> dict[str, Any]:
    passkey = authserver().passkey(passkey_id)
    if passkey is None or passkey.get("user") != current_user.user_id:
        raise ApiError(404, "not_found", "There is no such passkey.")
    return passkey


@bp.get("")
def list_passkeys() -> Response:
    """``{passkeys: [{id, name, created, lastUsed}]}``, oldest first."""
    return jsonify(passkeys=[_listed(passkey) for passkey in authserver().passkeys(current_user.user_id)])


@bp.post("/options")
def options() -> Response:
    """``{challengeId, publicKey}``: WebAuthn options for adding a passkey (``register``) or for
    confirming with one (``authenticate``); the challenge answers once, within 5 minutes."""
    body = parse_body(OptionsBody)
    return jsonify(authserver().passkey_options(current_user.user_id, body.purpose, _session()))


@bp.post("")
def add() -> tuple[Response, int]:
    """Keep the passkey the browser just created; 201 with it as listed."""
    body = parse_body(NewPasskeyBody)
    added = authserver().add_passkey(current_user.user_id, {**body.model_dump(), "session": _session()})
    update_passkey(current_user.user_id)
    return jsonify(_listed(added)), 201


@bp.put("/<passkey_id>")
def rename(passkey_id: str) -> Response:
    """A new name for one of the user's passkeys."""
    body = parse_body(RenameBody)
    _own_passkey(passkey_id)
    return jsonify(_listed(authserver().rename_passkey(passkey_id, body.name)))


@bp.delete("/<passkey_id>")
def remove(passkey_id: str) -> Response:
    """Remove one of the user's passkeys after a fresh second factor; the remaining list."""
    body = parse_body(FreshSecondFactorBody)
    _own_passkey(passkey_id)
    _check_fresh_second_factor(body)
    authserver().remove_passkey(passkey_id)
    update_passkey(current_user.user_id)
    return list_passkeys()


def _check_fresh_second_factor(body: FreshSecondFactorBody) -> None:
    if body.challengeId is not None and body.credential is not None:
        answer = {"challengeId": body.challengeId, "credential": body.credential, "session": _session()}
        authserver().verify_passkey(current_user.user_id, answer)
        return
    if body.code is None:
        raise ApiError(422, "missing_field", "Confirm with a passkey or a current code.", field="code")
    # Only a code of two-factor that is on: the secret of a setup still waiting for its code is not a factor.
    user = authserver().get_user(current_user.user_id) or {}
    if method_of(user) is None:
        raise ApiError(422, "two_factor_off", "Two-factor codes are off for this account; use a passkey.")
    if not totp.is_well_formed(body.code) or not code_is_right(current_user.user_id, body.code):
        raise ApiError(422, "invalid_code", "That code is not right; try the current one.", field="code")
