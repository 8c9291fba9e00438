"""The one way each process is served: waitress, a real WSGI server, on --host/--port."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from flask import Flask
from waitress import serve

from backend.prefork import serve_workers


def serve_main(
    create_app: Callable[[], Flask], name: str, default_port: int, argv: list[str] | None = None
) -> None:
    """Parse --host/--port from ``argv`` (the command line) and serve ``create_app()`` until stopped."""
    parser = argparse.ArgumentParser(prog=f"python -m backend.{name}", description=f"Serve {name}.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port (shared state is in the database; the auth server's throttle "
        "needs RATELIMIT_STORAGE_URI=redis://... to be shared too)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"[{name}] %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if args.workers > 1:
        app = create_app()
        if app.config.get("RATELIMIT_STORAGE_URI", "").startswith("memory"):
            logging.getLogger(name).warning(
                "each of the %s workers counts wrong codes and passwords on its own (memory://): "
                "set RATELIMIT_STORAGE_URI=redis://... to share the throttle",
                args.workers,
            )
        serve_workers(app, args.host, args.port, args.workers, threads=8, ident=None)
        return
    serve(create_app(), host=args.host, port=args.port, threads=8, ident=None)
