"""Text-message codes: a phone number checked and kept in E.164 form, and the SMS confirmation step.

Registering mirrors the email method: a fresh secret is stored as pending (transport "sms") together
with the number on the auth server's User, a code goes to the number, and only that code turns
two-factor on (the generic confirmation in two_factor.py).
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from flask import current_app, jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.masking import mask_phone

from .authserver_client import authserver
from .code_sends import send_limited
from .delivery import deliver_code
from .profiles import remember_user

INVALID_NUMBER = (
    "Enter a mobile number in international format: + and the country code, e.g. +1 415 555 0100."
)


def normalize_phone(raw: Any) -> str:
    """``raw`` as an E.164 number ("+14155550100"); ApiError 422 (field phoneNumber) when it is not one."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 40:
        raise ApiError(422, "invalid_phone_number", INVALID_NUMBER, field="phoneNumber")
    try:
        number = phonenumbers.parse(raw.strip(), None)
    except phonenumbers.NumberParseException:
        raise ApiError(422, "invalid_phone_number", INVALID_NUMBER, field="phoneNumber") from None
    if not phonenumbers.is_valid_number(number):
        raise ApiError(422, "invalid_phone_number", INVALID_NUMBER, field="phoneNumber")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def send_sms_confirmation(user: dict[str, Any], raw_number: Any) -> tuple[Response, int]:
    """Store the number and a pending SMS secret, text the first code: 202 with the masked number."""
    phone_number = normalize_phone(raw_number)
    email = user.get("email") or current_user.email

    def new_secret_and_its_code() -> None:
        # Inside the limit: a refused resend must leave the code already sent working.
        secret = totp.new_secret()
        remember_user(
            authserver().patch_user(
                current_user.user_id,
                {
                    "phoneNumber": phone_number,
                    "twoFactor": {"enabled": False, "secretKey": secret, "transport": "sms"},
                },
            )
        )
        _text_code(secret, email, phone_number)

    send_limited(current_user.user_id, "setup", new_secret_and_its_code)
    return jsonify(enabled=False, method="sms", pending=True, sentTo=mask_phone(phone_number)), 202


def _text_code(secret: str, email: str, phone_number: str) -> None:
    code = totp.code_at(secret, current_app.config["CLOCK"]())
    deliver_code(current_app.config, transport="sms", email=email, phone_number=phone_number, code=code)
