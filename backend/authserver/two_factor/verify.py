"""Checking a user's TOTP code (window, replay) and sending one through the webhook."""

from __future__ import annotations

from enum import Enum

from flask import current_app

from backend.common import totp

from .. import store
from ..extensions import db
from ..models import LoginSession, User, now
from . import code_sends, webhook


def _two_factor_config() -> dict:
    return store.auth_config().get("twoFactor") or {}


class CodeCheck(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    #: Right, but its time step is spent (RFC 6238 5.2): refused all the same; the user waits for the next.
    ALREADY_USED = "already_used"


def verify_code(user: User, code: str, *, commit: bool = True) -> CodeCheck:
    """ACCEPTED once for a code of the current step, ``validPastTokensCount`` earlier steps or the next.

    The matched step is stored atomically as the user's last used one, so a code never works twice: the
    second time (also when another request claimed the step a moment before) it is ALREADY_USED.
    """
    secret = user.two_factor.get("secretKey")
    if not secret:
        return CodeCheck.WRONG
    past = _two_factor_config().get("validPastTokensCount", current_app.config["DEFAULT_VALID_PAST_TOKENS"])
    match = totp.check(secret, code, now=now(), past_steps=past, last_used_step=user.last_totp_step)
    if match.step is not None:
        return (
            CodeCheck.ACCEPTED
            if store.claim_totp_step(user, match.step, commit=commit)
            else CodeCheck.ALREADY_USED
        )
    return CodeCheck.ALREADY_USED if match.already_used else CodeCheck.WRONG


def already_used_message(user: User) -> str:
    """What to do about a spent code: the app shows the next one soon; a sent code needs a new send."""
    if user.two_factor.get("transport"):
        return "This code was already used. Send yourself a new one."
    return "This code was already used. Wait for the next one in your app."


def send_code(user: User, purpose: str) -> bool:
    """Send a fresh code of the user's secret through the webhook and count the send; True when it went."""
    step = totp.current_step(now())
    if user.last_totp_step is not None and step <= user.last_totp_step:
        step = user.last_totp_step + 1  # the current step is used up: send the next one (1 ahead is accepted)
    code = totp.code_at(user.two_factor["secretKey"], step * totp.STEP_SECONDS)
    delivered = webhook.send_code(_two_factor_config().get("webhook"), user, code)
    code_sends.record(user, delivered, purpose)
    return delivered


def deliver_code(login: LoginSession, user: User, purpose: str = code_sends.LOGIN) -> bool:
    """Send a fresh code through the webhook; the outcome is kept on the login session for the page."""
    login.code_delivered = send_code(user, purpose)
    db.session.commit()
    return login.code_delivered


def start_second_factor(login: LoginSession, user: User) -> None:
    """Called right after the password: users with an email/SMS transport get their code now."""
    if user.two_factor_enabled and user.two_factor.get("transport"):
        deliver_code(login, user)
