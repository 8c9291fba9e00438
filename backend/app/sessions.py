"""Server-side app sessions: the ``app_session`` cookie carries only a row id.

Flask-Login's user id is the session row id, so the signed cookie names a row and nothing else
about the user. Deleting the row (logout) makes a copied cookie worthless.

A request's session is read with the user's profile snapshot (profiles.py) in one SELECT on an
autocommit connection: one database round trip, with no transaction opened around it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask.sessions import SecureCookieSessionInterface
from flask_login import UserMixin
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import String, Text, bindparam, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .db import autocommit_engine, db
from .profiles import Profile, UserProfile


class AppSession(db.Model):
    """A signed-in browser: who it is and the auth server's tokens for that sign-in."""

    __tablename__ = "app_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    email: Mapped[str] = mapped_column(String(320))
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str | None] = mapped_column(Text)
    created: Mapped[float]


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, with its serializer built once per key set instead of on every request."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = app.extensions.get("cookie_serializer")
        if kept is None or kept[0] != keys:
            kept = app.extensions["cookie_serializer"] = (keys, super().get_signing_serializer(app))
        return kept[1]


@dataclass
class SessionUser(UserMixin):
    """The signed-in browser of this request (a session row), with its user's profile snapshot."""

    id: str
    user_id: str
    email: str
    access_token: str
    refresh_token: str | None
    created: float
    #: None when there is no snapshot yet (or it was dropped).
    profile: Profile | None

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


_LOOKUP = (
    select(
        AppSession.id,
        AppSession.user_id,
        AppSession.email,
        AppSession.access_token,
        AppSession.refresh_token,
        AppSession.created,
        # The snapshot's columns, in Profile's field order after user_id.
        UserProfile.email.label("profile_email"),
        UserProfile.method,
        UserProfile.masked_phone,
        UserProfile.fetched,
    )
    .outerjoin(UserProfile, UserProfile.user_id == AppSession.user_id)
    .where(AppSession.id == bindparam("session_id"))
)


_INSERT = insert(AppSession)
_UPDATE_TOKENS = (
    update(AppSession)
    .where(AppSession.id == bindparam("session_id"))
    .values(access_token=bindparam("new_access_token"), refresh_token=bindparam("new_refresh_token"))
)
_DELETE = delete(AppSession).where(AppSession.id == bindparam("session_id"))


def start_session(user_id: str, email: str, access_token: str, refresh_token: str | None) -> SessionUser:
    row = SessionUser(
        id=secrets.token_urlsafe(32),
        user_id=user_id,
        email=email,
        access_token=access_token,
        refresh_token=refresh_token,
        created=current_app.config["CLOCK"](),
        profile=None,
    )
    autocommit_engine().execute(
        _INSERT,
        {
            "id": row.id,
            "user_id": user_id,
            "email": email,
            "access_token": access_token,
            "refresh_token": refresh_token,
            "created": row.created,
        },
    )
    return row


def load_session(session_id: str) -> SessionUser | None:
    """The live session for ``session_id``; an expired one is deleted and refused."""
    row = autocommit_engine().first(_LOOKUP, {"session_id": session_id})
    if row is None:
        return None
    id_, user_id, email, access_token, refresh_token, created, *snapshot = row
    if current_app.config["CLOCK"]() - created > current_app.config["APP_SESSION_LIFETIME"]:
        end_session(id_)
        return None
    profile = None if snapshot[-1] is None else Profile(user_id, *snapshot)
    return SessionUser(id_, user_id, email, access_token, refresh_token, created, profile)


def update_tokens(user: SessionUser, access_token: str, refresh_token: str | None) -> None:
    user.access_token = access_token
    if refresh_token:
        user.refresh_token = refresh_token
    autocommit_engine().execute(
        _UPDATE_TOKENS,
        {
            "session_id": user.id,
            "new_access_token": user.access_token,
            "new_refresh_token": user.refresh_token,
        },
    )


def end_session(session_id: str) -> None:
    autocommit_engine().execute(_DELETE, {"session_id": session_id})
