"""Single-use recovery codes (``xxxx-xxxx``), kept as keyed hashes; each signs in once instead of a code."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import RecoveryCode, now
from ..secret_box import secret_box

COUNT = 10
#: No 0/o, 1/l/i: codes get read off paper and typed by hand. 31 symbols, 8 of them: ~39 bits each.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
FORMAT = re.compile(r"[a-z0-9]{4}-?[a-z0-9]{4}")


def looks_like_one(value: str) -> bool:
    return FORMAT.fullmatch(value.lower()) is not None


def _canonical(value: str) -> str:
    return value.lower().replace("-", "")


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def generate(user_id: str) -> list[str]:
    """A fresh set of codes for ``user_id``; every earlier code stops working. Shown once, never stored."""
    codes = [_new_code() for _ in range(COUNT)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    db.session.add_all(
        RecoveryCode(user_id=user_id, code_hash=secret_box().mac(_canonical(code))) for code in codes
    )
    db.session.commit()
    return codes


def remaining(user_id: str) -> int:
    query = select(func.count()).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query) or 0


def use(user_id: str, code: str) -> bool:
    """Spend ``code`` atomically: True once, False for an unknown or already used code."""
    if not looks_like_one(code):
        return False
    # One conditional UPDATE spends the code, so two requests with it cannot both succeed.
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == secret_box().mac(_canonical(code)),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now())
    )
    db.session.commit()
    return result.rowcount == 1


def delete_all(user_id: str) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
