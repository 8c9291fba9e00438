"""Tokens at rest: a column type that stores a string encrypted (backend/common/secret_box.py).

The key is derived from APP_SECRET_KEY with a label of its own, so encryption needs no setting of its
own: whoever can sign the app's session cookies can already act as any signed-in user, and changing
APP_SECRET_KEY, which makes every stored token unreadable, signs every browser out with it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from backend.common.secret_box import SecretBox


def init_token_box(app: Flask) -> None:
    app.extensions["token_box"] = SecretBox(
        app.config["APP_SECRET_KEY"], info=b"app session tokens at rest", setting="APP_SECRET_KEY"
    )


class EncryptedText(TypeDecorator):
    """A string stored as ``fernet:<token>``; reading a value this key did not write raises
    RuntimeError naming APP_SECRET_KEY."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else current_app.extensions["token_box"].encrypt(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else current_app.extensions["token_box"].decrypt(value)
