"""A code or a password checked under the throttle: refused unseen while locked out, failures counted."""

from __future__ import annotations

from dataclasses import dataclass

from backend.common import totp

from . import audit, recovery_codes, store
from .models import User, now
from .second_factor import CodeCheck, verify_code
from .throttle import CODE, IP, PASSWORD, log_throttled, throttle


@dataclass(frozen=True)
class Outcome:
    ok: bool
    #: Seconds to wait when the attempt was not even looked at (429 + Retry-After).
    retry_after: int | None = None
    #: A refused code that was right but already used (counted as a failure all the same).
    already_used: bool = False


def attempt_code(user: User, code: str, *, recovery_allowed: bool = False, commit: bool = True) -> Outcome:
    """A current TOTP code (replay-protected) or, where allowed, an unused recovery code; pasted
    spaces and dashes are dropped first.

    ``commit=False`` leaves an accepted TOTP step uncommitted: the caller commits (see claim_totp_step)."""
    wait = throttle().retry_after(CODE, user.id, now())
    if wait is not None:
        log_throttled(CODE, f"user {user.id}", wait)
        return Outcome(False, wait)
    code = totp.normalise_code(code)
    checked = verify_code(user, code, commit=commit) if totp.is_well_formed(code) else CodeCheck.WRONG
    if checked is CodeCheck.ACCEPTED:
        return Outcome(True)
    if recovery_allowed and recovery_codes.use(user.id, code):
        audit.record(audit.RECOVERY_CODE_USED, user.id)
        return Outcome(True)
    if throttle().failed(CODE, user.id):
        audit.record(audit.LOCKOUT, user.id)
    return Outcome(False, already_used=checked is CodeCheck.ALREADY_USED)


def attempt_password(user: User | None, email: str, password: str) -> Outcome:
    """The password of the account ``email`` (``user`` may be None: unknown emails are throttled alike)."""
    account = email.strip().lower()
    ip = audit.client_ip() or "unknown"
    current = now()
    waits = [
        wait
        for kind, key in ((PASSWORD, account), (IP, ip))
        if (wait := throttle().retry_after(kind, key, current)) is not None
    ]
    if waits:
        log_throttled("password", f"user {user.id}" if user else f"ip {ip}", max(waits))
        return Outcome(False, max(waits))
    if store.password_matches(user, password):
        return Outcome(True)
    locked = throttle().failed(PASSWORD, account)
    locked = throttle().failed(IP, ip) or locked
    if locked and user is not None:
        audit.record(audit.LOCKOUT, user.id)
    return Outcome(False)


def clear_lockout(user: User) -> None:
    """An admin lets the user try again now (codes and passwords of the account)."""
    throttle().clear(CODE, user.id)
    throttle().clear(PASSWORD, user.email)
    audit.record(audit.LOCKOUT_CLEARED, user.id)
