"""WebAuthn challenges: each one answers once, within LIFETIME, for the session that asked for it.

A challenge is what makes an assertion fresh: the authenticator signs it, so a recorded answer is
worth nothing once its challenge is spent. ``take`` spends it with one conditional DELETE, so two
requests racing with the same answer cannot both succeed. The session is known only by a hash of
what identifies it (the login session id here, the app's session for its settings page), so a
challenge handle seen by someone else cannot be answered from another session.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal

from sqlalchemy import delete

from ..extensions import db
from ..models import PasskeyChallenge, now

#: Seconds a challenge may be answered: the browser's own prompt times out after 60 s by default;
#: a person who has to find their security key gets a few minutes.
LIFETIME = 5 * 60

Purpose = Literal["register", "authenticate"]


def session_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def issue(purpose: Purpose, session_key: str, user_id: str | None) -> tuple[str, bytes]:
    """A new challenge: its handle (to send back with the answer) and its 32 random bytes."""
    _forget_expired()
    handle = secrets.token_urlsafe(24)
    challenge = secrets.token_bytes(32)
    db.session.add(
        PasskeyChallenge(
            id=handle,
            user_id=user_id,
            purpose=purpose,
            challenge=challenge,
            session_hash=session_hash(session_key),
            created_at=now(),
        )
    )
    db.session.commit()
    return handle, challenge


def take(handle: str, purpose: Purpose, session_key: str, user_id: str | None) -> bytes | None:
    """The challenge behind ``handle``, spent now; None when it is unknown, already spent, expired,
    for another purpose, another session or another user."""
    row = db.session.get(PasskeyChallenge, handle)
    if row is None:
        return None
    fits = (
        row.purpose == purpose
        and row.user_id == user_id
        and secrets.compare_digest(row.session_hash, session_hash(session_key))
        and now() - row.created_at <= LIFETIME
    )
    challenge = row.challenge
    spent = db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.id == handle)).rowcount
    db.session.commit()
    return challenge if spent == 1 and fits else None


def _forget_expired() -> None:
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.created_at < now() - LIFETIME))
