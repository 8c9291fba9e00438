"""The hard lock of a user's two-factor codes, after the daily cap of wrong codes (THROTTLE_CODE_LOCK_AFTER).

Unlike the short tiers it does not end by itself: a recovery code (at sign-in), an admin
(``DELETE /User/<id>/$lockout``) or turning two-factor off ends it. A row in the database whatever
the throttle's storage, because it is the account's state, not a count.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from ..models import SecondFactorLock, now
from .throttle import CODE, CODE_DAY, RECOVERY, throttle


def is_locked(user_id: str) -> bool:
    query = select(SecondFactorLock.user_id).where(SecondFactorLock.user_id == user_id)
    return db.session.scalar(query) is not None


def lock(user_id: str) -> None:
    db.session.merge(SecondFactorLock(user_id=user_id, locked_at=now()))
    db.session.commit()


def unlock(user_id: str) -> None:
    """The lock and every count of wrong codes and recovery codes go (in the caller's transaction)."""
    for kind in (CODE, CODE_DAY, RECOVERY):
        throttle().clear(kind, user_id)
    db.session.execute(delete(SecondFactorLock).where(SecondFactorLock.user_id == user_id))
