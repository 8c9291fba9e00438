"""FusionAuth-style two-factor setup: generate a secret, then enable it with a code from that secret.

FusionAuth hands out the secret twice: ``secret`` (the raw bytes, base64) and ``secretBase32Encoded``
(what authenticator apps take). Enabling accepts either form; the stored ``secretKey`` is base32.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal, NoReturn

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, abort, current_app, jsonify, request
from pydantic import BaseModel, Field

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.http_auth import unauthorized
from backend.common.json_body import OneTimeCode, StrictBody, parse_body

from .. import store
from ..extensions import db, require_oauth
from ..models import User, now
from .admin_auth import is_admin

bp = Blueprint("api_two_factor", __name__)

DELIVERIES = {"None": None, "email": "email", "sms": "sms"}
MIN_SECRET_BYTES = 16


class GeneratedSecret(BaseModel):
    secret: str = Field(description="The raw secret, base64")
    secretBase32Encoded: str = Field(description="The same secret in base32, as authenticator apps take it")


class EnableTwoFactorBody(StrictBody):
    """``secret`` or ``secretBase32Encoded``, and a current code from it."""

    code: OneTimeCode
    secret: str | None = Field(None, max_length=128, description="base64 (as generated) or base32")
    secretBase32Encoded: str | None = Field(None, max_length=128)
    delivery: Literal["None", "email", "sms"] = Field("None", description="How login codes reach the user")


def _bearer_user_id() -> str:
    """The user id of the request's Bearer token; 401 when there is no valid one."""
    try:
        token = require_oauth.acquire_token()
    except OAuth2Error:
        _unauthorized(
            "invalid_token", "A valid Bearer access token is required.", 'Bearer error="invalid_token"'
        )
    return token.user_id


def _unauthorized(code: str, message: str, challenge: str) -> NoReturn:
    abort(unauthorized(code, message, challenge))


def _raw_forms(secret: str) -> list[bytes]:
    """The raw secrets ``secret`` may stand for: base64 (FusionAuth's ``secret``) and base32."""
    forms = []
    for decode in (
        lambda value: base64.b64decode(value, validate=True),
        lambda value: base64.b32decode(value.upper() + "=" * (-len(value) % 8)),
    ):
        try:
            raw = decode(secret)
        except (binascii.Error, ValueError):
            continue
        if len(raw) >= MIN_SECRET_BYTES and raw not in forms:
            forms.append(raw)
    return forms


def _base32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


@bp.post("/api/two-factor/secret")
def generate_secret() -> Response:
    """A new secret for the Bearer token's user, as base64 (``secret``) and base32; nothing is stored."""
    _bearer_user_id()
    encoded = totp.new_secret()
    raw = base64.b32decode(encoded)
    answer = GeneratedSecret(secret=base64.b64encode(raw).decode("ascii"), secretBase32Encoded=encoded)
    return jsonify(answer.model_dump())


def _matching(secret: str, code: str) -> tuple[str, int] | None:
    past = (store.auth_config().get("twoFactor") or {}).get(
        "validPastTokensCount", current_app.config["DEFAULT_VALID_PAST_TOKENS"]
    )
    for raw in _raw_forms(secret):
        step = totp.matching_step(_base32(raw), code, now=now(), past_steps=past)
        if step is not None:
            return _base32(raw), step
    return None


@bp.put("/api/user/two-factor/<user_id>")
def enable(user_id: str) -> Response:
    """Turn two-factor on with ``secret`` (or ``secretBase32Encoded``) after a code from it.

    The user themselves (Bearer) or the admin client (Basic) may call it.
    """
    if not is_admin():
        if request.authorization is not None and request.authorization.type == "basic":
            _unauthorized("unauthorized", "Wrong client credentials.", 'Basic realm="authserver"')
        if _bearer_user_id() != user_id:
            raise ApiError(403, "forbidden", "A user may only change their own two-factor settings.")
    body = parse_body(EnableTwoFactorBody)
    secret = body.secret or body.secretBase32Encoded
    if not secret:
        raise ApiError(422, "missing_field", "'secret' or 'secretBase32Encoded' is required.", field="secret")
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", f"There is no User '{user_id}'.")
    if user.two_factor_enabled:
        raise ApiError(422, "already_enabled", "Two-factor authentication is already on; disable it first.")
    transport = DELIVERIES[body.delivery]
    if transport == "sms" and not user.document.get("phoneNumber"):
        raise ApiError(422, "invalid_delivery", "SMS delivery needs the user's phoneNumber.", "delivery")
    if not _raw_forms(secret):
        raise ApiError(422, "invalid_secret", "'secret' must be base64 or base32 of 16+ bytes.", "secret")
    match = _matching(secret, body.code)
    if match is None:
        raise ApiError(422, "invalid_code", "The code does not match this secret.", field="code")
    secret_key, step = match
    patch: dict[str, Any] = {"twoFactor": {"enabled": True, "secretKey": secret_key, "transport": transport}}
    store.patch_user(user_id, patch)
    # The code that proved the secret is spent: it cannot also complete a login.
    store.claim_totp_step(user, step)
    return jsonify(store.public_user(db.session.get(User, user_id)))
