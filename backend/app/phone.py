"""Text-message codes: a phone number field checked and kept in E.164 form, and the SMS confirmation step.

Registering mirrors the email method: a fresh secret is stored as pending (transport "sms") together
with the number on the auth server's User, a code goes to the number, and only that code turns
two-factor on (the generic confirmation in two_factor.py).
"""

from __future__ import annotations

from typing import Annotated, Any

import phonenumbers
from flask import current_app, jsonify
from flask_login import current_user
from pydantic import Field, ValidationError, ValidatorFunctionWrapHandler, WrapValidator
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


def _e164(raw: object, as_text: ValidatorFunctionWrapHandler) -> str:
    """``raw`` as an E.164 number ("+14155550100").

    Anything else is an ApiError, which pydantic lets through (it is not a ValueError): the answer is
    ``invalid_phone_number`` with a message the page can show under the field as it is.
    """
    try:
        number = phonenumbers.parse(as_text(raw).strip(), None)
    except (ValidationError, phonenumbers.NumberParseException):
        raise _invalid_number() from None
    if not phonenumbers.is_valid_number(number):
        raise _invalid_number()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _invalid_number() -> ApiError:
    return ApiError(422, "invalid_phone_number", INVALID_NUMBER, field="phoneNumber")


#: A mobile number field of a request body, kept in E.164 form.
PhoneNumber = Annotated[
    str,
    Field(max_length=40, description="International format: + and the country code"),
    WrapValidator(_e164),
]


def required_number(number: str | None) -> str:
    """``number``, which the SMS method cannot do without."""
    if number is None:
        raise _invalid_number()
    return number


def send_sms_confirmation(user: dict[str, Any], phone_number: str) -> tuple[Response, int]:
    """Store the number and a pending SMS secret, text the first code: 202 with the masked number."""
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
