"""The webhook the auth server calls at the TOTP step of a user with an email/SMS transport."""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, current_app, jsonify
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.http_auth import basic_credentials_match, unauthorized
from backend.common.json_body import parse_body

from .authserver_client import authserver
from .delivery import GATEWAY_SETTINGS, deliver_code

bp = Blueprint("webhook", __name__)

Text = Annotated[str, Field(min_length=1, max_length=320)]


def _six_digits(token: str) -> str:
    if not totp.is_well_formed(token):
        raise ValueError("must be 6 digits")
    return token


class Payload(BaseModel):
    """What the sender may add besides these fields is ignored: Aidbox sends more of the User than the
    bundled auth server does."""

    model_config = ConfigDict(extra="ignore", strict=True)


class WebhookUser(Payload):
    id: Text
    email: Text
    phoneNumber: Text | None = None


class WebhookCall(Payload):
    """The auth server's ``POST /webhook/two-factor-confirmation`` body. Aidbox and the original demo
    send ``{user, token}`` only: without ``transport`` the user's own ``twoFactor.transport`` is used."""

    user: WebhookUser
    token: Annotated[str, AfterValidator(_six_digits)] = Field(description="The code to deliver: 6 digits")
    transport: Text | None = Field(None, description="email or sms; else the User's twoFactor.transport")


def _authorized() -> bool:
    """Basic WEBHOOK_CLIENT_ID:WEBHOOK_CLIENT_SECRET."""
    config = current_app.config
    return basic_credentials_match(config["WEBHOOK_CLIENT_ID"], config["WEBHOOK_CLIENT_SECRET"])


@bp.post("/webhook/two-factor-confirmation")
def two_factor_confirmation() -> Response:
    """Deliver the code the auth server generated, through the transport it names."""
    if not _authorized():
        return unauthorized(
            "unauthorized",
            "Basic credentials of the webhook client required.",
            'Basic realm="two-factor-webhook"',
        )
    call = parse_body(WebhookCall)
    user = call.user
    transport = call.transport or _users_own_transport(user.id)
    if transport not in GATEWAY_SETTINGS:
        named = f"not by '{transport}'" if transport else "and the user has no twoFactor.transport"
        message = f"Cannot deliver: this app sends codes by email or sms, {named}."
        raise ApiError(422, "unsupported_transport", message, field="transport")
    if transport == "sms" and user.phoneNumber is None:
        raise ApiError(422, "invalid_field", "SMS needs 'user.phoneNumber'.", field="user.phoneNumber")
    deliver_code(
        current_app.config,
        transport=transport,
        email=user.email,
        phone_number=user.phoneNumber,
        code=call.token,
    )
    return jsonify(delivered=True)


def _users_own_transport(user_id: str) -> str | None:
    """``twoFactor.transport`` of the User at the auth server; 404 when there is no such user."""
    document = authserver().get_user(user_id)
    if document is None:
        message = f"There is no user '{user_id}' at the auth server."
        raise ApiError(404, "unknown_user", message, field="user.id")
    two_factor = document.get("twoFactor")
    return two_factor.get("transport") if isinstance(two_factor, dict) else None
