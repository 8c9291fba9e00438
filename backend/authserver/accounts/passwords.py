"""Password hashes: argon2id, with the cost parameters in settings (AUTH_PASSWORD_HASH_*).

The defaults are the OWASP Password Storage Cheat Sheet's minimum for argon2id: 19 MiB of memory,
2 iterations, 1 lane. Hashes written before argon2id (werkzeug's ``scrypt:...``/``pbkdf2:...``) still
verify; :func:`needs_rehash` says when a verified password should be hashed again, which the sign-in
does, so old and cheaper hashes disappear as users log in.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

#: OWASP's minimum for argon2id (m=19 MiB, t=2, p=1).
OWASP_MIN_MEMORY_KIB = 19 * 1024
OWASP_MIN_TIME_COST = 2
OWASP_MIN_PARALLELISM = 1

_ARGON2_PREFIX = "$argon2"
_WERKZEUG_METHODS = ("scrypt:", "pbkdf2:")


@functools.cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID)


def hasher(config: Mapping[str, Any]) -> PasswordHasher:
    """The argon2id hasher with the configured cost."""
    return _hasher(
        config["AUTH_PASSWORD_HASH_TIME_COST"],
        config["AUTH_PASSWORD_HASH_MEMORY_KIB"],
        config["AUTH_PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str, config: Mapping[str, Any]) -> str:
    return hasher(config).hash(password)


def verify(stored_hash: str, password: str, config: Mapping[str, Any]) -> bool:
    """Whether ``password`` is the one ``stored_hash`` was made from (argon2id or werkzeug's)."""
    if stored_hash.startswith(_ARGON2_PREFIX):
        try:
            return hasher(config).verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    if stored_hash.startswith(_WERKZEUG_METHODS):
        return check_password_hash(stored_hash, password)
    return False


def needs_rehash(stored_hash: str, config: Mapping[str, Any]) -> bool:
    """True for a hash that is not argon2id with today's parameters (an older method or cost)."""
    if not stored_hash.startswith(_ARGON2_PREFIX):
        return True
    try:
        return hasher(config).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def spend_one_check(password: str, config: Mapping[str, Any]) -> None:
    """The work of one verification, for an account that does not exist: timing must not reveal it."""
    verify(_dummy_hash(hasher(config)), password, config)


@functools.cache
def _dummy_hash(password_hasher: PasswordHasher) -> str:
    return password_hasher.hash("not-a-real-password")
