"""Refreshing a stale profile snapshot beside the request that found it stale.

GET /api/me answers from the snapshot at once, also when it is older than APP_PROFILE_MAX_AGE: it
never waits on the auth server for a user it has seen before, so a slow or busy auth server (a login
storm hashing passwords) does not slow down page loads. The stale snapshot is read again in a small
pool of background threads, one refresh per user at a time; the next request sees the result. A user
the auth server no longer knows loses the snapshot and every session, so that next request is a 401.
While codes are off, the refresh also asks whether a passkey is the second factor (passkey_factor.py):
a User document does not say, and the policy or the passkeys may have changed at the auth server.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import Flask, current_app

from .authserver_client import authserver
from .passkey_factor import update_passkey
from .profiles import forget, method_of, remember_user
from .sessions import end_sessions_of

log = logging.getLogger("app.profile_refresh")

#: Refreshes are a GET each; two at a time keep up with a whole worker's page loads.
THREADS = 2


class ProfileRefresher:
    """The background refreshes of one app: at most one in flight per user."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._in_flight: dict[str, Future] = {}
        # Made at the first refresh, so a worker forked from the parent gets threads of its own.
        self._pool: ThreadPoolExecutor | None = None

    def refresh_later(self, user_id: str) -> None:
        with self._lock:
            if user_id in self._in_flight:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="profile-refresh")
            self._in_flight[user_id] = self._pool.submit(self._refresh, user_id)

    def wait(self) -> None:
        """Until the refreshes asked for so far are done (for tests and shutdown)."""
        with self._lock:
            futures = list(self._in_flight.values())
        wait(futures)

    def _refresh(self, user_id: str) -> None:
        try:
            with self.app.app_context():
                user = authserver().get_user(user_id)
                if user is None:
                    forget(user_id)
                    end_sessions_of(user_id)
                else:
                    remember_user(user)
                    if method_of(user) is None:
                        update_passkey(user_id)
        except Exception:
            # The snapshot stays as it was; the next stale read asks again.
            log.warning("could not refresh a profile snapshot", exc_info=True)
        finally:
            with self._lock:
                del self._in_flight[user_id]


def init_profile_refresh(app: Flask) -> None:
    app.extensions["profile_refresh"] = ProfileRefresher(app)


def refresh_later(user_id: str) -> None:
    """Read ``user_id``'s User again in the background and store it as their snapshot."""
    current_app.extensions["profile_refresh"].refresh_later(user_id)
