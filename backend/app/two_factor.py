"""The JSON API of the signed-in user's two-factor: setup, confirmation and disabling (who am I: me.py).

The user's two-factor state lives on the auth server (``User.twoFactor``); the app reads and patches
it through the admin resource API. The secret is only ever shown by POST (setup), and only while that
setup is pending (see totp_setup.py), never once two-factor is on.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from backend.common import totp
from backend.common.errors import ApiError
from backend.common.json_body import parse_body
from backend.common.masking import mask_email, mask_phone
from backend.common.qr import qr_png_data_url

from . import totp_setup
from .authserver_client import authserver
from .bodies import CodeBody, EmptyBody, EnableBody, PasswordBody
from .code_sends import send_limited
from .current_code import check_current_code
from .current_user import current_user_document, require_sign_in
from .delivery import deliver_code
from .features import require, unavailable, with_unavailable
from .passkey_factor import update_passkey
from .phone import required_number, send_sms_confirmation
from .profiles import method_of, remember_user, status_of, two_factor_status
from .recovery_codes import new_recovery_codes
from .user_checks import password_is_right

bp = Blueprint("two_factor", __name__, url_prefix="/api")

require_sign_in(bp)


def _two_factor(user: dict[str, Any]) -> dict[str, Any]:
    value = user.get("twoFactor")
    return value if isinstance(value, dict) else {}


def _pending_totp_secret(user: dict[str, Any]) -> str | None:
    """The secret of an authenticator-app setup waiting for its code: set, not enabled, no transport."""
    two_factor = _two_factor(user)
    secret = two_factor.get("secretKey")
    if two_factor.get("enabled") is True or two_factor.get("transport") is not None:
        return None
    return secret if isinstance(secret, str) and secret else None


@bp.get("/user/two-factor")
def status() -> Response:
    """``{enabled, method, recoveryCodesRemaining}`` of the signed-in user, ``pendingSetup: "totp"``
    while an authenticator-app setup waits for its code (the page reopens it after a reload). While
    codes are off and the auth server's policy asks every user for a second factor: ``passkey: true``
    when the user has a passkey (the step after the password asks for it), ``required: true`` when not.

    With an Aidbox auth server: ``unavailable`` lists what the page must not offer, and there is no
    ``recoveryCodesRemaining``."""
    user = current_user_document()
    current = two_factor_status(user)
    if "recoveryCodes" not in unavailable():
        enabled = current["enabled"]
        current["recoveryCodesRemaining"] = (
            authserver().recovery_codes_remaining(current_user.user_id) if enabled else 0
        )
    if _pending_totp_secret(user) and totp_setup.state(current_user.user_id) == "pending":
        current["pendingSetup"] = "totp"
    if not current["enabled"]:
        required = authserver().two_factor_config()["required"]
        if update_passkey(current_user.user_id, required):
            current["passkey"] = True
        elif required:
            current["required"] = True
    return jsonify(with_unavailable(current))


@bp.post("/user/two-factor")
def start_totp_setup() -> Response:
    """The pending setup: its secret, otpauth URL and a QR code of it.

    While a setup is pending, the same secret again: a reload must show the QR code already scanned.
    Otherwise a fresh secret, and ``expired: true`` when it replaces one that ran out.
    """
    parse_body(EmptyBody)
    user = current_user_document()
    if _two_factor(user).get("enabled") is True:
        raise ApiError(422, "already_enabled", "Two-factor authentication is already on; disable it first.")
    secret = _pending_totp_secret(user)
    state = totp_setup.state(current_user.user_id) if secret else None
    if state != "pending":
        secret = totp.new_secret()
        remember_user(
            authserver().patch_user(
                current_user.user_id,
                {"twoFactor": {"enabled": False, "secretKey": secret, "transport": None}},
            )
        )
        totp_setup.start(current_user.user_id)
    issuer = authserver().two_factor_config()["issuerName"]
    url = totp.provisioning_uri(secret, user.get("email") or current_user.email, issuer)
    return jsonify(secret=secret, otpauthUrl=url, qrDataUrl=qr_png_data_url(url), expired=state == "expired")


@bp.delete("/user/two-factor/setup")
def cancel_totp_setup() -> Response:
    """Cancel: the pending authenticator-app secret is dropped; the next setup gets a new one."""
    parse_body(EmptyBody)
    user = current_user_document()
    if _pending_totp_secret(user):
        user = remember_user(
            authserver().patch_user(current_user.user_id, {"twoFactor": {"secretKey": None}})
        )
    totp_setup.forget(current_user.user_id)
    return jsonify(two_factor_status(user))


@bp.put("/user/two-factor")
def enable() -> tuple[Response, int]:
    """Confirm a pending setup with a code, or (email without code) send a code and answer 202."""
    body = parse_body(EnableBody)
    method, code = body.method, body.code

    user = current_user_document()
    two_factor = _two_factor(user)
    if two_factor.get("enabled") is True:
        raise ApiError(422, "already_enabled", "Two-factor authentication is already on.")
    if method == "email" and code is None:
        return _send_email_code(user)
    if method == "sms" and code is None:
        return send_sms_confirmation(user, required_number(body.phoneNumber))

    secret = two_factor.get("secretKey")
    pending_transport = two_factor.get("transport")
    expected_transport = None if method == "totp" else method
    if not isinstance(secret, str) or not secret or pending_transport != expected_transport:
        raise ApiError(422, "nothing_pending", f"No {method} setup is waiting for a code; start one first.")
    if method == "totp":
        _require_pending_totp_setup()
    check_current_code(code)
    remember_user(authserver().patch_user(current_user.user_id, {"twoFactor": {"enabled": True}}))
    totp_setup.forget(current_user.user_id)
    status = two_factor_status({**user, "twoFactor": {**two_factor, "enabled": True}})
    return jsonify({**status, **new_recovery_codes(user)}), 200


def _require_pending_totp_setup() -> None:
    state = totp_setup.state(current_user.user_id)
    if state == "expired":
        raise ApiError(422, "setup_expired", "This setup expired; scan the new QR code.")
    if state is None:
        raise ApiError(422, "nothing_pending", "No totp setup is waiting for a code; start one first.")


@bp.post("/user/two-factor/recovery-codes")
def regenerate_recovery_codes() -> Response:
    """A new set of recovery codes after a current code; every earlier recovery code stops working."""
    code = parse_body(CodeBody).code
    require("recoveryCodes")
    user = current_user_document()
    if method_of(user) is None:
        raise ApiError(422, "two_factor_off", "Turn two-factor authentication on first.")
    check_current_code(code)
    return jsonify(new_recovery_codes(user))


def _send_email_code(user: dict[str, Any]) -> tuple[Response, int]:
    email = user.get("email")
    if not isinstance(email, str) or not email:
        raise ApiError(422, "invalid_method", "The account has no email address.", field="method")

    def new_secret_and_its_code() -> None:
        # Inside the limit: a refused resend must leave the code already sent working.
        secret = totp.new_secret()
        remember_user(
            authserver().patch_user(
                current_user.user_id,
                {"twoFactor": {"enabled": False, "secretKey": secret, "transport": "email"}},
            )
        )
        _deliver(secret, "email", email, None)

    send_limited(current_user.user_id, "setup", new_secret_and_its_code)
    return jsonify(enabled=False, method="email", pending=True, sentTo=mask_email(email)), 202


def _deliver(secret: str, transport: str, email: str, phone_number: str | None, steps_ahead: int = 0) -> None:
    """Send the current code of ``secret`` (or the one ``steps_ahead`` steps later); a 502 ApiError when
    the mail server or gateway refuses."""
    code = totp.code_at(secret, current_app.config["CLOCK"]() + steps_ahead * totp.STEP_SECONDS)
    deliver_code(current_app.config, transport=transport, email=email, phone_number=phone_number, code=code)


@bp.post("/user/two-factor/current-code")
def send_current_code() -> tuple[Response, int]:
    """Email and text-message users: send a current code (it authorises new recovery codes)."""
    parse_body(EmptyBody)
    user = current_user_document()
    method = method_of(user)
    if method == "totp":
        raise ApiError(422, "not_sent", "Codes are not sent to this account; use your authenticator app.")
    if method not in ("email", "sms"):
        raise ApiError(422, "not_sent", "This app does not send this account's codes; use the ones you get.")
    email = user.get("email") or current_user.email
    phone_number = user.get("phoneNumber") if method == "sms" else None
    # The next step's code: the auth server accepts it now (one step of clock skew) and for as long as
    # a current one, while this step's code may be the one that just finished the setup or a sign-in,
    # which it refuses as a replay.
    secret = user["twoFactor"]["secretKey"]
    send_limited(current_user.user_id, "current", lambda: _deliver(secret, method, email, phone_number, 1))
    sent_to = mask_phone(phone_number) if phone_number else mask_email(email)
    return jsonify(sentTo=sent_to), 202


@bp.delete("/user/two-factor")
def disable() -> Response:
    """Turn two-factor off after checking the account password again; ``passkey: true`` when a passkey
    is still asked for after the password (see status)."""
    password = parse_body(PasswordBody).password
    if not password_is_right(current_user.user_id, password):
        raise ApiError(422, "invalid_password", "That password is not right.", field="password")
    remember_user(
        authserver().patch_user(
            current_user.user_id, {"twoFactor": {"enabled": False, "secretKey": None, "transport": None}}
        )
    )
    totp_setup.forget(current_user.user_id)
    return jsonify(status_of(None, None, update_passkey(current_user.user_id)))
