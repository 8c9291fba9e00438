"""When an authenticator-app setup started here, so that reloading the page shows the same QR code.

The pending secret itself lives on the auth server's User (``twoFactor.secretKey``, not enabled, no
transport), where $verify-totp checks the code that confirms it. On a phone, switching to the
authenticator app can reload the tab: a new secret then would make the code of the QR code just
scanned fail. So while a setup is younger than LIFETIME its secret is shown again; after that it has
expired, the code that confirms it is refused, and starting again makes a new secret. Enabling,
disabling and Cancel forget the setup.
"""

from __future__ import annotations

from typing import Literal

from flask import current_app
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .db import db

#: Seconds a setup stays pending: time to install an authenticator app and scan the code.
LIFETIME = 15 * 60

State = Literal["pending", "expired"]


class PendingTotpSetup(db.Model):
    """A user's authenticator-app setup, started and not yet confirmed or cancelled."""

    __tablename__ = "pending_totp_setups"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    started: Mapped[float]


def state(user_id: str) -> State | None:
    """ "pending" while the user's setup is younger than LIFETIME, "expired" after it, None without one."""
    setup = db.session.get(PendingTotpSetup, user_id)
    if setup is None:
        return None
    return "pending" if current_app.config["CLOCK"]() - setup.started <= LIFETIME else "expired"


def start(user_id: str) -> None:
    """A new setup starts now (replacing any earlier one)."""
    db.session.merge(PendingTotpSetup(user_id=user_id, started=current_app.config["CLOCK"]()))
    db.session.commit()


def forget(user_id: str) -> None:
    setup = db.session.get(PendingTotpSetup, user_id)
    if setup is not None:
        db.session.delete(setup)
        db.session.commit()
