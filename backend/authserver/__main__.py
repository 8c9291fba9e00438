"""``python -m backend.authserver --host 127.0.0.1 --port 8080``: serve the auth server with waitress."""

from __future__ import annotations

import argparse
import logging

import waitress

from . import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.authserver", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app()
    waitress.serve(app, host=args.host, port=args.port, threads=8)


if __name__ == "__main__":
    main()
