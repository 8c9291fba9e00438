"""A server's database moved along its revisions (Alembic) without starting it, for the migration tests."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import ModuleType
from typing import Any

import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_sqlalchemy import SQLAlchemy

from backend.common.database import engine_url
from backend.common.migrations import revisions_on

#: The release before migrations: revision 0001 of each server is its schema.
RELEASE_0E445D9 = "0001"


def migrations_of(server: ModuleType, db: SQLAlchemy, url: str) -> AbstractContextManager[Any]:
    return revisions_on(url, db, server.MIGRATIONS, server.VERSION_TABLE)


def back_to_release_0e445d9(server: ModuleType, db: SQLAlchemy, url: str, versioned: bool) -> None:
    """The tables as release 0e445d9 left them; unless ``versioned``, without a version table either
    (that release made its tables with ``create_all``)."""
    with migrations_of(server, db, url) as config:
        command.downgrade(config, RELEASE_0E445D9)
        if not versioned:
            _drop_version_table(server, db)


def made_by_release_0e445d9(server: ModuleType, db: SQLAlchemy, url: str) -> None:
    """A new database as release 0e445d9 made it: its tables, empty, and no version table."""
    with migrations_of(server, db, url) as config:
        command.upgrade(config, RELEASE_0E445D9)
        _drop_version_table(server, db)


def _drop_version_table(server: ModuleType, db: SQLAlchemy) -> None:
    with db.engine.begin() as connection:
        sqlalchemy.Table(server.VERSION_TABLE, sqlalchemy.MetaData()).drop(connection)


def current_revision(server: ModuleType, db: SQLAlchemy, url: str) -> str | None:
    with migrations_of(server, db, url), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": server.VERSION_TABLE})
        return context.get_current_revision()


def newest_revision(server: ModuleType, db: SQLAlchemy, url: str) -> str | None:
    with migrations_of(server, db, url) as config:
        return ScriptDirectory.from_config(config).get_current_head()


def differences_after_every_revision(server: ModuleType, db: SQLAlchemy, url: str) -> list[Any]:
    """What Alembic finds between the models and an empty database upgraded through every revision."""
    with migrations_of(server, db, url) as config:
        command.upgrade(config, "head")
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _parent: name != server.VERSION_TABLE,
                },
            )
            return compare_metadata(context, db.metadata)


def insert_rows(url: str, table: str, *rows: dict[str, Any]) -> None:
    """Add ``rows`` to ``table`` as it is in the database (an old release's columns, not the model's)."""
    engine = sqlalchemy.create_engine(engine_url(url))
    try:
        with engine.begin() as connection:
            as_stored = sqlalchemy.Table(table, sqlalchemy.MetaData(), autoload_with=connection)
            connection.execute(sqlalchemy.insert(as_stored), list(rows))
    finally:
        engine.dispose()
