"""Switching two-factor to another method while it stays on: the old method keeps signing the user in
until a code of the new one comes back, so two-factor is never off in between.

1. ``POST /api/user/two-factor/change {password}`` or ``{code}`` (a current code) opens a change for
   this sign-in (this session, or this Bearer token) for ten minutes. Email and SMS users get a
   current code from ``POST /api/user/two-factor/current-code`` (two_factor.py).
2. ``PUT /api/user/two-factor/change {method, phoneNumber?}`` makes a secret for the new method: the
   authenticator app's QR code (200), or a code sent by email or text message (202). Sending it again
   starts over with a fresh secret.
3. ``POST /api/user/two-factor/change/confirm {code}`` checks a code of the new secret and swaps it in
   with one PATCH of the User, then hands out new recovery codes (the old ones went with the old secret).

``DELETE /api/user/two-factor/change`` drops the change (Cancel), and so do five wrong codes. As in
phone_change.py, the change waits here (``pending_method_changes``), never on the auth server's User,
whose ``twoFactor`` describes the method that is on until step 3.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.json_body import parse_body
from backend.common.masking import mask_email, mask_phone
from backend.common.qr import qr_png_data_url

from .authserver_client import authserver
from .bodies import CodeBody, EmptyBody, NewMethodBody, OpenChangeBody
from .current_code import check_current_code
from .current_user import current_user_document, require_sign_in
from .db import db
from .delivery import deliver_code
from .phone import required_number
from .profiles import method_of, remember_user, two_factor_status
from .recovery_codes import new_recovery_codes
from .user_checks import code_is_right, password_is_right

bp = Blueprint("two_factor_change", __name__, url_prefix="/api/user/two-factor/change")
require_sign_in(bp)

#: Seconds an opened change stays usable.
CHANGE_LIFETIME = 600
#: Wrong codes of the new method before the change is dropped (the password or a current code again).
MAX_FAILED_CODES = 5


class PendingMethodChange(db.Model):
    """A change of method one sign-in may make; the new method and its secret once it is set up."""

    __tablename__ = "pending_method_changes"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    #: The sign-in that opened it (see _sign_in): another session of the same user cannot use it.
    sign_in: Mapped[str] = mapped_column(String(128))
    opened: Mapped[float]
    method: Mapped[str | None] = mapped_column(String(16))
    secret: Mapped[str | None] = mapped_column(String(128))
    phone_number: Mapped[str | None] = mapped_column(String(32))
    failed_codes: Mapped[int] = mapped_column(default=0)


def _now() -> float:
    return current_app.config["CLOCK"]()


def _sign_in() -> str:
    """This request's sign-in: the session row, or a digest of the Bearer token (never the token)."""
    if current_user.kind == "session":
        return f"session:{current_user.id}"
    return "bearer:" + hashlib.sha256(current_user.access_token.encode()).hexdigest()


def _user_with_two_factor_on() -> dict[str, Any]:
    user = current_user_document()
    if method_of(user) is None:
        raise ApiError(422, "two_factor_off", "Two-factor authentication is off; turn it on instead.")
    return user


def _open_change() -> PendingMethodChange:
    """This sign-in's change, while it is younger than CHANGE_LIFETIME."""
    change = db.session.get(PendingMethodChange, current_user.user_id)
    if (
        change is None
        or not hmac.compare_digest(change.sign_in, _sign_in())
        or _now() - change.opened > CHANGE_LIFETIME
    ):
        raise ApiError(
            422, "change_not_open", "Confirm it is you first, with your password or a current code."
        )
    return change


def _send(user: dict[str, Any], transport: str, secret: str, phone_number: str | None) -> str:
    """Email or text the current code of ``secret``; where it went, masked."""
    email = user.get("email") or current_user.email
    code = totp.code_at(secret, _now())
    deliver_code(current_app.config, transport=transport, email=email, phone_number=phone_number, code=code)
    return mask_phone(phone_number) if transport == "sms" and phone_number else mask_email(email)


@bp.post("")
def open_change() -> Response:
    """After the password or a current code: this sign-in may set up another method for ten minutes."""
    body = parse_body(OpenChangeBody)
    password, code = body.password, body.code
    _user_with_two_factor_on()
    if password:
        if not password_is_right(current_user.user_id, password):
            raise ApiError(422, "invalid_password", "That password is not right.", field="password")
    elif code:
        check_current_code(code)
    else:
        raise ApiError(422, "missing_field", "Enter your password or a current code.", field="password")
    db.session.merge(
        PendingMethodChange(
            user_id=current_user.user_id,
            sign_in=_sign_in(),
            opened=_now(),
            method=None,
            secret=None,
            phone_number=None,
            failed_codes=0,
        )
    )
    db.session.commit()
    return jsonify(expiresIn=CHANGE_LIFETIME)


@bp.put("")
def set_up_new_method() -> tuple[Response, int]:
    """A secret for the new method: the app's QR code (200), or a code sent by email or SMS (202)."""
    body = parse_body(NewMethodBody)
    method = body.method
    user = _user_with_two_factor_on()
    change = _open_change()
    phone_number = required_number(body.phoneNumber) if method == "sms" else None
    change.method, change.secret, change.phone_number = method, totp.new_secret(), phone_number
    db.session.commit()
    if method == "totp":
        issuer = authserver().two_factor_config()["issuerName"]
        url = totp.provisioning_uri(change.secret, user.get("email") or current_user.email, issuer)
        return jsonify(
            method=method, secret=change.secret, otpauthUrl=url, qrDataUrl=qr_png_data_url(url)
        ), 200
    sent_to = _send(user, method, change.secret, phone_number)
    return jsonify(method=method, pending=True, sentTo=sent_to), 202


def _new_code_matches(secret: str, code: str) -> bool:
    past = authserver().two_factor_config()["validPastTokensCount"]
    return totp.matching_step(secret, code, now=_now(), past_steps=past) is not None


def _count_wrong_code(change: PendingMethodChange) -> None:
    change.failed_codes = PendingMethodChange.failed_codes + 1
    db.session.commit()
    if change.failed_codes >= MAX_FAILED_CODES:
        db.session.delete(change)
        db.session.commit()


def _claim(change: PendingMethodChange) -> bool:
    """Use the change up; one DELETE, so two confirmations (or a confirmation racing a new setup)
    cannot both swap."""
    result = db.session.execute(
        delete(PendingMethodChange).where(
            PendingMethodChange.user_id == change.user_id, PendingMethodChange.secret == change.secret
        )
    )
    db.session.commit()
    return result.rowcount == 1


@bp.post("/confirm")
def confirm() -> Response:
    """A code of the new method: it replaces the old one (one PATCH), with new recovery codes."""
    code = parse_body(CodeBody).code
    user = _user_with_two_factor_on()
    change = _open_change()
    if change.secret is None:
        raise ApiError(422, "nothing_pending", "Choose the new method first.")
    if not _new_code_matches(change.secret, code):
        _count_wrong_code(change)
        raise ApiError(422, "invalid_code", "That code is not right; try the newest one.", field="code")
    method, secret, phone_number = change.method, change.secret, change.phone_number
    if not _claim(change):
        raise ApiError(422, "nothing_pending", "This change was already made or started again.")
    transport = None if method == "totp" else method
    patch: dict[str, Any] = {"twoFactor": {"enabled": True, "secretKey": secret, "transport": transport}}
    if phone_number:
        patch["phoneNumber"] = phone_number
    changed = remember_user(authserver().patch_user(current_user.user_id, patch))
    # The replay store starts over with the new secret: spend this code there too, so it cannot be
    # used once more (RFC 6238 §5.2). The switch is made whatever it answers.
    with contextlib.suppress(ApiError):
        code_is_right(current_user.user_id, code)
    return jsonify({**two_factor_status(changed), **new_recovery_codes(user)})


@bp.delete("")
def cancel() -> Response:
    """Drop this sign-in's change: the method that is on stays on."""
    parse_body(EmptyBody)
    db.session.execute(
        delete(PendingMethodChange).where(
            PendingMethodChange.user_id == current_user.user_id, PendingMethodChange.sign_in == _sign_in()
        )
    )
    db.session.commit()
    return jsonify(two_factor_status(current_user_document()))
