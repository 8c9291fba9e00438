"""Database URLs: PostgreSQL URLs use psycopg 3; the test fixtures honour TEST_DATABASE_URL."""

from backend.authserver.settings import load_settings
from backend.common.database import engine_options, engine_url
from backend.tests.databases import postgres_base


def test_postgresql_urls_use_psycopg_3():
    assert engine_url("postgresql://u@db:5432/auth") == "postgresql+psycopg://u@db:5432/auth"
    assert engine_url("postgres://u@db/auth") == "postgresql+psycopg://u@db/auth"
    assert engine_url("postgresql+psycopg://u@db/auth") == "postgresql+psycopg://u@db/auth"
    assert engine_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"


def test_engine_options_per_database():
    assert engine_options("sqlite:///x.sqlite3") == {"connect_args": {"timeout": 15}}
    assert engine_options("postgresql+psycopg://u@db/auth")["pool_size"] >= 8


def test_auth_server_settings_take_a_postgresql_url():
    config = load_settings(
        {},
        {
            "AUTH_SECRET_KEY": "k",
            "AUTH_ENCRYPTION_KEY": "e" * 32,
            "ADMIN_CLIENT_SECRET": "s",
            "AUTH_DATABASE_URL": "postgresql://u@db/auth",
        },
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/auth"
    assert "connect_args" not in config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_fixtures_use_the_configured_database(databases):
    url = databases.url("probe")
    if postgres_base() is None:
        assert url.startswith("sqlite:///")
    else:
        assert url.startswith(postgres_base()) and "search_path" in url
