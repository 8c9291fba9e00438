"""The app's database: Flask-SQLAlchemy with typed SQLAlchemy 2 models, and an autocommit engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, Executable, Select, create_engine
from sqlalchemy.engine import Compiled
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


#: Rows stay loaded after a commit instead of being read again (a SELECT per commit at sign-in).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


class AutocommitEngine:
    """Single statements outside any transaction: each is one round trip, with no BEGIN before it and
    no COMMIT or ROLLBACK after it. A pool of its own, whose connections stay in autocommit mode (so
    nothing is switched at each checkout), beside Flask-SQLAlchemy's for multi-statement ORM work.

    Statements are built once (module constants with bind parameters), compiled once, and run on the
    driver's own cursor: on the per-request lookup and at sign-in, SQLAlchemy's statement building,
    Connection and Result wrappers cost several times the round trip itself."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._compiled: dict[Executable, Compiled] = {}

    def first(self, statement: Select, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row of ``statement``. Only for selects whose columns need no result processing
        (strings, floats)."""
        return self._run(statement, params, fetch=True)

    def execute(self, statement: Executable, params: Mapping[str, Any]) -> None:
        """Run an INSERT, UPDATE or DELETE (committed on its own)."""
        self._run(statement, params, fetch=False)

    def _run(self, statement: Executable, params: Mapping[str, Any], fetch: bool) -> tuple[Any, ...] | None:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = statement.compile(dialect=self.engine.dialect)
        values = compiled.construct_params(params)
        if compiled.positiontup is not None:
            values = tuple(values[name] for name in compiled.positiontup)
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(compiled.string, values)
            return cursor.fetchone() if fetch else None
        finally:
            connection.close()


def init_autocommit(app: Flask) -> None:
    with app.app_context():
        url = db.engine.url
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    # No transaction is ever open on these connections, so the pool has nothing to roll back on return.
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, **options)
    app.extensions["autocommit_engine"] = AutocommitEngine(engine)


def autocommit_engine() -> AutocommitEngine:
    return current_app.extensions["autocommit_engine"]
