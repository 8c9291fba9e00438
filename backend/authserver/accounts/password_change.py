"""A new password: every other sign-in of the user ends (login sessions, their tokens, trusted browsers).

Whoever knew the old password may have signed in with it somewhere, or ticked "Don't ask again" on a
browser of theirs; changing the password is how a user takes the account back, so all of that ends. The
session that changed it stays signed in.
"""

from __future__ import annotations

from sqlalchemy import delete, update

from .. import audit, store
from ..extensions import db
from ..models import LoginSession, Token, User, now
from . import trusted_browsers


def change_password(user: User, new_password: str, keep: LoginSession) -> None:
    """Store ``new_password``'s hash; end every sign-in of ``user`` but ``keep``; audit it (committed).

    Raises hash_pool.PasswordCheckUnavailable (nothing changed) when the hash could not be computed."""
    user.password_hash = store.hash_password(new_password)
    stamp = int(now())
    db.session.execute(
        update(Token)
        .where(Token.user_id == user.id, Token.login_session_id != keep.id)
        .values(access_token_revoked_at=stamp, refresh_token_revoked_at=stamp)
    )
    db.session.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.id != keep.id),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    trusted_browsers.end_trust(user.id)
    audit.record(audit.PASSWORD_CHANGED, user.id)
