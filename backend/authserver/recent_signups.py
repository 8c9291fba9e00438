"""A double-clicked "Sign up": the second POST of the same form finds the account the first one made.

Clicked twice before the page changes, a browser sends the signup form twice, with the same CSRF token
and password. The second POST is answered as the first was (signed in) rather than with "An account
with this email already exists": only within a minute of the signup, only for the form that made the
account (a keyed hash of its CSRF token) and only with the same password.
"""

from __future__ import annotations

import hmac

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column

from . import store
from .extensions import db
from .models import User, now
from .secret_box import secret_box

WINDOW_SECONDS = 60


class RecentSignup(db.Model):
    """The form that created a user, for ``WINDOW_SECONDS``."""

    __tablename__ = "recent_signups"

    # No foreign key: this row is added before its user (both are committed together).
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    form_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float]


def _form_key(csrf_token: str) -> str:
    return secret_box().mac(csrf_token)


def note(user_id: str, csrf_token: str) -> None:
    """Add (uncommitted) that the form with ``csrf_token`` creates ``user_id``: the commit that creates
    the user writes this too, so a second POST never sees the user without it."""
    db.session.add(RecentSignup(user_id=user_id, form_key=_form_key(csrf_token), created_at=now()))


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
