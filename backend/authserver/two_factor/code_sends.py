"""How often a user may be sent a code (Resend), and where the code went, shown masked.

A Resend is refused within 30 s of the last code that was delivered, and after a few attempts in
10 minutes (failed ones included, so a broken gateway is not hammered). The login and the disable page
count their own sends: the code sent at login does not make the disable page's first "Send code" wait.
Times come from the app's CLOCK, so tests move time instead of sleeping.
"""

from __future__ import annotations

import math

from sqlalchemy import delete, func, select

from backend.common import totp
from backend.common.masking import mask_email, mask_phone

from ..extensions import db
from ..models import CodeSend, User, now

MIN_INTERVAL_SECONDS = 30
WINDOW_SECONDS = 600
MAX_IN_WINDOW = 5

#: What a code was sent for.
LOGIN = "login"
DISABLE = "disable"
SETUP = "setup"


def record(user: User, delivered: bool, purpose: str) -> None:
    """Note an attempt; attempts older than the window are forgotten."""
    stamp = now()
    db.session.execute(delete(CodeSend).where(CodeSend.sent_at < stamp - WINDOW_SECONDS))
    db.session.add(CodeSend(user_id=user.id, sent_at=stamp, delivered=delivered, purpose=purpose))
    db.session.commit()


def resend_refusal(user: User, purpose: str) -> str | None:
    """Why another code for ``purpose`` cannot be sent to ``user`` now (a message for the page), or None."""
    stamp = now()
    since = stamp - WINDOW_SECONDS
    mine = (CodeSend.user_id == user.id, CodeSend.purpose == purpose)
    attempts = db.session.scalars(
        select(CodeSend).where(*mine, CodeSend.sent_at > since).order_by(CodeSend.sent_at)
    ).all()
    if len(attempts) >= MAX_IN_WINDOW:
        minutes = math.ceil((attempts[0].sent_at + WINDOW_SECONDS - stamp) / 60)
        return f"Too many codes were sent. You can ask for a new one in {_count(minutes, 'minute')}."
    last_delivered = db.session.scalar(select(func.max(CodeSend.sent_at)).where(*mine, CodeSend.delivered))
    if last_delivered is not None and stamp - last_delivered < MIN_INTERVAL_SECONDS:
        seconds = math.ceil(last_delivered + MIN_INTERVAL_SECONDS - stamp)
        return f"A code was sent moments ago. You can ask for a new one in {_count(seconds, 'second')}."
    return _no_usable_code_yet(user, stamp)


def _no_usable_code_yet(user: User, stamp: float) -> str | None:
    """The codes of this step and the next (the furthest ahead the verifier accepts) are both used: a
    code sent now could not work before the next step begins, so the user waits for it."""
    furthest_accepted = totp.current_step(stamp) + totp.MAX_FUTURE_STEPS
    if user.last_totp_step is None or user.last_totp_step < furthest_accepted:
        return None
    seconds = math.ceil((user.last_totp_step - totp.MAX_FUTURE_STEPS + 1) * totp.STEP_SECONDS - stamp)
    return f"Your last code was used moments ago. You can ask for a new one in {_count(seconds, 'second')}."


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def destination(user: User) -> str | None:
    """Where the user's codes go, masked: ``+1 ••• ••• 0100`` or ``e•••@example.com``."""
    transport = user.two_factor.get("transport")
    if transport == "sms":
        number = user.document.get("phoneNumber")
        return mask_phone(number) if number else None
    if transport == "email":
        return mask_email(user.email)
    return None
