"""The one way each process is served: granian, a real WSGI server (Rust HTTP), on --host/--port.

Each worker is a process with a few Python threads. A request's Python work holds the GIL, so threads
do not add CPU; they keep a worker serving while one request waits without the GIL: for its password
hash (the auth server hashes in a low-priority pool, accounts/hash_pool.py) or for the auth server
(the app's sign-in). More CPU needs more ``--workers``; the HTTP side (keep-alive connections, slow
clients, reading bodies) is granian's Rust loop, not a Python thread.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from flask import Flask
from granian import Granian
from granian.constants import HTTPModes, Interfaces

from backend.stop_with_launcher import stop_with_launcher

DEFAULT_THREADS = 4
#: Seconds a stopping worker has to finish its requests before it is killed.
WORKERS_KILL_TIMEOUT = 5


def _close_database_connections(app: Flask) -> None:
    """The parent's pooled connections must never be shared with the workers it forks."""
    sqlalchemy = app.extensions.get("sqlalchemy")
    if sqlalchemy is None:
        return
    with app.app_context():
        for engine in sqlalchemy.engines.values():
            engine.dispose()


def _prepare(create_app: Callable[[], Flask], name: str, workers: int) -> None:
    """Build the app once before the workers do: its database is created or upgraded here, not by N
    processes at once (two CREATE TABLE at the same moment fail on PostgreSQL)."""
    app = create_app()
    if workers > 1 and app.config.get("RATELIMIT_STORAGE_URI", "").startswith("memory"):
        logging.getLogger(name).warning(
            "each of the %s workers counts wrong codes and passwords on its own (memory://): "
            "leave RATELIMIT_STORAGE_URI at database:// (or set redis://...) to share the throttle",
            workers,
        )
    _close_database_connections(app)


def server(create_app: Callable[[], Flask], host: str, port: int, workers: int, threads: int) -> Granian:
    """Granian serving ``create_app()`` (called in each worker) on ``host:port``."""
    return Granian(
        f"{create_app.__module__}:{create_app.__name__}",
        factory=True,
        interface=Interfaces.WSGI,
        address=host,
        port=port,
        workers=workers,
        blocking_threads=threads,
        http=HTTPModes.http1,
        websockets=False,
        log_access=False,
        # A worker told to stop while it was still starting can miss the signal and wait forever;
        # stopping the server must stop every worker, so one that has not stopped by then is killed.
        workers_kill_timeout=WORKERS_KILL_TIMEOUT,
    )


def serve_main(
    create_app: Callable[[], Flask], name: str, default_port: int, argv: list[str] | None = None
) -> None:
    """Parse --host/--port/--workers/--threads from ``argv`` (the command line) and serve until stopped."""
    stop_with_launcher()
    parser = argparse.ArgumentParser(prog=f"python -m backend.{name}", description=f"Serve {name}.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port (shared state is in the database, the auth server's throttle "
        "too unless RATELIMIT_STORAGE_URI=memory://)",
    )
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="Python threads per worker")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"[{name}] %(levelname)s %(name)s: %(message)s")
    _prepare(create_app, name, args.workers)
    server(create_app, args.host, args.port, args.workers, args.threads).serve()
