"""Changing the number of an SMS user: a current code (texted to the old number) authorises it, and
the new number only replaces the old one after a code texted to it comes back.

1. ``POST /api/user/phone/current-code`` texts a current code to the number on file.
2. ``PUT /api/user/phone {phoneNumber, currentCode}`` checks it and texts a code (of a new secret,
   so the two codes differ) to the new number; the change waits in ``pending_phone_changes``.
3. ``PUT /api/user/phone {code}`` confirms it: the User gets the new number and the new secret.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.json_body import parse_body
from backend.common.masking import mask_phone

from .authserver_client import authserver
from .bodies import EmptyBody, PhoneChangeBody
from .current_user import current_user_document, require_sign_in
from .db import db
from .delivery import deliver_code
from .profiles import method_of, remember_user, two_factor_status
from .user_checks import code_is_right

bp = Blueprint("phone_change", __name__, url_prefix="/api/user")

#: A pending change older than this (seconds) must be started again.
PENDING_LIFETIME = 600


class PendingPhoneChange(db.Model):
    """A new number waiting for its confirmation code."""

    __tablename__ = "pending_phone_changes"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(32))
    secret: Mapped[str] = mapped_column(String(128))
    created: Mapped[float]


require_sign_in(bp)


def _sms_user() -> dict[str, Any]:
    user = current_user_document()
    if method_of(user) != "sms" or not user.get("phoneNumber"):
        raise ApiError(422, "not_sms", "Text-message codes are not on for this account.")
    return user


def _text(user: dict[str, Any], number: str, secret: str) -> None:
    code = totp.code_at(secret, current_app.config["CLOCK"]())
    deliver_code(current_app.config, transport="sms", email=user["email"], phone_number=number, code=code)


def _code_matches(secret: str, code: str | None) -> bool:
    past = authserver().two_factor_config()["validPastTokensCount"]
    now = current_app.config["CLOCK"]()
    return totp.matching_step(secret, code, now=now, past_steps=past) is not None


@bp.post("/phone/current-code")
def send_current_code() -> tuple[Response, int]:
    """Text a current code to the number on file (it authorises the change)."""
    parse_body(EmptyBody)
    user = _sms_user()
    _text(user, user["phoneNumber"], user["twoFactor"]["secretKey"])
    return jsonify(sentTo=mask_phone(user["phoneNumber"])), 202


@bp.put("/phone")
def change() -> tuple[Response, int]:
    """With ``phoneNumber`` and ``currentCode``: start the change; with ``code``: confirm it."""
    body = parse_body(PhoneChangeBody)
    user = _sms_user()
    if body.phoneNumber is not None:
        number, current_code = body.phoneNumber, body.currentCode
        if not totp.is_well_formed(current_code) or not code_is_right(current_user.user_id, current_code):
            raise ApiError(
                422, "invalid_code", "That code is not right; use the one sent to your number.", "currentCode"
            )
        secret = totp.new_secret()
        db.session.merge(
            PendingPhoneChange(
                user_id=current_user.user_id,
                phone_number=number,
                secret=secret,
                created=current_app.config["CLOCK"](),
            )
        )
        db.session.commit()
        _text(user, number, secret)
        return jsonify(pending=True, sentTo=mask_phone(number)), 202

    code = body.code
    pending = db.session.get(PendingPhoneChange, current_user.user_id)
    if pending is None or current_app.config["CLOCK"]() - pending.created > PENDING_LIFETIME:
        raise ApiError(422, "nothing_pending", "No number change is waiting for a code; start again.")
    if not _code_matches(pending.secret, code):
        raise ApiError(422, "invalid_code", "That code is not right; try the newest one.", field="code")
    changed = remember_user(
        authserver().patch_user(
            current_user.user_id,
            {"phoneNumber": pending.phone_number, "twoFactor": {"secretKey": pending.secret}},
        )
    )
    db.session.delete(pending)
    db.session.commit()
    return jsonify(two_factor_status(changed)), 200
