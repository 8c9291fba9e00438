"""Alembic's entry point for the authserver's revisions (``versions/``): see backend/common/migrations.py."""

from backend.common.migrations import run_migrations

run_migrations()
