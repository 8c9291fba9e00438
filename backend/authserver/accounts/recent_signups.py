"""A double-clicked "Sign up": the second POST of the same form finds the account the first one made.

Clicked twice before the page changes, a browser sends the signup form twice, with the same CSRF token
and password. The second POST is answered as the first was (signed in) rather than with "An account
with this email already exists": only within a minute of the signup, only for the form that made the
account (a keyed hash of its CSRF token) and only with the same password.
"""

from __future__ import annotations

import hmac
import uuid

from sqlalchemy import delete

from backend.common.errors import ApiError

from .. import store
from ..extensions import db
from ..models import RecentSignup, User, now
from ..secret_box import secret_box

WINDOW_SECONDS = 60


def _form_key(csrf_token: str) -> str:
    return secret_box().mac(csrf_token)


def create_account(email: str, password: str, csrf_token: str) -> None:
    """Create the User and, in the same commit, note that the form with ``csrf_token`` made it (so a
    second POST never sees the user without the note). ApiError (email_taken...) changes nothing."""
    user_id = str(uuid.uuid4())
    try:
        # Not flushed before that commit: on SQLite that would hold the write lock through the slow
        # password hash.
        with db.session.no_autoflush:
            db.session.add(RecentSignup(user_id=user_id, form_key=_form_key(csrf_token), created_at=now()))
            store.put_document("User", user_id, {"email": email, "password": password})
    except ApiError:
        db.session.rollback()
        raise


def forget_expired() -> None:
    db.session.execute(delete(RecentSignup).where(RecentSignup.created_at < now() - WINDOW_SECONDS))
    db.session.commit()


def account_made_by_this_form(email: str, password: str, csrf_token: str) -> User | None:
    """The user this very form created a moment ago with this password, or None."""
    user = store.user_by_email(email)
    signup = db.session.get(RecentSignup, user.id) if user else None
    if signup is None or signup.created_at < now() - WINDOW_SECONDS or user.two_factor_enabled:
        return None
    if not hmac.compare_digest(signup.form_key, _form_key(csrf_token)):
        return None
    return user if store.password_matches(user, password) else None
