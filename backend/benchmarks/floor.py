"""The floor under the TOTP submit: the least a code step can do, served the way the demo is served.

One Flask POST that reads the signed session cookie and the form, then runs the code step's database
work through the driver's own cursor — read the login session with its user, claim the TOTP step,
mark the second factor done, insert the authorization code, commit — and answers 302. No CSRF check,
no TOTP check, no encryption, no OAuth validation, no ORM. Sent 50 at once like the real submit, its
p99 is what no implementation of the code step with Flask and this database can beat on this machine.

``python -m backend.benchmarks.floor --port P --workers N`` serves it (FLOOR_DATABASE_URL: a
PostgreSQL URL or sqlite:///path); ``floor_burst`` sets up its tables, starts it and measures.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import threading
from typing import Any

from flask import Flask, redirect, request, session
from werkzeug.wrappers import Response

from backend.launcher import free_port, wait_for_port

from .load import burst_row, raw_post, simultaneous

SECRET_KEY = "floor-benchmark"  # noqa: S105 - signs the benchmark's own throwaway cookies
USERS = 50

_SELECT = (
    "SELECT s.user_id, s.pending, u.last_step FROM floor_sessions s"
    " JOIN floor_users u ON u.id = s.user_id WHERE s.id = %s"
)
_CLAIM = "UPDATE floor_users SET last_step = %s WHERE id = %s AND (last_step IS NULL OR last_step < %s)"
_DONE = "UPDATE floor_sessions SET pending = FALSE WHERE id = %s"
_CODE = "INSERT INTO floor_codes (code, user_id) VALUES (%s, %s)"


def _connect(url: str) -> tuple[Any, str]:
    """A DB-API connection for ``url`` and its parameter marker."""
    if url.startswith("sqlite:///"):
        return sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30), "?"
    import psycopg

    return psycopg.connect(url), "%s"


def _sql(statement: str, marker: str) -> str:
    return statement.replace("%s", marker)


def create_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = SECRET_KEY
    url = os.environ["FLOOR_DATABASE_URL"]
    # One connection per serving thread, opened at its first request (in the worker, never the parent).
    opened = threading.local()

    @app.post("/step")
    def step() -> Response:
        if not hasattr(opened, "connection"):
            opened.connection, opened.marker = _connect(url)
        connection, marker = opened.connection, opened.marker
        session_id, step_number = session["sid"], int(request.form["token"])
        cursor = connection.cursor()
        cursor.execute(_sql(_SELECT, marker), (session_id,))
        user_id, _, _ = cursor.fetchone()
        cursor.execute(_sql(_CLAIM, marker), (step_number, user_id, step_number))
        cursor.execute(_sql(_DONE, marker), (session_id,))
        cursor.execute(_sql(_CODE, marker), (secrets.token_urlsafe(32), user_id))
        connection.commit()
        return redirect("http://127.0.0.1/auth/callback?code=floor")

    return app


def set_up(url: str, rounds: int) -> None:
    """Fresh tables with one user and one pending login session per submit."""
    connection, marker = _connect(url)
    cursor = connection.cursor()
    for table in ("floor_codes", "floor_sessions", "floor_users"):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute("CREATE TABLE floor_users (id VARCHAR(16) PRIMARY KEY, last_step INTEGER)")
    cursor.execute(
        "CREATE TABLE floor_sessions (id VARCHAR(16) PRIMARY KEY,"
        " user_id VARCHAR(16) REFERENCES floor_users (id), pending BOOLEAN)"
    )
    cursor.execute("CREATE TABLE floor_codes (id INTEGER PRIMARY KEY, code VARCHAR(64), user_id VARCHAR(16))")
    if marker == "%s":  # PostgreSQL numbers its INTEGER PRIMARY KEY only when asked
        cursor.execute("CREATE SEQUENCE floor_code_ids OWNED BY floor_codes.id")
        cursor.execute("ALTER TABLE floor_codes ALTER COLUMN id SET DEFAULT nextval('floor_code_ids')")
    for index in range(USERS * rounds):
        cursor.execute(_sql("INSERT INTO floor_users VALUES (%s, NULL)", marker), (f"u{index}",))
        cursor.execute(
            _sql("INSERT INTO floor_sessions VALUES (%s, %s, TRUE)", marker), (f"s{index}", f"u{index}")
        )
    connection.commit()
    connection.close()


def floor_burst(url: str, workers: int, rounds: int, log: Any) -> dict[str, Any]:
    """Serve the floor app with ``workers`` workers; ``rounds`` bursts of 50 submits at once, after
    one burst that is not measured (each worker opens its connection and warms up, as the real
    servers have by the time their burst comes)."""
    set_up(url, rounds + 1)
    port = free_port()
    command = [sys.executable, "-m", "backend.benchmarks.floor", f"--port={port}", f"--workers={workers}"]
    environ = {**os.environ, "FLOOR_DATABASE_URL": url}
    process = subprocess.Popen(command, env=environ, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
    signer = create_signer()
    latencies: list[float] = []
    failures = 0
    try:
        wait_for_port("127.0.0.1", port, process)
        for round_number in range(rounds + 1):
            prepared = [
                raw_post(
                    f"http://127.0.0.1:{port}/step",
                    {"csrf_token": "-" * 91, "token": str(round_number + 1)},
                    {"session": signer.dumps({"sid": f"s{round_number * USERS + index}"})},
                )
                for index in range(USERS)
            ]
            results = simultaneous(prepared)
            if round_number == 0:
                continue
            latencies += [elapsed for elapsed, _ in results]
            failures += sum(status != 302 for _, status in results)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
    return burst_row(workers, latencies, failures)


def create_signer() -> Any:
    """Flask's own session serializer for the floor app's key: the cookies a browser would hold."""
    app = Flask(__name__)
    app.secret_key = SECRET_KEY
    return app.session_interface.get_signing_serializer(app)


if __name__ == "__main__":
    from backend.serve import serve_main

    serve_main(create_app, "benchmarks.floor", 0, sys.argv[1:])
