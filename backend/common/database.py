"""Database URLs: SQLite files by default, PostgreSQL (psycopg 3) for deployments with several processes."""

from __future__ import annotations

from typing import Any

_POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def engine_url(url: str) -> str:
    """``url`` with PostgreSQL URLs pinned to the psycopg 3 driver (SQLAlchemy's default is psycopg2)."""
    for prefix in _POSTGRES_PREFIXES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str, autocommit: bool = False) -> dict[str, Any]:
    """SQLAlchemy engine options that suit the database behind ``url`` and the server's threads.

    ``autocommit``: each statement commits on its own, and a connection going back to the pool has
    no transaction to roll back."""
    options: dict[str, Any] = {}
    if autocommit:
        options.update(isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    if url.startswith("sqlite"):
        # Waiting writers queue for the lock instead of failing at once.
        options["connect_args"] = {"timeout": 15}
    if url.startswith("postgresql"):
        # A pooled connection per server thread (--threads, up to 8). No pre-ping (a round trip per
        # request): SQLAlchemy drops the whole pool on a disconnect error, and old connections are recycled.
        options.update(pool_size=8, max_overflow=4, pool_recycle=1800)
    return options


def apply_database_url(config: dict[str, Any], url: str, autocommit: bool = False) -> None:
    """Set Flask-SQLAlchemy's URI and engine options from the configured ``url`` (keeping explicit ones)."""
    uri = engine_url(url)
    config.setdefault("SQLALCHEMY_DATABASE_URI", uri)
    options = engine_options(config["SQLALCHEMY_DATABASE_URI"], autocommit)
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
