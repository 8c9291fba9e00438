"""Schema migrations: Alembic (through Flask-Migrate), one history per server, run at start-up.

``create_all`` only creates missing tables; it never adds a column, so an upgrade of the code would
break an existing database. Each server keeps its revisions in its own ``migrations/`` folder and its
own version table, and ``upgrade_database`` brings the database to the newest revision when the app is
built (in ``serve.py``'s parent process, before the workers fork; each worker then finds it done).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, func, inspect, select

from .database import engine_url


def init_migrations(app: Flask, db: SQLAlchemy, directory: Path, version_table: str) -> None:
    """Register ``flask db ...`` (Flask-Migrate) for ``db``, with revisions in ``directory``.

    ``render_as_batch`` lets SQLite change a table's columns (it copies the table); ``compare_type``
    makes ``--autogenerate`` notice a changed column type."""
    directory_name = str(directory)
    Migrate(app, db, directory_name, render_as_batch=True, compare_type=True, version_table=version_table)


@contextmanager
def revisions_on(url: str, db: SQLAlchemy, directory: Path, version_table: str) -> Iterator[Config]:
    """Alembic's config for the revisions in ``directory`` run on the database at ``url``, inside an
    app context of an app that is nothing else (a server's ``create_app`` would upgrade at once)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = engine_url(url)
    db.init_app(app)
    init_migrations(app, db, directory, version_table)
    with app.app_context():
        try:
            yield app.extensions["migrate"].migrate.get_config()
        finally:
            db.engine.dispose()


def upgrade_database(app: Flask, first_revision: str) -> None:
    """Bring the app's database to the newest revision.

    - an empty database: ``create_all`` and mark it as at the newest revision (Alembic's recipe for a
      new database; a test checks that the revisions build the same schema);
    - tables but no version table: made by ``create_all`` at the release before migrations, whose
      schema is ``first_revision``; marked so, then upgraded;
    - otherwise: the revisions it lacks, if any."""
    migrate = app.extensions["migrate"]
    version_table = migrate.configure_args["version_table"]
    with app.app_context():
        config = migrate.migrate.get_config()
        engine = migrate.db.engine
        with _only_one_process_at_a_time(engine, version_table):
            with engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"version_table": version_table})
                current = context.get_current_revision()
                tables = set(inspect(connection).get_table_names())
            has_tables = bool(tables & set(migrate.db.metadata.tables))
            if current is None and not has_tables:
                migrate.db.create_all()
                command.stamp(config, "head")
                return
            if current is None:
                command.stamp(config, first_revision)
            if current != ScriptDirectory.from_config(config).get_current_head():
                command.upgrade(config, "head")


@contextmanager
def _only_one_process_at_a_time(engine: Engine, version_table: str) -> Iterator[None]:
    """On PostgreSQL, a session advisory lock around the upgrade: two instances started at once must
    not both run the same DDL (the second waits, then finds the database up to date). SQLite needs no
    lock here: ``serve.py`` upgrades in the parent before its workers start, and several machines
    sharing a database means PostgreSQL."""
    if engine.dialect.name != "postgresql":
        yield
        return
    key = zlib.crc32(version_table.encode())
    with engine.connect() as connection:
        connection.execute(select(func.pg_advisory_lock(key)))
        try:
            yield
        finally:
            connection.execute(select(func.pg_advisory_unlock(key)))
            connection.commit()


def run_migrations() -> None:
    """What each server's ``migrations/env.py`` runs: Alembic on the app's own engine and models."""
    from alembic import context  # only usable while Alembic runs env.py

    migrate = current_app.extensions["migrate"]

    def skip_empty_autogenerate(_context, _revision, directives) -> None:
        if getattr(context.config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logging.getLogger(__name__).info("No change in the models: no revision written.")

    with migrate.db.engine.connect() as connection:
        # In a transaction even on an autocommit engine (the app's): a failed revision leaves nothing
        # half done.
        connection.execution_options(isolation_level=connection.default_isolation_level)
        context.configure(
            connection=connection,
            target_metadata=migrate.db.metadata,
            process_revision_directives=skip_empty_autogenerate,
            **migrate.configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()
