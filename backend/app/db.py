"""The app's database: Flask-SQLAlchemy with typed SQLAlchemy 2 models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


#: Rows stay loaded after a commit instead of being read again (a SELECT per commit at sign-in).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


@contextmanager
def autocommit() -> Iterator[Connection]:
    """A pooled connection outside any transaction: each statement is one round trip, with no
    BEGIN before it and no COMMIT or ROLLBACK after it. For single statements only."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection
