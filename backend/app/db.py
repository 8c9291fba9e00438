"""The app's database: Flask-SQLAlchemy with typed SQLAlchemy 2 models."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


#: Rows stay loaded after a commit instead of being read again (a SELECT per commit at sign-in).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
