"""Server-side app sessions: the ``app_session`` cookie carries only a row id.

Flask-Login's user id is the session row id, so the signed cookie names a row and nothing else
about the user. Deleting the row (logout) makes a copied cookie worthless.

A request's session is loaded with the user's profile snapshot (profiles.py) in one SELECT. The auth
server's tokens are encrypted (encrypted_text.py) and left out of that SELECT: only signing out uses
them, so no other request reads or decrypts them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import db
from .encrypted_text import EncryptedText
from .profiles import UserProfile


class AppSession(UserMixin, db.Model):
    """A signed-in browser: who it is and the auth server's tokens for that sign-in."""

    __tablename__ = "app_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    email: Mapped[str] = mapped_column(String(320))
    access_token: Mapped[str] = mapped_column(EncryptedText, deferred=True, deferred_group="tokens")
    refresh_token: Mapped[str | None] = mapped_column(EncryptedText, deferred=True, deferred_group="tokens")
    created: Mapped[float]
    #: The user's snapshot, or None when there is none yet (or it was dropped).
    profile: Mapped[UserProfile | None] = relationship(
        primaryjoin="foreign(AppSession.user_id) == UserProfile.user_id", viewonly=True, lazy="joined"
    )

    kind = "session"


@dataclass
class BearerUser(UserMixin):
    """A caller that presented an implicit-flow token the auth server vouched for."""

    user_id: str
    email: str
    access_token: str
    #: The token's /auth/userinfo body, read for this request.
    info: dict[str, Any]

    kind = "bearer"

    def get_id(self) -> str:
        return f"bearer:{self.user_id}"


def start_session(user_id: str, email: str, access_token: str, refresh_token: str | None) -> AppSession:
    row = AppSession(
        id=secrets.token_urlsafe(32),
        user_id=user_id,
        email=email,
        access_token=access_token,
        refresh_token=refresh_token,
        created=current_app.config["CLOCK"](),
    )
    db.session.add(row)
    db.session.commit()
    return row


def load_session(session_id: str) -> AppSession | None:
    """The live session for ``session_id``; an expired one is deleted and refused."""
    row = db.session.get(AppSession, session_id)
    if row is None:
        return None
    if current_app.config["CLOCK"]() - row.created > current_app.config["APP_SESSION_LIFETIME"]:
        end_session(row.id)
        return None
    return row


def update_tokens(row: AppSession, access_token: str, refresh_token: str | None) -> None:
    row.access_token = access_token
    if refresh_token:
        row.refresh_token = refresh_token
    db.session.commit()


def end_session(session_id: str) -> None:
    db.session.execute(delete(AppSession).where(AppSession.id == session_id))
    db.session.commit()


def end_sessions_of(user_id: str) -> None:
    """End every session of a user the auth server no longer knows."""
    db.session.execute(delete(AppSession).where(AppSession.user_id == user_id))
    db.session.commit()
