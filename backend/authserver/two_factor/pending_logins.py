"""Pending API logins: the ``twoFactorId`` a 242 answer hands out until a code completes it.

A twoFactorId is single-use (consumed by one DELETE), expires (``API_TWO_FACTOR_ID_SECONDS``, 5 minutes
by default, on the app's injected clock) and is bound to the application (Client) that asked for it.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import PendingTwoFactorLogin, User, now

DEFAULT_LIFETIME_SECONDS = 300
#: Wrong codes for one twoFactorId before it is thrown away (the same limit as the form's login session).
MAX_FAILED_CODES = 5


def _lifetime() -> float:
    return current_app.config.get("API_TWO_FACTOR_ID_SECONDS", DEFAULT_LIFETIME_SECONDS)


def start(user: User, client_id: str) -> PendingTwoFactorLogin:
    pending = PendingTwoFactorLogin(
        id=secrets.token_urlsafe(32), user_id=user.id, client_id=client_id, created_at=now()
    )
    db.session.add(pending)
    db.session.commit()
    return pending


def find(two_factor_id: str, client_id: str) -> PendingTwoFactorLogin | None:
    """The pending login when it exists, has not expired and belongs to ``client_id``."""
    pending = db.session.get(PendingTwoFactorLogin, two_factor_id)
    if pending is None:
        return None
    if pending.created_at + _lifetime() < now():
        discard(pending.id)
        return None
    if not secrets.compare_digest(pending.client_id.encode(), client_id.encode()):
        return None
    return pending


def consume(pending: PendingTwoFactorLogin) -> bool:
    """Use the twoFactorId up; one DELETE, so two completions of one id cannot both succeed."""
    return discard(pending.id)


def discard(two_factor_id: str) -> bool:
    """Delete the pending login; True for the one request whose DELETE removed it."""
    # One conditional DELETE: of two requests consuming one twoFactorId, only one removes the row.
    result = db.session.execute(
        delete(PendingTwoFactorLogin).where(PendingTwoFactorLogin.id == two_factor_id)
    )
    db.session.commit()
    return result.rowcount == 1


def record_failure(pending: PendingTwoFactorLogin) -> None:
    """Count a wrong code; the last allowed one throws the twoFactorId away (log in again)."""
    db.session.execute(
        update(PendingTwoFactorLogin)
        .where(PendingTwoFactorLogin.id == pending.id)
        .values(failed_codes=PendingTwoFactorLogin.failed_codes + 1)
    )
    db.session.commit()
    failed = db.session.scalar(
        select(PendingTwoFactorLogin.failed_codes).where(PendingTwoFactorLogin.id == pending.id)
    )
    if failed is not None and failed >= MAX_FAILED_CODES:
        discard(pending.id)
