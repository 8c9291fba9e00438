"""Password hashes run in a few threads of low CPU priority, not in the request's thread.

A password hash costs tens of milliseconds of CPU on purpose; a code check or an API read costs about
one. When many people log in at once, hashes fill the cores and everything else would queue behind
them. Here a request hands its hash to this pool and waits: the hash runs in a thread whose nice value
is raised, so the kernel gives the CPU to a cheap request first, and neither thread holds the GIL
meanwhile (argon2-cffi releases it while hashing), so the worker's other threads keep serving.

If the pool cannot answer in time (or fails), the request gets a 503 asking to try again and nothing is
written: no account is created, no wrong password is counted.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

Result = TypeVar("Result")

log = logging.getLogger(__name__)


class PasswordCheckUnavailable(ServiceUnavailable):
    description = "Passwords cannot be checked right now: the server is busy. Try again in a few seconds."

    def __init__(self) -> None:
        super().__init__(retry_after=5)


def _lower_this_threads_priority(nice: int) -> None:
    # On Linux the nice value belongs to each thread, and PRIO_PROCESS with a thread id sets just that
    # one. Elsewhere the same call would slow the whole process, so the pool runs at normal priority.
    if sys.platform == "linux" and nice > 0:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


class HashPool:
    """Runs a hash in a background thread of priority ``nice`` and waits at most ``timeout`` seconds."""

    def __init__(self, threads: int, nice: int, timeout: float) -> None:
        self.timeout = timeout
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=threads,
            thread_name_prefix="password-hash",
            initializer=_lower_this_threads_priority,
            initargs=(nice,),
        )

    def run(self, hash_function: Callable[..., Result], *args: object) -> Result:
        """``hash_function(*args)`` in the pool; PasswordCheckUnavailable (a 503) when it fails or is late."""
        try:
            future = self._executor.submit(hash_function, *args)
        except RuntimeError:  # the pool is shut down (the worker is stopping)
            raise PasswordCheckUnavailable() from None
        try:
            return future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()  # still queued: do not spend the CPU on an answer nobody waits for
            log.warning("a password hash took longer than %s s: answered 503", self.timeout)
            raise PasswordCheckUnavailable() from None
        except Exception:
            log.exception("a password hash failed: answered 503")
            raise PasswordCheckUnavailable() from None

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def init_hash_pool(app: Flask) -> None:
    app.extensions["password_hash_pool"] = HashPool(
        threads=app.config["AUTH_PASSWORD_HASH_THREADS"],
        nice=app.config["AUTH_PASSWORD_HASH_NICE"],
        timeout=app.config["AUTH_PASSWORD_HASH_TIMEOUT_SECONDS"],
    )


def in_hash_pool(hash_function: Callable[..., Result], *args: object) -> Result:
    """``hash_function(*args)`` run by this app's pool (see :class:`HashPool`)."""
    return current_app.extensions["password_hash_pool"].run(hash_function, *args)
