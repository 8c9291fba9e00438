"""Throttling of guesses (NIST SP 800-63B 5.2.2): wrong codes per user, wrong passwords per account and IP,
signups per IP and email.

Built on ``limits`` (the engine of Flask-Limiter) rather than Flask-Limiter's route decorators:
only failures count (signups aside), the check runs before the code or password is looked at, one
key is shared by the login step, the disable page and the admin ``$verify-totp``, and an admin can
clear one user's lockout. Each kind has tiers (e.g. 5 a minute, 10 in 15 minutes), so the wait grows
the longer guessing goes on. Storage is ``RATELIMIT_STORAGE_URI``: database:// (default: the auth
server's own database, see throttle_storage.py), memory:// (one process, forgotten on restart) or
redis://.
``limits``' memory storage reads ``time.time()``; tests point it at the same fake clock as CLOCK.
"""

from __future__ import annotations

import logging
import math

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from backend.common.durations import in_words

from . import throttle_storage  # noqa: F401 (registers the database:// storage with limits)

log = logging.getLogger("authserver.throttle")

CODE = "code"  # key: user id; short tiers, which a right code starts over
CODE_DAY = "code-day"  # key: user id; the daily cap, after which the second factor locks
RECOVERY = "recovery"  # key: user id; wrong recovery codes
PASSWORD = "password"  # noqa: S105 (a key space, not a password); key: normalised email
IP = "ip"  # key: client address; wrong passwords and recovery codes from it
SIGNUP_IP = "signup-ip"  # key: client address; every signup tried from it
SIGNUP_EMAIL = "signup-email"  # key: normalised email; every signup tried with it

LOCKED_MESSAGE = (
    "Too many wrong codes: two-factor codes are locked for this account. "
    "Sign in with a recovery code to unlock them, or ask an administrator."
)


class Throttle:
    def __init__(self, storage_uri: str, tiers: dict[str, str]) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._tiers: dict[str, list[RateLimitItem]] = {kind: parse_many(spec) for kind, spec in tiers.items()}

    def retry_after(self, kind: str, key: str, now: float) -> int | None:
        """Seconds until ``key`` may try again, or None when it may try now."""
        waits = [
            self._limiter.get_window_stats(item, kind, key).reset_time - now
            for item in self._tiers[kind]
            if not self._limiter.test(item, kind, key)
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def hit(self, kind: str, key: str) -> bool:
        """Count one attempt; True when it used up a tier (the lockout starts now)."""
        for item in self._tiers[kind]:
            self._limiter.hit(item, kind, key)
        return any(not self._limiter.test(item, kind, key) for item in self._tiers[kind])

    def clear(self, kind: str, key: str) -> None:
        """Forget ``key``'s count (with database:// as part of the caller's transaction, which commits it)."""
        for item in self._tiers[kind]:
            self._limiter.clear(item, kind, key)


def init_throttle(app: Flask) -> None:
    config = app.config
    app.extensions["throttle"] = Throttle(
        config["RATELIMIT_STORAGE_URI"],
        {
            CODE: config["THROTTLE_CODE_LIMITS"],
            CODE_DAY: config["THROTTLE_CODE_LOCK_AFTER"],
            RECOVERY: config["THROTTLE_RECOVERY_LIMITS"],
            PASSWORD: config["THROTTLE_PASSWORD_LIMITS"],
            IP: config["THROTTLE_IP_LIMITS"],
            SIGNUP_IP: config["THROTTLE_SIGNUP_IP_LIMITS"],
            SIGNUP_EMAIL: config["THROTTLE_SIGNUP_EMAIL_LIMITS"],
        },
    )


def throttle() -> Throttle:
    return current_app.extensions["throttle"]


def wait_message(seconds: int, *, recovery_code_works: bool = False) -> str:
    """ "... Try again in 7 minutes 52 seconds." and, where it is so, that a recovery code works now."""
    message = f"Too many wrong attempts. Try again in {in_words(seconds)}."
    return f"{message} You can sign in with a recovery code now." if recovery_code_works else message


def log_throttled(kind: str, key_label: str, seconds: int) -> None:
    """Never the code or password: which limit, whose, and for how long."""
    log.warning("throttled %s attempt for %s; retry after %s s", kind, key_label, seconds)


def log_locked(user_id: str) -> None:
    log.warning("refused a code for user %s: two-factor codes are locked", user_id)
