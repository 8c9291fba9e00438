"""Test databases: a SQLite file per test by default, or a fresh PostgreSQL schema per test.

Set ``TEST_DATABASE_URL`` to a PostgreSQL server URL (``postgresql://user@127.0.0.1:5432/db``) and every
test that asks for a database gets its own schema there, dropped afterwards (a schema is much cheaper
to create than a database). ``python -m backend.tests.on_postgresql`` starts a throwaway server and
runs the suite that way.
"""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path
from urllib.parse import quote

ENV = "TEST_DATABASE_URL"


def postgres_base() -> str | None:
    """The PostgreSQL URL the suite runs against, or None for SQLite."""
    url = os.environ.get(ENV, "").strip()
    return url or None


class Databases:
    """Hands out one database per name for a test and removes them at the end of it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.base = postgres_base()
        self._schemas: list[str] = []

    def url(self, name: str, directory: Path | None = None) -> str:
        """A new empty database; SQLite files go in ``directory`` (default: the test's tmp_path)."""
        if self.base is None:
            return f"sqlite:///{(directory or self.directory) / (name + '.sqlite3')}"
        schema = f"t_{name.replace('-', '_')}_{secrets.token_hex(6)}"
        self._execute(f'CREATE SCHEMA "{schema}"')
        self._schemas.append(schema)
        separator = "&" if "?" in self.base else "?"
        return f"{self.base}{separator}options={quote(f'-csearch_path={schema}')}"

    def drop_all(self) -> None:
        if not self._schemas:
            return
        gc.collect()  # the test's apps are gone: their pooled connections close with them
        for schema in self._schemas:
            try:
                self._execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', lock_timeout="5s")
            except Exception as error:  # a connection still open: the throwaway server goes away anyway
                print(f"could not drop test schema {schema}: {error}")
        self._schemas.clear()

    def _execute(self, statement: str, lock_timeout: str = "0") -> None:
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as connection:
            connection.execute(f"SET lock_timeout = '{lock_timeout}'")
            connection.execute(statement)


def stored_bytes(url: str) -> bytes:
    """Everything the database behind ``url`` holds, as raw bytes to search for secrets in clear.

    SQLite: the file itself. PostgreSQL: every row of every table of the test's schema, as text.
    """
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).read_bytes()
    import sqlalchemy

    from backend.common.database import engine_url

    engine = sqlalchemy.create_engine(engine_url(url))
    try:
        with engine.connect() as connection:
            tables = sqlalchemy.inspect(connection).get_table_names()
            rows = [
                repr(tuple(row))
                for table in tables
                for row in connection.execute(sqlalchemy.text(f'SELECT * FROM "{table}"'))
            ]
    finally:
        engine.dispose()
    return "\n".join(rows).encode()
