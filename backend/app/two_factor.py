"""The JSON API of the signed-in user: who am I, and two-factor setup, confirmation and disabling.

The user's two-factor state lives on the auth server (``User.twoFactor``); the app reads and patches
it through the admin resource API. The secret is only ever shown by POST (setup), never afterwards.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.jsonbody import json_object, optional_str, required_str
from backend.common.masking import mask_email

from .authserver_client import authserver
from .delivery import DeliveryError, deliver_code
from .phone import send_sms_confirmation
from .profiles import forget, method_of, profile_of, remember_user, two_factor_status
from .qr import qr_png_data_url
from .sessions import end_session

bp = Blueprint("two_factor", __name__, url_prefix="/api")

METHODS = ("totp", "email", "sms")


@bp.before_request
def _require_user() -> None:
    # A CORS preflight carries no credentials; flask-cors answers it.
    if request.method != "OPTIONS" and not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", "Sign in first.")


def _two_factor(user: dict[str, Any]) -> dict[str, Any]:
    value = user.get("twoFactor")
    return value if isinstance(value, dict) else {}


def _current_user_doc() -> dict[str, Any]:
    """The user's User document, read from the auth server (which refreshes their profile snapshot)."""
    user = authserver().get_user(current_user.user_id)
    if user is None:
        # The account is gone at the auth server: this session means nothing any more.
        forget(current_user.user_id)
        if current_user.kind == "session":
            end_session(current_user.id)
        logout_user()
        raise ApiError(401, "unauthorized", "This account no longer exists; sign in again.")
    return remember_user(user)


@bp.get("/me")
def me() -> Response:
    """The signed-in user: id, email and whether two-factor is on (and how).

    A cookie session answers from the user's profile snapshot while it is younger than
    APP_PROFILE_MAX_AGE (see profiles.py); a Bearer token from the userinfo that vouched for it.
    """
    now = current_app.config["CLOCK"]()
    if current_user.kind == "bearer":
        return jsonify(profile_of(current_user.info, now).as_json())
    profile = current_user.profile
    if profile is None or now - profile.fetched > current_app.config["APP_PROFILE_MAX_AGE"]:
        profile = profile_of(_current_user_doc(), now)
    return jsonify(profile.as_json())


@bp.get("/user/two-factor")
def status() -> Response:
    """``{enabled, method, recoveryCodesRemaining}`` of the signed-in user."""
    current = two_factor_status(_current_user_doc())
    remaining = authserver().recovery_codes_remaining(current_user.user_id) if current["enabled"] else 0
    return jsonify(**current, recoveryCodesRemaining=remaining)


@bp.post("/user/two-factor")
def start_totp_setup() -> Response:
    """A fresh secret, pending until confirmed: the secret, its otpauth URL and a QR code of it."""
    json_object()
    user = _current_user_doc()
    if _two_factor(user).get("enabled") is True:
        raise ApiError(422, "already_enabled", "Two-factor authentication is already on; disable it first.")
    secret = totp.new_secret()
    remember_user(
        authserver().patch_user(
            current_user.user_id, {"twoFactor": {"enabled": False, "secretKey": secret, "transport": None}}
        )
    )
    issuer = authserver().two_factor_config()["issuerName"]
    url = totp.provisioning_uri(secret, user.get("email") or current_user.email, issuer)
    return jsonify(secret=secret, otpauthUrl=url, qrDataUrl=qr_png_data_url(url))


@bp.put("/user/two-factor")
def enable() -> tuple[Response, int]:
    """Confirm a pending setup with a code, or (email without code) send a code and answer 202."""
    body = json_object()
    if body.get("enabled") is not True:
        raise ApiError(
            422, "invalid_value", "'enabled' must be true; use DELETE to turn it off.", field="enabled"
        )
    method = body.get("method")
    if method not in METHODS:
        raise ApiError(422, "invalid_method", '\'method\' must be "totp", "email" or "sms".', field="method")
    code = optional_str(body, "code", max_length=32)

    user = _current_user_doc()
    two_factor = _two_factor(user)
    if two_factor.get("enabled") is True:
        raise ApiError(422, "already_enabled", "Two-factor authentication is already on.")
    if method == "email" and code is None:
        return _send_email_code(user)
    if method == "sms" and code is None:
        return send_sms_confirmation(user, body.get("phoneNumber"))

    secret = two_factor.get("secretKey")
    pending_transport = two_factor.get("transport")
    expected_transport = None if method == "totp" else method
    if not isinstance(secret, str) or not secret or pending_transport != expected_transport:
        raise ApiError(422, "nothing_pending", f"No {method} setup is waiting for a code; start one first.")
    _check_code(code)
    remember_user(authserver().patch_user(current_user.user_id, {"twoFactor": {"enabled": True}}))
    codes = authserver().new_recovery_codes(current_user.user_id)
    status = two_factor_status({**user, "twoFactor": {**two_factor, "enabled": True}})
    # The recovery codes appear in this answer only; the auth server keeps them hashed.
    return jsonify({**status, "recoveryCodes": codes}), 200


def _check_code(code: str | None) -> None:
    """The auth server checks the code and records its step, so it is refused there afterwards (as
    422 code_already_used, raised by the client, when it was the right code)."""
    if not totp.is_well_formed(code) or not authserver().verify_totp(current_user.user_id, code):
        raise ApiError(422, "invalid_code", "That code is not right; try the current one.", field="code")


@bp.post("/user/two-factor/recovery-codes")
def regenerate_recovery_codes() -> Response:
    """A new set of recovery codes after a current code; every earlier recovery code stops working."""
    code = required_str(json_object(), "code", max_length=32)
    if method_of(_current_user_doc()) is None:
        raise ApiError(422, "two_factor_off", "Turn two-factor authentication on first.")
    _check_code(code)
    return jsonify(recoveryCodes=authserver().new_recovery_codes(current_user.user_id))


def _send_email_code(user: dict[str, Any]) -> tuple[Response, int]:
    email = user.get("email")
    if not isinstance(email, str) or not email:
        raise ApiError(422, "invalid_method", "The account has no email address.", field="method")
    secret = totp.new_secret()
    remember_user(
        authserver().patch_user(
            current_user.user_id, {"twoFactor": {"enabled": False, "secretKey": secret, "transport": "email"}}
        )
    )
    code = totp.code_at(secret, current_app.config["CLOCK"]())
    try:
        deliver_code(current_app.config, transport="email", email=email, phone_number=None, code=code)
    except DeliveryError as error:
        raise ApiError(502, "delivery_failed", str(error)) from None
    return jsonify(enabled=False, method="email", pending=True, sentTo=mask_email(email)), 202


@bp.delete("/user/two-factor")
def disable() -> Response:
    """Turn two-factor off after checking the account password again."""
    body = json_object()
    password = required_str(body, "password", max_length=1024)
    if not authserver().check_password(current_user.user_id, password):
        raise ApiError(422, "invalid_password", "That password is not right.", field="password")
    remember_user(
        authserver().patch_user(
            current_user.user_id, {"twoFactor": {"enabled": False, "secretKey": None, "transport": None}}
        )
    )
    return jsonify(enabled=False, method=None)
