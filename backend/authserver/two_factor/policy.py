"""Two-factor required by policy: ``AuthConfig.twoFactor.required`` with ``gracePeriodDays``.

A second factor is two-factor on (codes from an authenticator app, by email or by text message) or a
passkey. Without the policy a passkey only signs in without a password; with it, a user whose only
second factor is a passkey is asked for it after the password, at the code step.

A user with no second factor may still finish OAuth flows for ``gracePeriodDays`` after signup (0 by
default: not at all); after that the auth server sends them to set one up before the flow goes back
to the client (web/enrolment.py). The grace period is for a new account only: one that ever had a
second factor (``User.had_second_factor``), and lost it to an admin reset or turned it off, enrols at
its next login. During the grace period the user's token says ``twoFactorRequired: true``, so an app
can insist without waiting for the deadline.
"""

from __future__ import annotations

from .. import store
from ..models import User, now
from . import passkeys

DAY_SECONDS = 24 * 60 * 60


def _settings() -> dict:
    return store.auth_config().get("twoFactor") or {}


def is_required() -> bool:
    return _settings().get("required") is True


def has_second_factor(user: User) -> bool:
    return user.two_factor_enabled or passkeys.has_passkey(user.id)


def second_factor_asked(user: User) -> bool:
    """Whether the password is followed by the code step: two-factor on, or a passkey where the
    policy requires a second factor."""
    return user.two_factor_enabled or (is_required() and passkeys.has_passkey(user.id))


def enrolment_required(user: User) -> bool:
    """Whether ``user`` must set up a second factor (now or when the grace period ends)."""
    return is_required() and not has_second_factor(user)


def must_enrol_now(user: User) -> bool:
    """Whether ``user`` must set up a second factor before an OAuth flow may finish: required, none
    now, and no grace left (the period since signup is over, the account has no signup time, or it
    had a second factor before)."""
    if not enrolment_required(user):
        return False
    grace_days = _settings().get("gracePeriodDays") or 0
    if user.created_at is None or grace_days <= 0 or user.had_second_factor:
        return True
    return now() >= user.created_at + grace_days * DAY_SECONDS
