"""The app's database: Flask-SQLAlchemy with typed SQLAlchemy 2 models.

Every write the app makes is one statement (a claim that must happen once is one conditional
statement), so its engine runs in autocommit mode: the session lookup on every request is a single
SELECT, with no BEGIN before it and no ROLLBACK after it. Migrations run in a transaction of their own
(backend/common/migrations.py).
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


#: Rows stay loaded after a commit instead of being read again.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
