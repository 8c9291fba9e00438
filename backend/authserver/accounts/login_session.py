"""Server-side login sessions: the cookie holds only an id that must still exist in the database.

The id changes whenever the session's assurance does: when the password is accepted (``start``) and when
the second factor is (``complete_second_factor``). The old row is deleted, so whoever copied or planted
the cookie before that step holds nothing afterwards; the CSRF secret in the cookie is renewed with it.

A login session ends, and is then no session at all (the login form again, no new token from it):
``AUTH_SESSION_SECOND_FACTOR_SECONDS`` after the password while the code is still owed,
``AUTH_SESSION_IDLE_SECONDS`` after its last use (a page, a code exchange, a refresh), and
``AUTH_SESSION_MAX_SECONDS`` after the password however much it is used. Access tokens it issued work
until their own expiry (OAUTH2_TOKEN_EXPIRES_IN, an hour); its refresh tokens and codes are refused.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, session
from sqlalchemy import delete, update

from ..extensions import db
from ..models import LoginSession, Token, User, now
from ..two_factor import policy

_KEY = "login_session_id"
#: The last use is written at most once a minute: writing it on every request would take the database's
#: write lock (the whole file on SQLite) and a commit per page, for a limit counted in hours.
TOUCH_INTERVAL_SECONDS = 60


def new(user: User, *, second_factor_pending: bool = False, created_at: float | None = None) -> LoginSession:
    """A login session for ``user`` under a fresh random id; added to the database session, not committed."""
    stamp = now()
    login = LoginSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        user=user,
        created_at=stamp if created_at is None else created_at,
        last_seen_at=stamp,
        second_factor_pending=second_factor_pending,
    )
    db.session.add(login)
    return login


def start(user: User) -> LoginSession:
    """The password is accepted: sign ``user`` in under a fresh id; the old login session, if any, ends."""
    old_id = session.get(_KEY)
    if isinstance(old_id, str):
        db.session.execute(delete(LoginSession).where(LoginSession.id == old_id))
    login = new(user, second_factor_pending=policy.second_factor_asked(user))
    db.session.commit()
    _hand_out(login)
    return login


def complete_second_factor(login: LoginSession) -> LoginSession | None:
    """The second factor is accepted: a signed-in session under a fresh id replaces the half-signed-in
    one, or None when that one ended meanwhile (another tab finished it).

    Committed with what the caller writes next (the used TOTP step, the authorization code)."""
    # One conditional DELETE ends the half-signed-in session, so two tabs cannot both finish it.
    ended = db.session.execute(delete(LoginSession).where(LoginSession.id == login.id))
    if ended.rowcount != 1:
        return None
    signed_in = new(login.user, created_at=login.created_at)
    _hand_out(signed_in)
    return signed_in


def _hand_out(login: LoginSession) -> None:
    """Give the browser ``login``'s id in a cookie session of its own: nothing from before goes along."""
    session.clear()
    # The CSRF secret went with the old session: a form rendered in this response needs a new token.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    session[_KEY] = login.id
    g.login_session = login


def current() -> LoginSession | None:
    """The login session named by the cookie, while it lasts (pending 2FA included).

    One query per request reads the session and its user (``login.user``)."""
    if "login_session" not in g:
        login_id = session.get(_KEY)
        login = db.session.get(LoginSession, login_id) if isinstance(login_id, str) else None
        g.login_session = in_use(login)
    return g.login_session


def in_use(login: LoginSession | None) -> LoginSession | None:
    """``login``, its use noted, while it lasts; None when there is none or it has ended (the row goes)."""
    if login is None:
        return None
    stamp = now()
    if stamp >= ends_at(login):
        db.session.execute(delete(LoginSession).where(LoginSession.id == login.id))
        db.session.commit()
        return None
    if stamp - login.last_seen_at >= TOUCH_INTERVAL_SECONDS:
        # An UPDATE by id rather than a changed attribute: a session deleted meanwhile (logout) then
        # matches no row, where the flush of a changed object would fail.
        db.session.execute(update(LoginSession).where(LoginSession.id == login.id).values(last_seen_at=stamp))
        db.session.commit()
    return login


def ends_at(login: LoginSession) -> float:
    """When ``login`` stops being a session (its last use is known to the minute)."""
    config = current_app.config
    if login.second_factor_pending:
        return login.created_at + config["AUTH_SESSION_SECOND_FACTOR_SECONDS"]
    return min(
        login.last_seen_at + config["AUTH_SESSION_IDLE_SECONDS"],
        login.created_at + config["AUTH_SESSION_MAX_SECONDS"],
    )


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


def end(login_id: str) -> None:
    """Delete a login session and revoke every token it issued."""
    stamp = int(now())
    db.session.execute(
        update(Token)
        .where(Token.login_session_id == login_id)
        .values(access_token_revoked_at=stamp, refresh_token_revoked_at=stamp)
    )
    db.session.execute(delete(LoginSession).where(LoginSession.id == login_id))
    db.session.commit()
