"""An admin's reset of a user's second factor, for a user who lost every device and recovery code.

Everything that could stand in for the password's second step goes: the TOTP secret (and its
email/SMS transport), passkeys, recovery codes, trusted browsers, the lock and the counts of wrong
codes, and the logins that were waiting for a code. The password stays. The user then signs in with
the password alone, or, when ``AuthConfig.twoFactor.required`` applies to them, enrols again first.
"""

from __future__ import annotations

from sqlalchemy import delete

from .. import audit, store
from ..accounts import trusted_browsers
from ..extensions import db
from ..models import LoginSession, Passkey, PasskeyChallenge, PendingTwoFactorLogin, User
from . import lock, recovery_codes


def reset(user: User) -> None:
    """Remove every second factor of ``user``; audited (two-factor-reset), committed."""
    user.document = store.merge_patch(user.document, {"twoFactor": None})
    user.last_totp_step = None
    # No grace period after a reset: under the required policy the user enrols at the next login.
    user.had_second_factor = True
    recovery_codes.delete_all(user.id)
    for table in (Passkey, PasskeyChallenge, PendingTwoFactorLogin):
        db.session.execute(delete(table).where(table.user_id == user.id))
    # A login that was waiting for a code can no longer be completed: the password is asked again.
    db.session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.second_factor_pending)
    )
    lock.unlock(user.id)
    audit.record(audit.TWO_FACTOR_RESET, user.id)  # commits the reset with its record
    trusted_browsers.end_trust(user.id)
