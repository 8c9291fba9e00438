"""The one TOTP verifier (RFC 6238) used by every place that checks a code.

Aidbox's ``validPastTokensCount`` is past-only, while ``pyotp.TOTP.verify(valid_window=N)`` is
symmetric, so the window is written here: the current 30 s step, ``past_steps`` earlier ones and at
most ``future_steps`` later ones for clock skew. A step at or below ``last_used_step`` is refused so
that a code is never accepted twice (RFC 6238 section 5.2); ``check`` also says when that is why, so
the user hears "already used" rather than "not valid".
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyotp

STEP_SECONDS = 30
DIGITS = 6
MAX_FUTURE_STEPS = 1

Clock = Callable[[], float]

# ASCII only: str.isdigit() and \d accept other scripts' digits, and pyotp's compare NFKC-normalises.
_CODE = re.compile(r"[0-9]{6}")
#: What people paste around a code: spaces (any kind, a phone may show "806 056") and dashes.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")


def system_clock() -> float:
    return time.time()


def new_secret() -> str:
    """A fresh base32 secret of 160 bits, the size RFC 4226 recommends."""
    return pyotp.random_base32(length=32)


def normalise_code(value: str) -> str:
    """A pasted ``806 056`` or `` 806-056 `` as ``806056`` (a recovery code ``abcd-2345`` as ``abcd2345``).

    Separators are only removed, nothing is converted (no NFKC): ``１２３４５６`` stays what it is, and
    :func:`is_well_formed` refuses it.
    """
    return _SEPARATORS.sub("", value)


def is_well_formed(code: object) -> bool:
    return isinstance(code, str) and _CODE.fullmatch(code) is not None


def current_step(now: float) -> int:
    return int(now // STEP_SECONDS)


def code_at(secret: str, now: float) -> str:
    """The code an authenticator app shows at ``now``."""
    return pyotp.TOTP(secret).generate_otp(current_step(now))


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://totp/Issuer:account?secret=...&issuer=Issuer`` URL a QR code carries."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


@dataclass(frozen=True)
class Match:
    """What a code is worth: ``step`` when it may be accepted (the caller claims it), else None;
    ``already_used`` when the code is right for a step at or below the last used one."""

    step: int | None
    already_used: bool = False


def check(
    secret: str,
    code: object,
    *,
    now: float,
    past_steps: int,
    future_steps: int = MAX_FUTURE_STEPS,
    last_used_step: int | None = None,
) -> Match:
    """The time step whose code equals ``code`` when it is acceptable, or why not.

    The caller stores the returned step as the user's last used one, atomically (for example
    ``UPDATE ... WHERE last_step < :step``), so two submissions of one code cannot both pass.
    """
    if past_steps < 0 or not 0 <= future_steps <= MAX_FUTURE_STEPS:
        raise ValueError("past_steps must be >= 0 and future_steps between 0 and 1")
    if not is_well_formed(code):
        return Match(None)
    totp = pyotp.TOTP(secret)
    now_step = current_step(now)
    found = None
    # Every candidate is compared, so the time taken does not tell which step matched.
    for step in range(now_step - past_steps, now_step + future_steps + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    if found is None:
        return Match(None)
    if last_used_step is not None and found <= last_used_step:
        return Match(None, already_used=True)
    return Match(found)


def matching_step(
    secret: str,
    code: object,
    *,
    now: float,
    past_steps: int,
    future_steps: int = MAX_FUTURE_STEPS,
    last_used_step: int | None = None,
) -> int | None:
    """The step of :func:`check`: the one to claim, or None when the code is not acceptable."""
    return check(
        secret,
        code,
        now=now,
        past_steps=past_steps,
        future_steps=future_steps,
        last_used_step=last_used_step,
    ).step
