"""Server-side login sessions: the cookie holds only an id that must still exist in the database."""

from __future__ import annotations

import secrets

from flask import current_app, g, session
from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm.attributes import set_committed_value

from .extensions import db
from .models import LoginSession, Token, User, now

_KEY = "login_session_id"
_SESSIONS = LoginSession.__table__
#: A Core DELETE: the ORM's would first look for the row among the session's loaded objects.
_DELETE = delete(_SESSIONS).where(_SESSIONS.c.id == bindparam("login_id"))


def start(user: User) -> LoginSession:
    """Sign ``user`` in with a fresh id (session rotation); the old login session, if any, ends."""
    old_id = session.get(_KEY)
    session.clear()
    # The CSRF secret went with the old session: a form rendered in this response needs a new token.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    if isinstance(old_id, str):
        db.session.execute(_DELETE, {"login_id": old_id})
    login = LoginSession(
        id=secrets.token_urlsafe(32),
        user=user,
        created_at=now(),
        second_factor_pending=user.two_factor_enabled,
    )
    db.session.add(login)
    db.session.commit()
    session[_KEY] = login.id
    g.login_session = login
    return login


def current() -> LoginSession | None:
    """The login session named by the cookie, when it still exists (pending 2FA included).

    One query per request reads the session and its user (``login.user``)."""
    if "login_session" not in g:
        login_id = session.get(_KEY)
        g.login_session = db.session.get(LoginSession, login_id) if isinstance(login_id, str) else None
    return g.login_session


def signed_in_user() -> User | None:
    """The fully signed-in user (password and, when on, the TOTP step)."""
    login = current()
    if login is None or login.second_factor_pending:
        return None
    return login.user


def pending_user() -> User | None:
    """The user who gave the password and still owes the TOTP step."""
    login = current()
    if login is None or not login.second_factor_pending:
        return None
    return login.user


def complete_second_factor(login: LoginSession) -> None:
    """Mark the TOTP step passed; committed with what the caller writes next (the authorization code)."""
    db.session.execute(
        update(_SESSIONS)
        .where(_SESSIONS.c.id == login.id)
        .values(second_factor_pending=False, code_delivered=None)
    )
    # Core UPDATE above; the loaded object is told without becoming dirty (no second UPDATE at flush).
    set_committed_value(login, "second_factor_pending", False)
    set_committed_value(login, "code_delivered", None)


def end(login_id: str) -> None:
    """Delete a login session and revoke every token it issued."""
    stamp = int(now())
    db.session.execute(
        update(Token)
        .where(Token.login_session_id == login_id)
        .values(access_token_revoked_at=stamp, refresh_token_revoked_at=stamp)
    )
    db.session.execute(_DELETE, {"login_id": login_id})
    db.session.commit()
