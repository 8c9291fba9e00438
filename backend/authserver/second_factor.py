"""Checking a user's TOTP code (window, replay) and sending one through the webhook."""

from __future__ import annotations

from flask import current_app

from backend.common import totp

from . import code_sends, store, webhook
from .extensions import db
from .models import LoginSession, User, now


def _two_factor_config() -> dict:
    return store.auth_config().get("twoFactor") or {}


def verify_code(user: User, code: str, *, commit: bool = True) -> bool:
    """True once for a code of the current step, one of ``validPastTokensCount`` earlier steps or the next.

    The matched step is stored atomically as the user's last used one, so a code never works twice.
    """
    secret = user.two_factor.get("secretKey")
    if not secret:
        return False
    past = _two_factor_config().get("validPastTokensCount", current_app.config["DEFAULT_VALID_PAST_TOKENS"])
    step = totp.matching_step(secret, code, now=now(), past_steps=past, last_used_step=user.last_totp_step)
    return step is not None and store.claim_totp_step(user, step, commit=commit)


def deliver_code(login: LoginSession, user: User) -> bool:
    """Send a fresh code through the webhook; the outcome is kept on the login session for the page."""
    step = totp.current_step(now())
    if user.last_totp_step is not None and step <= user.last_totp_step:
        step = user.last_totp_step + 1  # the current step is used up: send the next one (1 ahead is accepted)
    code = totp.code_at(user.two_factor["secretKey"], step * totp.STEP_SECONDS)
    login.code_delivered = webhook.send_code(_two_factor_config().get("webhook"), user, code)
    db.session.commit()
    code_sends.record(user, login.code_delivered)
    return login.code_delivered


def start_second_factor(login: LoginSession, user: User) -> None:
    """Called right after the password: users with an email/SMS transport get their code now."""
    if user.two_factor.get("transport"):
        deliver_code(login, user)
