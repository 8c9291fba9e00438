"""Several waitress processes on one listening socket, for servers whose shared state is in the database.

The parent builds the app once (so tables are created once), binds the socket, closes the database
connections it opened, then forks ``workers`` children that each serve the same socket; the kernel
spreads the connections between them. Each child opens its own database connections.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from typing import Any

from flask import Flask
from waitress import serve


def _close_database_connections(app: Flask) -> None:
    """A pooled connection must never be shared by two processes."""
    sqlalchemy = app.extensions.get("sqlalchemy")
    if sqlalchemy is None:
        return
    with app.app_context():
        for engine in sqlalchemy.engines.values():
            engine.dispose()


def serve_workers(app: Flask, host: str, port: int, workers: int, **options: Any) -> None:
    """Serve ``app`` from ``workers`` forked processes until SIGTERM/SIGINT; exits when one dies."""
    children: list[int] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    # Before the port opens: whoever sees it open may send SIGTERM at once, and it must stop us cleanly.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    listener = socket.create_server((host, port), backlog=1024)
    _close_database_connections(app)
    for _ in range(workers):
        if stopping:
            break
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                serve(app, sockets=[listener], **options)
            finally:
                os._exit(1)
        children.append(pid)
    if stopping:
        stop()  # a signal while forking: the children forked after it must stop too
    code = 0
    while children:
        pid, status = os.wait()
        if pid in children:
            children.remove(pid)
            code = code or os.waitstatus_to_exitcode(status)
            stop()  # one worker gone: stop them all, like a single process would
    sys.exit(0 if code in (0, -signal.SIGTERM) else 1)
