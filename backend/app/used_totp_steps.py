"""The app's own record of each user's TOTP codes, for ``AUTH_SERVER_KIND=aidbox``: Aidbox has no
operation that checks a code for the app, so the app checks it (backend/common/totp.py) and keeps what
the bundled auth server would: the last spent step, so that a code used once is refused afterwards
(RFC 6238 section 5.2) across requests and workers alike, and a count of wrong codes, so that codes
cannot be guessed at speed."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sqlalchemy import String, case, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from .db import db

#: Wrong codes per user within WRONG_CODE_WINDOW seconds before codes are refused unseen (429).
MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = 15 * 60


class UsedTotpStep(db.Model):
    """The last time step whose code the app accepted for a user, and the wrong codes since."""

    __tablename__ = "app_used_totp_steps"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    step: Mapped[int | None]
    wrong_codes: Mapped[int] = mapped_column(default=0)
    #: When the current count of wrong codes began.
    wrong_since: Mapped[float] = mapped_column(default=0.0)


_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}


def _upsert(values: dict[str, Any], set_: Callable[[Any], dict[str, Any]], where: Any = None) -> Any:
    """INSERT ``values``, or UPDATE the user's row with ``set_(excluded)`` (where ``where(excluded)``)."""
    dialect = _DIALECTS[db.session.get_bind().dialect.name]
    statement = dialect.insert(UsedTotpStep).values(**values)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[UsedTotpStep.user_id],
        set_=set_(excluded),
        where=where(excluded) if where else None,
    )


def last_step(user_id: str) -> int | None:
    return db.session.scalar(select(UsedTotpStep.step).where(UsedTotpStep.user_id == user_id))


def claim(user_id: str, step: int) -> bool:
    """Record ``step`` as spent unless it (or a later one) already is; True when this call recorded it.
    The wrong codes start over.

    One conditional INSERT ... ON CONFLICT DO UPDATE ... WHERE: of two requests claiming one step,
    whichever the database runs second changes no row, and gets none back."""
    statement = _upsert(
        {"user_id": user_id, "step": step, "wrong_codes": 0, "wrong_since": 0.0},
        lambda excluded: {"step": excluded.step, "wrong_codes": 0},
        where=lambda excluded: or_(UsedTotpStep.step.is_(None), UsedTotpStep.step < excluded.step),
    )
    # RETURNING rather than rowcount, which the ORM's INSERT does not report on every driver.
    recorded = db.session.execute(statement.returning(UsedTotpStep.user_id)).first() is not None
    db.session.commit()
    return recorded


def count_wrong_code(user_id: str, now: float) -> None:
    """One more wrong code, in one statement; a count older than the window starts over."""
    stale = UsedTotpStep.wrong_since <= now - WRONG_CODE_WINDOW
    statement = _upsert(
        {"user_id": user_id, "step": None, "wrong_codes": 1, "wrong_since": now},
        lambda _: {
            "wrong_codes": case((stale, 1), else_=UsedTotpStep.wrong_codes + 1),
            "wrong_since": case((stale, now), else_=UsedTotpStep.wrong_since),
        },
    )
    db.session.execute(statement)
    db.session.commit()


def retry_after(user_id: str, now: float) -> int | None:
    """Seconds until codes are looked at again while the user has had too many wrong ones, else None."""
    row = db.session.execute(
        select(UsedTotpStep.wrong_codes, UsedTotpStep.wrong_since).where(UsedTotpStep.user_id == user_id)
    ).first()
    if row is None or row.wrong_codes < MAX_WRONG_CODES:
        return None
    wait = row.wrong_since + WRONG_CODE_WINDOW - now
    return math.ceil(wait) if wait > 0 else None
