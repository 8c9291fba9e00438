"""Short secrets encrypted at rest: Fernet, keyed by HKDF from a configured string.

Each server derives its Fernet key from one of its settings with an ``info`` label of its own, so the
same string never keys two purposes. An encrypted value is stored as ``fernet:<token>``: the prefix
tells an encrypted value from one written before encryption, which only the caller knows how to treat.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "fernet:"


def derive_key(material: str, info: bytes) -> bytes:
    """32 bytes for ``info`` from ``material``: HKDF-SHA256, so any long random string will do."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material.encode())


class SecretBox:
    """Encrypts and decrypts strings with the key ``info`` derives from ``key``; ``setting`` names
    where ``key`` comes from, for the error an operator reads when a stored value does not decrypt."""

    def __init__(self, key: str, *, info: bytes, setting: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(key, info)))
        self._setting = setting

    def encrypt(self, plain: str) -> str:
        return PREFIX + self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            raise RuntimeError(f"A stored secret is not encrypted: it was not written with {self._setting}.")
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode()).decode()
        except InvalidToken:
            raise RuntimeError(f"A stored secret does not decrypt: was {self._setting} changed?") from None
