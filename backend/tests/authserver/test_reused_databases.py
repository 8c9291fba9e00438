"""Under PostgreSQL the servers' fixtures reuse a schema an earlier test left: it must come back with no
rows, and one that is no longer at the layout of the others must not come back at all."""

import pytest

import backend.authserver
from backend.authserver import create_app
from backend.authserver.extensions import db

from ..databases import Databases, postgres_base
from ..schema_history import back_to_release_0e445d9
from .helpers import Admin

pytestmark = pytest.mark.skipif(
    postgres_base() is None, reason="SQLite files are never reused (python -m backend.tests.on_postgresql)"
)


def schema_of(url: str) -> str:
    return url.split("search_path%3D", 1)[1].split("&", 1)[0]


def test_a_schema_comes_back_to_the_next_test_at_the_newest_revision_with_no_rows(
    postgres_schemas, config, tmp_path
):
    earlier = Databases(tmp_path, postgres_schemas)
    url = earlier.reused_url(backend.authserver)
    user = Admin(create_app({**config, "AUTH_DATABASE_URL": url}).test_client()).create_user(
        "ann@example.com", "correct horse"
    )
    earlier.release_all()

    later = Databases(tmp_path, postgres_schemas)
    reused = later.reused_url(backend.authserver)
    admin = Admin(create_app({**config, "AUTH_DATABASE_URL": reused}).test_client())
    try:
        assert schema_of(reused) == schema_of(url)
        assert admin.get("User", user["id"]).status_code == 404
        admin.create_user("ann@example.com", "correct horse")
    finally:
        later.release_all()


def test_a_schema_moved_to_another_revision_is_dropped(postgres_schemas, config, tmp_path):
    earlier = Databases(tmp_path, postgres_schemas)
    url = earlier.reused_url(backend.authserver)
    create_app({**config, "AUTH_DATABASE_URL": url})
    back_to_release_0e445d9(backend.authserver, db, url, versioned=True)
    earlier.release_all()

    later = Databases(tmp_path, postgres_schemas)
    try:
        assert schema_of(later.reused_url(backend.authserver)) != schema_of(url)
    finally:
        later.release_all()
