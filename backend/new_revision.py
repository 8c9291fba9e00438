"""The revision a change of a server's models needs: ``python -m backend.new_revision SERVER "message"``.

Alembic's autogenerate (``flask db revision --autogenerate``) compares the models with a database at the
newest revision. This builds that database in a throwaway SQLite file through the existing revisions
(a new database made at start-up would already have the change: it gets ``create_all``), then writes
``backend/SERVER/migrations/versions/<id>_<message>.py``, formatted with ruff. Read it before committing:
autogenerate misses renames (it writes a drop and an add) and cannot fill a new NOT NULL column of
existing rows.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from backend.common.migrations import revisions_on

#: Each server, and where its SQLAlchemy object lives.
SERVERS = {"authserver": "backend.authserver.extensions", "app": "backend.app.db"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.new_revision", description=__doc__)
    parser.add_argument("server", choices=sorted(SERVERS))
    parser.add_argument("message", help='what the revision changes, e.g. "users: add locale"')
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(message)s")
    logging.getLogger("backend").setLevel(logging.INFO)

    server = importlib.import_module(f"backend.{args.server}")
    _import_every_model(server.__name__)
    db = importlib.import_module(SERVERS[args.server]).db
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'at-newest-revision.sqlite3'}"
        with revisions_on(url, db, server.MIGRATIONS, server.VERSION_TABLE) as config:
            command.upgrade(config, "head")
            config.cmd_opts.autogenerate = True  # no file when nothing changed (see run_migrations)
            script = command.revision(config, message=args.message, autogenerate=True)
    if script:  # nothing when the models did not change
        _format(script.path)


def _format(path: str) -> None:
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix", "--quiet", path], check=False)  # noqa: S603 - our interpreter
    subprocess.run([*ruff, "format", "--quiet", path], check=True)  # noqa: S603


def _import_every_model(package: str) -> None:
    """Models register their tables when their module is imported: all of them, or autogenerate would
    see a missing table as one to drop."""
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        if module.name not in ("__main__", "migrations"):
            importlib.import_module(f"{package}.{module.name}")


if __name__ == "__main__":
    main()
