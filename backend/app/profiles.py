"""The app's snapshot of each signed-in user as the auth server last described them: what /api/me shows.

GET /api/me is the request a browser makes on every page load, so it is served from this snapshot
(loaded with the session row, in the same SELECT) instead of asking the auth server each time.

The trade-off: the snapshot can be up to ``APP_PROFILE_MAX_AGE`` seconds (by the injected CLOCK)
behind a change made elsewhere, i.e. on the auth server's own pages or in another app's session.
Within that age, /api/me may show two-factor as it was, and a user deleted at the auth server still
gets 200 from /api/me (every other /api call asks the auth server and ends the session with 401). Past
that age /api/me still answers at once and has the snapshot read again in the background
(profile_refresh.py): the request after that shows the change, or, for a deleted user, is a 401. Every
change made
through this app, and every call that reads the user from the auth server anyway (sign-in, GET
/api/user/two-factor, the 2FA and phone endpoints), refreshes the snapshot for all of that user's
sessions at once, so the settings page (which reads GET /api/user/two-factor, also after the auth
server's disable page sends the browser back to it) always shows, and passes on, the current state.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import String, delete, false, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.masking import mask_phone

from .db import db


class UserProfile(db.Model):
    """One row per user (shared by all their sessions): email and two-factor state, and when it was read."""

    __tablename__ = "app_users"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    #: "totp", "email", "sms" or "webhook" while two-factor is on; None while it is off.
    method: Mapped[str | None] = mapped_column(String(16))
    #: The SMS number as shown ("+1 ••• ••• 0100"), only for the SMS method.
    masked_phone: Mapped[str | None] = mapped_column(String(64))
    #: Whether the step after the password asks for a passkey while codes are off (passkey_factor.py).
    #: A User document does not say, so only the writers that found out change it.
    passkey: Mapped[bool] = mapped_column(default=False, server_default=false())
    fetched: Mapped[float]

    def as_json(self) -> dict[str, Any]:
        """What /api/me answers for this user."""
        two_factor = status_of(self.method, self.masked_phone, self.passkey)
        return {"id": self.user_id, "email": self.email, "twoFactor": two_factor}


def method_of(user: dict[str, Any]) -> str | None:
    """ "totp" (no transport), "email" or "sms" when two-factor is on; None when it is off.

    Any other transport name (even "totp") means, as at Aidbox, that the auth server passes the code to
    the webhook under that name: "webhook", never the authenticator app."""
    two_factor = user.get("twoFactor")
    if not isinstance(two_factor, dict) or two_factor.get("enabled") is not True:
        return None
    transport = two_factor.get("transport")
    if transport is None:
        return "totp"
    return transport if transport in ("email", "sms") else "webhook"


def _masked_phone_of(user: dict[str, Any], method: str | None) -> str | None:
    number = user.get("phoneNumber")
    return mask_phone(number) if method == "sms" and isinstance(number, str) and number else None


def status_of(method: str | None, masked_phone: str | None, passkey: bool = False) -> dict[str, Any]:
    """The ``twoFactor`` part of the API's answers: ``{enabled, method, phone?, passkey?}``;
    ``passkey: true`` only while codes are off and a passkey is asked for after the password."""
    status: dict[str, Any] = {"enabled": method is not None, "method": method}
    if masked_phone:
        status["phone"] = masked_phone
    if passkey and method is None:
        status["passkey"] = True
    return status


def passkey_of(info: dict[str, Any]) -> bool:
    """Whether a /auth/userinfo body says its step after the password asks for a passkey (only the
    bundled auth server says so; a User document never does)."""
    two_factor = info.get("twoFactor")
    return isinstance(two_factor, dict) and two_factor.get("passkey") is True


def two_factor_status(user: dict[str, Any]) -> dict[str, Any]:
    """``{enabled, method, phone?}`` of a User document or a /auth/userinfo body."""
    method = method_of(user)
    return status_of(method, _masked_phone_of(user, method))


def profile_of(user: dict[str, Any], fetched: float, passkey: bool = False) -> UserProfile:
    """The snapshot (not stored) of a User document or a /auth/userinfo body (both carry id, email,
    twoFactor); ``passkey`` as the caller found it (see passkey_of)."""
    method = method_of(user)
    return UserProfile(
        user_id=user["id"],
        email=user["email"],
        method=method,
        masked_phone=_masked_phone_of(user, method),
        passkey=passkey,
        fetched=fetched,
    )


def remember(profile: UserProfile, *, passkey_known: bool = True) -> None:
    """Store ``profile`` as the user's snapshot: an INSERT that updates the row already there, so two
    requests refreshing the same user at once cannot collide. Unless ``passkey_known``, a row already
    there keeps its ``passkey``."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    columns = {
        "user_id": profile.user_id,
        "email": profile.email,
        "method": profile.method,
        "masked_phone": profile.masked_phone,
        "passkey": profile.passkey,
        "fetched": profile.fetched,
    }
    updated = [name for name in columns if name != "user_id" and (passkey_known or name != "passkey")]
    statement = dialect.insert(UserProfile).values(columns)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[UserProfile.user_id],
            set_={name: statement.excluded[name] for name in updated},
        )
    )
    db.session.commit()


def remember_user(user: dict[str, Any]) -> dict[str, Any]:
    """Snapshot a User document just read from (or patched at) the auth server; ``user`` is returned.
    A User document does not say whether a passkey is asked for: the snapshot keeps what it had."""
    remember(profile_of(user, current_app.config["CLOCK"]()), passkey_known=False)
    return user


def remember_userinfo(info: dict[str, Any]) -> None:
    """Snapshot a /auth/userinfo body, which says everything the snapshot holds."""
    remember(profile_of(info, current_app.config["CLOCK"](), passkey_of(info)))


def remember_passkey(user_id: str, passkey: bool) -> None:
    """Store whether the step after the password asks the user for a passkey while codes are off."""
    db.session.execute(update(UserProfile).where(UserProfile.user_id == user_id).values(passkey=passkey))
    db.session.commit()


def forget(user_id: str) -> None:
    """Drop the snapshot of a user the auth server no longer knows."""
    db.session.execute(delete(UserProfile).where(UserProfile.user_id == user_id))
    db.session.commit()
