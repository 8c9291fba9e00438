"""Throttling of guesses (NIST SP 800-63B 5.2.2): wrong codes per user, wrong passwords per account and IP.

Built on ``limits`` (the engine of Flask-Limiter) rather than Flask-Limiter's route decorators: only
failures count, the check runs before the code or password is looked at, one key is shared by the
login step, the disable page and the admin ``$verify-totp``, and an admin can clear one user's
lockout. Each kind has tiers (e.g. 5 a minute, 10 in 15 minutes, 20 an hour), so the wait grows the
longer guessing goes on. Storage is ``RATELIMIT_STORAGE_URI``: memory:// (default) or redis://.
``limits``' memory storage reads ``time.time()``; tests point it at the same fake clock as CLOCK.
"""

from __future__ import annotations

import logging
import math

from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("authserver.throttle")

CODE = "code"  # key: user id
PASSWORD = "password"  # noqa: S105 (a key space, not a password); key: normalised email
IP = "ip"  # key: client address


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

    def failed(self, kind: str, key: str) -> bool:
        """Count one failure; True when it used up a tier (the lockout starts now)."""
        for item in self._tiers[kind]:
            self._limiter.hit(item, kind, key)
        return any(not self._limiter.test(item, kind, key) for item in self._tiers[kind])

    def clear(self, kind: str, key: str) -> None:
        for item in self._tiers[kind]:
            self._limiter.clear(item, kind, key)


def init_throttle(app: Flask) -> None:
    config = app.config
    app.extensions["throttle"] = Throttle(
        config["RATELIMIT_STORAGE_URI"],
        {
            CODE: config["THROTTLE_CODE_LIMITS"],
            PASSWORD: config["THROTTLE_PASSWORD_LIMITS"],
            IP: config["THROTTLE_IP_LIMITS"],
        },
    )


def throttle() -> Throttle:
    return current_app.extensions["throttle"]


def wait_message(seconds: int) -> str:
    return f"Too many wrong attempts. Try again in {seconds} seconds."


def log_throttled(kind: str, key_label: str, seconds: int) -> None:
    """Never the code or password: which limit, whose, and for how long."""
    log.warning("throttled %s attempt for %s; retry after %s s", kind, key_label, seconds)
