"""The app's own record of spent TOTP steps, for ``AUTH_SERVER_KIND=aidbox``: Aidbox has no operation
that checks a code for the app, so the app checks it (backend/common/totp.py) and must refuse a code
used before (RFC 6238 section 5.2), across requests and workers alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from .db import db


class UsedTotpStep(db.Model):
    """The last time step whose code the app accepted for a user."""

    __tablename__ = "app_used_totp_steps"

    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    step: Mapped[int]


def last_step(user_id: str) -> int | None:
    return db.session.scalar(select(UsedTotpStep.step).where(UsedTotpStep.user_id == user_id))


def _claim(dialect: Any, user_id: str, step: int) -> Any:
    statement = dialect.insert(UsedTotpStep).values(user_id=user_id, step=step)
    return statement.on_conflict_do_update(
        index_elements=[UsedTotpStep.user_id],
        set_={"step": statement.excluded.step},
        where=UsedTotpStep.step < statement.excluded.step,
    )


_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}


def claim(user_id: str, step: int) -> bool:
    """Record ``step`` as spent unless it (or a later one) already is; True when this call recorded it.

    One conditional INSERT ... ON CONFLICT DO UPDATE ... WHERE: of two requests claiming one step,
    whichever the database runs second changes no row."""
    dialect = _DIALECTS[db.session.get_bind().dialect.name]
    result = db.session.execute(_claim(dialect, user_id, step))
    db.session.commit()
    return result.rowcount == 1
