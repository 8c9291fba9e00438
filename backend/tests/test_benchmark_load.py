"""The benchmark's burst client: browser-shaped form POSTs, sent at once, each answer timed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, request

from backend.benchmarks.floor import USERS, floor_burst
from backend.benchmarks.load import raw_post, simultaneous
from backend.tests.support import ServedApp


def test_simultaneous_posts_reach_the_server_as_forms_and_report_each_status() -> None:
    app = Flask(__name__)

    @app.post("/auth/two-factor")
    def step():
        good = request.form.get("token") == "123456" and request.cookies.get("session") == "abc"
        return ("", 302, {"Location": "/next"}) if good else ("wrong", 401)

    served = ServedApp(app)
    try:
        url = f"{served.url}/auth/two-factor?client_id=web&state=a%20b"
        prepared = [
            raw_post(url, {"csrf_token": "t", "token": "123456"}, {"session": "abc"}),
            raw_post(url, {"csrf_token": "t", "token": "000000"}, {"session": "abc"}),
            raw_post(url, {"csrf_token": "t", "token": "123456"}, {"session": "other"}),
        ]
        results = simultaneous(prepared)
    finally:
        served.close()
    assert [status for _, status in results] == [302, 401, 401]
    assert all(0 < latency < 30 for latency, _ in results)


def test_the_floor_answers_every_submit_after_doing_the_code_steps_writes(tmp_path: Path) -> None:
    database = tmp_path / "floor.sqlite"
    with open(tmp_path / "servers.log", "a") as log:
        result = floor_burst(f"sqlite:///{database}", workers=1, rounds=1, log=log)
    assert (result["submits"], result["failures"]) == (USERS, 0)
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    with sqlite3.connect(database) as written:
        # The burst that warms up and the measured one: every session done, every step claimed, a code each.
        assert written.execute("SELECT count(*) FROM floor_codes").fetchone() == (2 * USERS,)
        assert written.execute("SELECT count(*) FROM floor_sessions WHERE pending").fetchone() == (0,)
        assert written.execute("SELECT count(*) FROM floor_users WHERE last_step = 1").fetchone() == (USERS,)
