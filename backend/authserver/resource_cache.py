"""Resource documents (AuthConfig, Client, AidboxConfig) kept in memory for a few seconds per process.

Every page and token request reads the Client and the AuthConfig; reading them from the database each
time was a round trip (and a transaction) per request. A write through the resource API replaces the
entry of the process that handled it at once; other worker processes keep their copy until it is
``AUTH_RESOURCE_CACHE_SECONDS`` old (5 by default), so a change reaches every worker within that time.
0 turns the cache off. Unknown ids are not kept, so made-up client_ids cannot fill the memory.

What is read from all documents of a type (the origins of every Client's redirect URIs, for CORS) is
kept the same way, under the type's name, and dropped when this process writes a document of that type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app

Key = tuple[str, str]
Derived = TypeVar("Derived")


class ResourceCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._entries: dict[Key, tuple[float, dict[str, Any]]] = {}
        self._of_all: dict[str, tuple[float, Any]] = {}

    def get(self, key: Key, now: float) -> dict[str, Any] | None:
        """The document read less than ``seconds`` ago, or None. Callers must not change it."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= now:
            return None
        return entry[1]

    def put(self, key: Key, document: dict[str, Any] | None, now: float) -> None:
        self._of_all.pop(key[0], None)
        if document is None or self.seconds <= 0:
            self._entries.pop(key, None)
        else:
            self._entries[key] = (now + self.seconds, document)

    def of_all(self, resource_type: str, now: float, read: Callable[[], Derived]) -> Derived:
        """What ``read()`` makes of every document of ``resource_type``, read again after ``seconds``."""
        entry = self._of_all.get(resource_type)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = read()
        if self.seconds > 0:
            self._of_all[resource_type] = (now + self.seconds, value)
        return value


def init_resource_cache(app: Flask) -> None:
    app.extensions["resource_cache"] = ResourceCache(float(app.config["AUTH_RESOURCE_CACHE_SECONDS"]))


def resource_cache() -> ResourceCache:
    return current_app.extensions["resource_cache"]
