"""Run the backend test suite against a throwaway local PostgreSQL server.

``python -m backend.tests.on_postgresql [pytest args]`` starts the server, runs
``pytest backend/tests`` with TEST_DATABASE_URL pointing at it (a schema per test, see databases.py) and
stops it.
``--if-available`` skips quietly (exit 0) when PostgreSQL is not installed: that is how ``make test``
runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from backend.tests.databases import ENV
from backend.tests.postgres_server import PostgresServer, find_bin_dir


def main(argv: list[str]) -> int:
    if "--if-available" in argv:
        argv = [arg for arg in argv if arg != "--if-available"]
        if find_bin_dir() is None:
            print("PostgreSQL is not installed: the backend suite ran on SQLite only.")
            return 0
    with PostgresServer() as server:
        print(f"backend suite on PostgreSQL ({server.url})", flush=True)
        environ = {**os.environ, ENV: server.url}
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *(argv or ["backend/tests"])]
        return subprocess.run(command, env=environ, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
