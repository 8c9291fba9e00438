"""``RATELIMIT_STORAGE_URI=database://``: the throttle's counts in the auth server's own database.

A ``limits`` storage (its extension point), so the throttle works the same on memory://, redis:// or
here. One row per counted attempt, under limits' key (kind, who, tier); a tier's count is the number
of its rows in the moving window. Counts survive a restart and every worker on the database shares
them, without a Redis. Times come from the app's CLOCK, like everything else here.
"""

from __future__ import annotations

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import ThrottleEntry, now


class DatabaseStorage(Storage, MovingWindowSupport):
    """The moving window (the only strategy the throttle uses) over ``throttle_entries``.

    A counted attempt is committed at once: it must stick even when the request ends in an error.
    A cleared count joins the caller's transaction: a right code's reset commits with the sign-in.
    """

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        stamp = now()
        db.session.execute(delete(ThrottleEntry).where(ThrottleEntry.expires_at <= stamp))
        acquired = self.get_moving_window(key, limit, expiry)[1] + amount <= limit
        if acquired:
            entries = (ThrottleEntry(key=key, at=stamp, expires_at=stamp + expiry) for _ in range(amount))
            db.session.add_all(entries)
        db.session.commit()
        return acquired

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(the oldest counted time in the window, how many), as limits' own storages answer."""
        stamp = now()
        recent = (
            select(ThrottleEntry.at)
            .where(ThrottleEntry.key == key, ThrottleEntry.at > stamp - expiry)
            .order_by(ThrottleEntry.at.desc())
            .limit(limit)
        )
        times = db.session.scalars(recent).all()
        return (times[-1], len(times)) if times else (stamp, 0)

    def clear(self, key: str) -> None:
        db.session.execute(delete(ThrottleEntry).where(ThrottleEntry.key == key))

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        return db.session.execute(delete(ThrottleEntry)).rowcount

    # The fixed-window counters of limits' other strategies, which the throttle never uses.
    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("DatabaseStorage keeps moving windows only")

    def get(self, key: str) -> int:
        raise NotImplementedError("DatabaseStorage keeps moving windows only")

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("DatabaseStorage keeps moving windows only")
