"""The webhook the auth server calls at the TOTP step of a user with an email/SMS transport."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.http_auth import basic_credentials_match, unauthorized
from backend.common.jsonbody import json_object

from .delivery import deliver_code

bp = Blueprint("webhook", __name__)

TRANSPORTS = ("email", "sms")


def _authorized() -> bool:
    """Basic WEBHOOK_CLIENT_ID:WEBHOOK_CLIENT_SECRET."""
    config = current_app.config
    return basic_credentials_match(config["WEBHOOK_CLIENT_ID"], config["WEBHOOK_CLIENT_SECRET"])


def _string(container: dict[str, Any], name: str, field: str, *, required: bool = True) -> str | None:
    value = container.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > 320:
        raise ApiError(422, "invalid_field", f"'{field}' must be a non-empty string.", field=field)
    return value


@bp.post("/webhook/two-factor-confirmation")
def two_factor_confirmation() -> Response:
    """Deliver the code the auth server generated, through the transport it names."""
    if not _authorized():
        return unauthorized(
            "unauthorized",
            "Basic credentials of the webhook client required.",
            'Basic realm="two-factor-webhook"',
        )
    body = json_object()
    user = body.get("user")
    if not isinstance(user, dict):
        raise ApiError(422, "invalid_field", "'user' must be an object.", field="user")
    _string(user, "id", "user.id")
    email = _string(user, "email", "user.email")
    phone_number = _string(user, "phoneNumber", "user.phoneNumber", required=False)
    token = body.get("token")
    if not totp.is_well_formed(token):
        raise ApiError(422, "invalid_field", "'token' must be 6 digits.", field="token")
    transport = body.get("transport")
    if transport not in TRANSPORTS:
        raise ApiError(422, "invalid_field", '\'transport\' must be "email" or "sms".', field="transport")
    if transport == "sms" and phone_number is None:
        raise ApiError(422, "invalid_field", "SMS needs 'user.phoneNumber'.", field="user.phoneNumber")
    deliver_code(current_app.config, transport=transport, email=email, phone_number=phone_number, code=token)
    return jsonify(delivered=True)
