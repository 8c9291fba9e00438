"""The app's snapshot of each signed-in user as the auth server last described them: what /api/me shows.

GET /api/me is the request a browser makes on every page load, so it is served from this snapshot
(read together with the session row in one SELECT) instead of asking the auth server each time.

The trade-off: the snapshot can be up to ``APP_PROFILE_MAX_AGE`` seconds (by the injected CLOCK)
behind a change made elsewhere, i.e. on the auth server's own pages or in another app's session.
Within that age, /api/me may show two-factor as it was, and a user deleted at the auth server still
gets 200 from /api/me (every other /api call asks the auth server and ends the session with 401). Past
that age /api/me asks again: a deleted user then gets 401 and the session ends. Every change made
through this app, and every call that reads the user from the auth server anyway (sign-in, GET
/api/user/two-factor, the 2FA and phone endpoints), refreshes the snapshot for all of that user's
sessions at once, so the settings page (which reads GET /api/user/two-factor, also after the auth
server's disable page sends the browser back to it) always shows, and passes on, the current state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Insert, String, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from backend.common.masking import mask_phone

from .db import autocommit_engine, db


class UserProfile(db.Model):
    """One row per user (shared by all their sessions): email and two-factor state, and when it was read."""

    __tablename__ = "app_users"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    #: "totp", "email", "sms" or "webhook" while two-factor is on; None while it is off.
    method: Mapped[str | None] = mapped_column(String(16))
    #: The SMS number as shown ("+1 ••• ••• 0100"), only for the SMS method.
    masked_phone: Mapped[str | None] = mapped_column(String(64))
    fetched: Mapped[float]


@dataclass(frozen=True)
class Profile:
    """What /api/me answers for one user."""

    user_id: str
    email: str
    method: str | None
    masked_phone: str | None
    fetched: float

    def as_json(self) -> dict[str, Any]:
        two_factor = status_of(self.method, self.masked_phone)
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


def status_of(method: str | None, masked_phone: str | None) -> dict[str, Any]:
    """The ``twoFactor`` part of the API's answers: ``{enabled, method, phone?}``."""
    status: dict[str, Any] = {"enabled": method is not None, "method": method}
    if masked_phone:
        status["phone"] = masked_phone
    return status


def two_factor_status(user: dict[str, Any]) -> dict[str, Any]:
    """``{enabled, method, phone?}`` of a User document or a /auth/userinfo body."""
    method = method_of(user)
    return status_of(method, _masked_phone_of(user, method))


def profile_of(user: dict[str, Any], fetched: float) -> Profile:
    """The snapshot of a User document or a /auth/userinfo body (both carry id, email, twoFactor)."""
    method = method_of(user)
    return Profile(user["id"], user["email"], method, _masked_phone_of(user, method), fetched)


def _upsert(dialect: Any) -> Insert:
    """INSERT, or UPDATE the row of the same user_id: the two dialects spell it alike."""
    statement = dialect.insert(UserProfile)
    columns = ("email", "method", "masked_phone", "fetched")
    return statement.on_conflict_do_update(
        index_elements=[UserProfile.user_id], set_={name: statement.excluded[name] for name in columns}
    )


_UPSERTS = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}
_FORGET = delete(UserProfile).where(UserProfile.user_id == bindparam("user_id"))


def remember(profile: Profile) -> None:
    """Store ``profile`` as the user's snapshot (one statement, no transaction around it)."""
    engine = autocommit_engine()
    engine.execute(_UPSERTS[engine.engine.dialect.name], asdict(profile))


def remember_user(user: dict[str, Any]) -> dict[str, Any]:
    """Snapshot a User document just read from (or patched at) the auth server; ``user`` is returned."""
    remember(profile_of(user, current_app.config["CLOCK"]()))
    return user


def forget(user_id: str) -> None:
    """Drop the snapshot of a user the auth server no longer knows."""
    autocommit_engine().execute(_FORGET, {"user_id": user_id})
