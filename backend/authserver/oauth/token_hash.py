"""Tokens at rest: access tokens, refresh tokens and authorization codes are stored as SHA-256 hashes.

Whoever reads the database (a backup, a leaked dump) finds no credential to present: the server looks a
token up by the hash of what the client sends. A plain hash is enough here, unlike for passwords or
recovery codes (keyed and slow hashes): each token is 256 random bits (``oauth.server.random_token``), so
there is nothing to guess from a hash. Looking rows up by hash also means the database's index
comparison, which is not constant-time, never works on the token itself.
"""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    """The stored form of ``token``: 64 hex characters."""
    return hashlib.sha256(token.encode()).hexdigest()
