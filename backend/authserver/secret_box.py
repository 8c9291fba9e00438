"""Secrets at rest: ``twoFactor.secretKey`` is encrypted (Fernet) before it reaches the database.

The key comes from AUTH_ENCRYPTION_KEY (any random string of 32+ characters; the Fernet key is
derived from it with HKDF, so the launcher's generated secrets fit as they are). A stored value without
the ``fernet:`` prefix is a plain base32 secret: it is read as is, so a database that holds one still
signs its users in, and it is encrypted on the next write. The encryption itself is the one both
servers use (backend/common/secret_box.py); what is this server's own is the key's setting and label,
the recovery-code HMAC and the User document's column type.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from typing import Any

from flask import Flask, current_app
from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator

from backend.common import secret_box as common

MIN_KEY_LENGTH = 32


class SecretBox(common.SecretBox):
    """Encrypts and decrypts short secrets; also keys the HMAC that hashes recovery codes."""

    def __init__(self, key: str) -> None:
        if len(key) < MIN_KEY_LENGTH:
            raise RuntimeError(
                f"AUTH_ENCRYPTION_KEY must be a random string of at least {MIN_KEY_LENGTH} characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')."
            )
        super().__init__(key, info=b"authserver secretKey at rest", setting="AUTH_ENCRYPTION_KEY")
        self._mac_key = common.derive_key(key, b"authserver recovery codes")

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(common.PREFIX):
            return stored  # plain base32: encrypted on the next write
        return super().decrypt(stored)

    def mac(self, value: str) -> str:
        """A keyed hash (HMAC-SHA256): a stolen database alone cannot be brute-forced offline."""
        return hmac.new(self._mac_key, value.encode(), hashlib.sha256).hexdigest()


def init_secret_box(app: Flask) -> None:
    app.extensions["secret_box"] = SecretBox(app.config["AUTH_ENCRYPTION_KEY"])


def secret_box() -> SecretBox:
    return current_app.extensions["secret_box"]


class UserDocument(TypeDecorator):
    """A User document stored as JSON with ``twoFactor.secretKey`` encrypted."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return _map_secret(value, secret_box().encrypt)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return _map_secret(value, secret_box().decrypt)


def _map_secret(document: Any, convert: Any) -> Any:
    two_factor = document.get("twoFactor") if isinstance(document, dict) else None
    if not isinstance(two_factor, dict) or not isinstance(two_factor.get("secretKey"), str):
        return document
    result = copy.deepcopy(document)
    result["twoFactor"]["secretKey"] = convert(two_factor["secretKey"])
    return result
