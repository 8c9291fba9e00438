"""A code or a password checked under the throttle: refused unseen while locked out, failures counted.

Signups are counted here too: each one tells whether an email already has an account."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backend.common import totp

from .. import audit, store
from ..accounts import trusted_browsers
from ..extensions import db
from ..models import Passkey, User, now
from . import lock, recovery_codes
from .passkeys import PasskeyRefused
from .throttle import (
    CODE,
    CODE_DAY,
    IP,
    PASSWORD,
    RECOVERY,
    SIGNUP_EMAIL,
    SIGNUP_IP,
    log_locked,
    log_throttled,
    throttle,
)
from .verify import CodeCheck, verify_code


@dataclass(frozen=True)
class Outcome:
    ok: bool
    #: Seconds to wait when the attempt was not even looked at (429 + Retry-After).
    retry_after: int | None = None
    #: The user's two-factor codes are locked (the daily cap): only a recovery code or an admin unlocks them.
    locked: bool = False
    #: Throttled codes where a recovery code is accepted: it is counted apart, so it still works now.
    recovery_code_works: bool = False
    #: A refused code that was right but already used (counted as a failure all the same).
    already_used: bool = False


def attempt_code(user: User, code: str, *, recovery_allowed: bool = False, commit: bool = True) -> Outcome:
    """A current TOTP code (replay-protected) or, where allowed, an unused recovery code; pasted
    spaces and dashes are dropped first.

    A recovery code is throttled on its own, so it still works while codes are throttled or locked.
    ``commit=False`` leaves an accepted TOTP step uncommitted: the caller commits (see claim_totp_step)."""
    code = totp.normalise_code(code)
    if recovery_allowed and recovery_codes.looks_like_one(code):
        return _attempt_recovery_code(user, code)
    held = _codes_held(user, recovery_allowed)
    if held is not None:
        return held
    checked = verify_code(user, code, commit=commit) if totp.is_well_formed(code) else CodeCheck.WRONG
    if checked is CodeCheck.ACCEPTED:
        throttle().clear(CODE, user.id)  # not the day's count: a user's right codes must not reset it
        if commit:
            db.session.commit()
        return Outcome(True)
    _count_wrong_code(user)
    return Outcome(False, already_used=checked is CodeCheck.ALREADY_USED)


def _codes_held(user: User, recovery_code_works: bool = False) -> Outcome | None:
    """Why the user's second factor is not looked at now (locked for the day, or throttled), else None."""
    if user.two_factor_enabled and lock.is_locked(user.id):
        log_locked(user.id)
        return Outcome(False, locked=True)
    wait = throttle().retry_after(CODE, user.id, now())
    if wait is not None:
        log_throttled(CODE, f"user {user.id}", wait)
        return Outcome(False, wait, recovery_code_works=recovery_code_works)
    return None


def attempt_passkey(user: User, answer: Callable[[], object]) -> Outcome:
    """A passkey's answer (``answer`` checks it) under the codes' throttle and lock: not looked at while
    they hold, and a refused answer counts as a wrong code. A PasskeyRefused goes on to the caller,
    which shows its message."""
    held = _codes_held(user)
    if held is not None:
        return held
    try:
        answer()
    except PasskeyRefused:
        _count_wrong_code(user)
        raise
    throttle().clear(CODE, user.id)
    return Outcome(True)


def attempt_passwordless(answer: Callable[[], Passkey]) -> tuple[Outcome, Passkey | None]:
    """A passkey sign-in without a password (``answer`` checks it), under the per-address limit of
    passwords: until its signature is checked nobody is signing in, and counting refusals against the
    owner of the credential named would let anyone who learnt a credential id lock that user's codes.
    The accepted passkey comes back with the outcome."""
    ip = audit.client_ip() or "unknown"
    wait = throttle().retry_after(IP, ip, now())
    if wait is not None:
        log_throttled(IP, f"ip {ip}", wait)
        return Outcome(False, wait), None
    try:
        passkey = answer()
    except PasskeyRefused:
        throttle().hit(IP, ip)
        raise
    return Outcome(True), passkey


def _count_wrong_code(user: User) -> None:
    locked_out = throttle().hit(CODE, user.id)
    # The lock guards the sign-in: while two-factor is being set up there is nothing to guard.
    if throttle().hit(CODE_DAY, user.id) and user.two_factor_enabled:
        lock.lock(user.id)
        audit.record(audit.SECOND_FACTOR_LOCKED, user.id)
    elif locked_out:
        audit.record(audit.LOCKOUT, user.id)


def _attempt_recovery_code(user: User, code: str) -> Outcome:
    """Per user and per client address: a recovery code has ~39 bits, so these limits only stop floods."""
    keys = ((RECOVERY, user.id), (IP, audit.client_ip() or "unknown"))
    wait = _longest_wait(keys)
    if wait is not None:
        log_throttled(RECOVERY, f"user {user.id}", wait)
        return Outcome(False, wait)
    if recovery_codes.use(user.id, code):
        lock.unlock(user.id)
        audit.record(audit.RECOVERY_CODE_USED, user.id)  # commits the unlock with the event
        trusted_browsers.end_trust(user.id)  # the device may be lost: no browser skips the code now
        return Outcome(True)
    for kind, key in keys:
        throttle().hit(kind, key)
    return Outcome(False)


def attempt_password(user: User | None, email: str, password: str) -> Outcome:
    """The password of the account ``email`` (``user`` may be None: unknown emails are throttled alike)."""
    account = email.strip().lower()
    ip = audit.client_ip() or "unknown"
    wait = _longest_wait(((PASSWORD, account), (IP, ip)))
    if wait is not None:
        log_throttled("password", f"user {user.id}" if user else f"ip {ip}", wait)
        return Outcome(False, wait)
    if store.password_matches(user, password):
        return Outcome(True)
    locked = throttle().hit(PASSWORD, account)
    locked = throttle().hit(IP, ip) or locked
    if locked and user is not None:
        audit.record(audit.LOCKOUT, user.id)
    return Outcome(False)


def count_signup(email: str) -> int | None:
    """Every signup counts, per client address and per email, so that "this email already has an account"
    cannot be asked at speed. Seconds to wait while over a limit (not counted then), else None."""
    ip = audit.client_ip() or "unknown"
    keys = ((SIGNUP_IP, ip), (SIGNUP_EMAIL, email.strip().lower()))
    wait = _longest_wait(keys)
    if wait is not None:
        log_throttled("signup", f"ip {ip}", wait)
        return wait
    for kind, key in keys:
        throttle().hit(kind, key)
    return None


def _longest_wait(keys: Iterable[tuple[str, str]]) -> int | None:
    current = now()
    waits = [wait for kind, key in keys if (wait := throttle().retry_after(kind, key, current)) is not None]
    return max(waits) if waits else None


def clear_lockout(user: User) -> None:
    """An admin lets the user try again now (codes, recovery codes and passwords of the account)."""
    lock.unlock(user.id)
    throttle().clear(PASSWORD, user.email)
    audit.record(audit.LOCKOUT_CLEARED, user.id)
