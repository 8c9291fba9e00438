"""The login storm: what everyone else feels while many people log in at once.

Clients run whole 2FA logins back to back (each spends a password hash, by design the most expensive
thing the servers do) while two probes measure, at a steady pace, what a signed-in user and a user at
the code step wait for: GET /api/me every 50 ms, and the TOTP submit alone (its password step done
beforehand, outside the measurement). The probes run first without the storm (idle), then beside it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from backend.common import totp
from backend.launcher import Stack

from .browser import LoginFailed, UserPool, full_login, submit_code, to_code_step
from .load import closed_loop, percentile

ME_EVERY_SECONDS = 0.05
TOTP_EVERY_SECONDS = 0.25


class Probe:
    """Calls ``measure`` (which returns the seconds of what it timed) every ``every`` seconds in a
    thread of its own until stopped; keeps the latencies, counts the failures."""

    def __init__(self, measure: Callable[[], float], every: float) -> None:
        self.latencies: list[float] = []
        self.failures = 0
        self._measure, self._every = measure, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.latencies.append(self._measure())
            except (requests.RequestException, LoginFailed):
                self.failures += 1
            self._stop.wait(max(self._every - (time.monotonic() - started), 0))

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, Any]:
        return {
            "samples": len(self.latencies),
            "failures": self.failures,
            "p50_ms": percentile(self.latencies, 0.5) * 1000,
            "p99_ms": percentile(self.latencies, 0.99) * 1000,
        }


def _me_probe(stack: Stack, cookie: str) -> Callable[[], float]:
    session = requests.Session()
    session.cookies.set("app_session", cookie)
    url = f"{stack.url('APP_URL')}/api/me"

    def measure() -> float:
        started = time.perf_counter()
        response = session.get(url, timeout=30)
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        return elapsed

    return measure


def _totp_probe(stack: Stack, pool: UserPool) -> Callable[[], float]:
    app, frontend = f"{stack.url('APP_URL')}/login", stack.url("FRONTEND_URL")

    def measure() -> float:
        user, step = pool.take()
        try:
            pending = to_code_step(app, frontend, user)
            with pending.browser:
                started = time.perf_counter()
                response = submit_code(pending, totp.code_at(user.secret, step * totp.STEP_SECONDS))
                elapsed = time.perf_counter() - started
            if response.status_code not in (302, 303):
                raise LoginFailed(f"the code was refused: HTTP {response.status_code}")
            return elapsed
        finally:
            pool.give_back(user)

    return measure


def _probed(stack: Stack, pool: UserPool, cookie: str, during: Callable[[], Any]) -> tuple[dict, dict, Any]:
    with (
        Probe(_me_probe(stack, cookie), ME_EVERY_SECONDS) as me,
        Probe(_totp_probe(stack, pool), TOTP_EVERY_SECONDS) as code,
    ):
        outcome = during()
    return me.summary(), code.summary(), outcome


def storm(
    stack: Stack,
    pool: UserPool,
    cookie: str,
    *,
    workers: int,
    clients: int,
    seconds: float,
    servers: dict[str, int],
    ceiling: float,
) -> dict[str, Any]:
    """Probes idle for ``seconds``, then beside ``clients`` logging in back to back for ``seconds``."""
    login = lambda: full_login(f"{stack.url('APP_URL')}/login", stack.url("FRONTEND_URL"), pool)  # noqa: E731
    me_idle, code_idle, _ = _probed(stack, pool, cookie, lambda: time.sleep(seconds))
    me_storm, code_storm, run = _probed(
        stack, pool, cookie, lambda: closed_loop(login, clients, seconds, servers)
    )
    return {
        "workers": workers,
        "clients": clients,
        "logins_per_s": run.per_second,
        "logins_per_core_s": run.per_core_second,
        "ratio_to_ceiling": run.per_core_second / ceiling,
        "login_failures": run.failures,
        "me": {"idle": me_idle, "storm": me_storm},
        "totp_submit": {"idle": code_idle, "storm": code_storm},
    }
