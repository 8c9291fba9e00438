"""Test databases: a SQLite file per test by default, or PostgreSQL schemas under TEST_DATABASE_URL.

Set ``TEST_DATABASE_URL`` to a PostgreSQL server URL (``postgresql://user@127.0.0.1:5432/db``) and every
test that asks for a database gets a schema of its own there (a schema is much cheaper to create than a
database). ``python -m backend.tests.on_postgresql`` starts a throwaway server and runs the suite that
way.

A test asks for one of two kinds:

- ``databases.url(name)``: a new, empty database, for tests about how a schema is made or upgraded;
- ``databases.reused_url(server)``: a database that ``server``'s ``create_app`` brings to the newest
  revision. On PostgreSQL it is a schema an earlier test left, with every row deleted and its sequences
  restarted, when there is one: creating every table and dropping them again for each test is most of
  the time a PostgreSQL run takes. A schema goes back for reuse only when its tables, columns and
  revision are those of the first one that went back, at the newest revision; any other is dropped.
"""

from __future__ import annotations

import functools
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

ENV = "TEST_DATABASE_URL"


def postgres_base() -> str | None:
    """The PostgreSQL URL the suite runs against, or None for SQLite."""
    url = os.environ.get(ENV, "").strip()
    return url or None


#: Every relation of a schema with its columns and their types: what a schema must match to be reused.
_LAYOUT = """
SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = %s::regnamespace
ORDER BY 1, 3
"""


@dataclass
class PostgresSchemas:
    """The schemas of one test run on the server at ``base``: made, emptied for reuse, or dropped."""

    base: str
    _connection: Any = None
    _emptied: dict[str, list[str]] = field(default_factory=dict)
    _layouts: dict[str, list[tuple]] = field(default_factory=dict)

    def new(self, name: str) -> str:
        schema = f"t_{name.replace('-', '_')}_{secrets.token_hex(6)}"
        self._execute(f'CREATE SCHEMA "{schema}"')
        return schema

    def reused(self, server: ModuleType) -> str:
        emptied = self._emptied.get(server.__name__)
        return emptied.pop() if emptied else self.new(server.__name__.rsplit(".", 1)[-1])

    def url(self, schema: str, user: str) -> str:
        """The URL of ``schema``; ``user`` names the connections so that they can be ended."""
        separator = "&" if "?" in self.base else "?"
        return f"{self.base}{separator}options={quote(f'-csearch_path={schema}')}&application_name={user}"

    def end_connections(self, user: str) -> None:
        """End the connections of a test's apps: closing their pools would take a garbage collection."""
        self._execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (user,),
        )

    def release(self, schema: str, server: ModuleType | None) -> None:
        """Keep ``schema`` for the next test of ``server`` if it has the schema such tests expect, emptied;
        otherwise drop it."""
        if server is not None and self._reusable(schema, server):
            self._empty(schema, server)
            self._emptied.setdefault(server.__name__, []).append(schema)
            return
        try:
            self._execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', lock_timeout="5s")
        except Exception as error:  # something still holds it: the throwaway server goes away anyway
            print(f"could not drop test schema {schema}: {error}")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def _reusable(self, schema: str, server: ModuleType) -> bool:
        layout = self._query(_LAYOUT, (schema,))
        if not any(relation == server.VERSION_TABLE for relation, *_ in layout):
            return False
        revision = self._query(f'SELECT version_num FROM "{schema}"."{server.VERSION_TABLE}"')
        if revision != [(_newest_revision(server),)]:
            return False
        return self._layouts.setdefault(server.__name__, layout) == layout

    def _empty(self, schema: str, server: ModuleType) -> None:
        relations = self._query(
            "SELECT relname, relkind FROM pg_class"
            " WHERE relnamespace = %s::regnamespace AND relkind IN ('r', 'S')",
            (schema,),
        )
        # As a replica, foreign keys are not enforced: the tables can be emptied in any order.
        statements = ["SET LOCAL session_replication_role = replica"]
        for relation, kind in relations:
            if kind == "S":
                statements.append(f'ALTER SEQUENCE "{schema}"."{relation}" RESTART')
            elif relation != server.VERSION_TABLE:
                statements.append(f'DELETE FROM "{schema}"."{relation}"')
        with self._admin().transaction():
            self._admin().execute("; ".join(statements))

    def _admin(self) -> Any:
        import psycopg

        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.base, autocommit=True)
        return self._connection

    def _query(self, statement: str, params: tuple = ()) -> list[tuple]:
        return self._admin().execute(statement, params).fetchall()

    def _execute(self, statement: str, params: tuple = (), lock_timeout: str = "0") -> None:
        connection = self._admin()
        connection.execute(f"SET lock_timeout = '{lock_timeout}'")
        connection.execute(statement, params)


@functools.cache
def _newest_revision(server: ModuleType) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(server.MIGRATIONS)).get_current_head()


class Databases:
    """Hands out the databases of one test and removes or empties them at the end of it."""

    def __init__(self, directory: Path, schemas: PostgresSchemas | None) -> None:
        self.directory = directory
        self.base = schemas.base if schemas else None
        self._schemas = schemas
        self._user = f"test_{secrets.token_hex(8)}"
        self._handed_out: list[tuple[str, ModuleType | None]] = []

    def url(self, name: str, directory: Path | None = None) -> str:
        """A new empty database; SQLite files go in ``directory`` (default: the test's tmp_path)."""
        if self._schemas is None:
            return f"sqlite:///{(directory or self.directory) / (name + '.sqlite3')}"
        return self._hand_out(self._schemas.new(name), None)

    def reused_url(self, server: ModuleType, directory: Path | None = None) -> str:
        """A database for ``server`` (``backend.authserver``, ``backend.app``), whose ``create_app``
        brings it to the newest revision: empty, or at that revision with no rows."""
        if self._schemas is None:
            return self.url(server.__name__.rsplit(".", 1)[-1], directory)
        return self._hand_out(self._schemas.reused(server), server)

    def _hand_out(self, schema: str, server: ModuleType | None) -> str:
        self._handed_out.append((schema, server))
        return self._schemas.url(schema, self._user)

    def release_all(self) -> None:
        if not self._handed_out:
            return
        self._schemas.end_connections(self._user)
        for schema, server in self._handed_out:
            self._schemas.release(schema, server)
        self._handed_out.clear()


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
