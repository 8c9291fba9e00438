"""How often the app may send a user a code: the auth server's Resend limit (its two_factor/code_sends.py),
mirrored for the codes the app sends itself (email and text-message setup, a current code for new
recovery codes), with the same words.

Another code is refused within 30 s of the last one delivered, and after a few attempts in 10 minutes
(failed ones included, so a broken gateway is not hammered). Each button has its limit (``purpose``):
the code that finishes a setup does not hold up the one asked for new recovery codes a moment later.
Times come from the app's CLOCK, so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from flask import current_app
from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .authserver_client import Throttled
from .db import db

MIN_INTERVAL_SECONDS = 30
WINDOW_SECONDS = 600
MAX_IN_WINDOW = 5


class CodeSend(db.Model):
    """One attempt to send a user a code by email or text message."""

    __tablename__ = "app_code_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    #: "setup" (email or SMS setup) or "current" (a current code, for new recovery codes).
    purpose: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[float]
    delivered: Mapped[bool]


class TooSoon(Throttled):
    """429 with Retry-After: the user was sent a code moments ago, or too many lately."""

    def __init__(self, seconds: int, message: str) -> None:
        super().__init__(str(seconds), message, code="too_soon")


def send_limited(user_id: str, purpose: str, send: Callable[[], None]) -> None:
    """Run ``send`` unless the limit refuses it (TooSoon); record the attempt either way it ends."""
    _refuse_if_too_soon(user_id, purpose)
    delivered = False
    try:
        send()
        delivered = True
    finally:
        _record(user_id, purpose, delivered)


def _refuse_if_too_soon(user_id: str, purpose: str) -> None:
    now = current_app.config["CLOCK"]()
    mine = (CodeSend.user_id == user_id, CodeSend.purpose == purpose)
    recent = select(CodeSend).where(*mine, CodeSend.sent_at > now - WINDOW_SECONDS)
    attempts = db.session.scalars(recent.order_by(CodeSend.sent_at)).all()
    if len(attempts) >= MAX_IN_WINDOW:
        seconds = math.ceil(attempts[0].sent_at + WINDOW_SECONDS - now)
        minutes = math.ceil(seconds / 60)
        raise TooSoon(
            seconds, f"Too many codes were sent. You can ask for a new one in {_count(minutes, 'minute')}."
        )
    last_delivered = db.session.scalar(select(func.max(CodeSend.sent_at)).where(*mine, CodeSend.delivered))
    if last_delivered is not None and now - last_delivered < MIN_INTERVAL_SECONDS:
        seconds = math.ceil(last_delivered + MIN_INTERVAL_SECONDS - now)
        raise TooSoon(
            seconds, f"A code was sent moments ago. You can ask for a new one in {_count(seconds, 'second')}."
        )


def _record(user_id: str, purpose: str, delivered: bool) -> None:
    """Note an attempt; attempts older than the window are forgotten."""
    now = current_app.config["CLOCK"]()
    db.session.execute(delete(CodeSend).where(CodeSend.sent_at < now - WINDOW_SECONDS))
    db.session.add(CodeSend(user_id=user_id, purpose=purpose, sent_at=now, delivered=delivered))
    db.session.commit()


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"
