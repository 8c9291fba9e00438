"""create_app(config): defaults, then the environment, then the test's config; required secrets."""

from __future__ import annotations

import pytest

from backend.app import create_app
from backend.app.settings import build_config

REQUIRED = {
    "ADMIN_CLIENT_SECRET": "a",
    "APP_CLIENT_SECRET": "b",
    "WEBHOOK_CLIENT_SECRET": "c",
    "APP_SECRET_KEY": "d",
}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_missing_required_value_is_a_clear_error(tmp_path, name):
    config = {**REQUIRED, "DATA_DIR": str(tmp_path)}
    del config[name]
    with pytest.raises(RuntimeError, match=f"Set .*{name}"):
        create_app(config)


def test_defaults(tmp_path):
    config = build_config({}, {**REQUIRED, "DATA_DIR": str(tmp_path)})
    assert config["AUTH_SERVER_URL"] == "http://localhost:8080"
    assert config["APP_URL"] == "http://localhost:8081"
    assert config["FRONTEND_URL"] == "http://localhost:3000"
    assert config["APP_CLIENT_ID"] == "two-factor-app"
    assert config["WEBHOOK_CLIENT_ID"] == "two-factor-webhook"
    assert config["ADMIN_CLIENT_ID"] == "admin"
    assert config["APP_DATABASE_URL"] == f"sqlite:///{tmp_path / 'app.sqlite3'}"
    assert config["SESSION_COOKIE_NAME"] == "app_session"
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["MAX_CONTENT_LENGTH"] == 64 * 1024
    assert config["APP_PROFILE_MAX_AGE"] == 30


def test_accepted_clients_default_to_web_and_the_apps_own_client(tmp_path):
    config = build_config({"APP_CLIENT_ID": "my-app"}, {**REQUIRED, "DATA_DIR": str(tmp_path)})
    assert config["APP_ACCEPTED_CLIENTS"] == ("web", "my-app")


def test_accepted_clients_from_the_environment(tmp_path):
    environ = {"APP_ACCEPTED_CLIENTS": " web , mobile ,"}
    config = build_config(environ, {**REQUIRED, "DATA_DIR": str(tmp_path)})
    assert config["APP_ACCEPTED_CLIENTS"] == ("web", "mobile")


def test_accepted_clients_naming_none_is_a_clear_error(tmp_path):
    with pytest.raises(RuntimeError, match="APP_ACCEPTED_CLIENTS must name at least one"):
        build_config({"APP_ACCEPTED_CLIENTS": " , "}, {**REQUIRED, "DATA_DIR": str(tmp_path)})


def test_profile_max_age_from_the_environment(tmp_path):
    config = build_config({"APP_PROFILE_MAX_AGE": "5"}, {**REQUIRED, "DATA_DIR": str(tmp_path)})
    assert config["APP_PROFILE_MAX_AGE"] == 5


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "86401"])
def test_a_bad_profile_max_age_is_a_clear_error(tmp_path, value):
    with pytest.raises(RuntimeError, match="APP_PROFILE_MAX_AGE must be a number of seconds"):
        build_config({"APP_PROFILE_MAX_AGE": value}, {**REQUIRED, "DATA_DIR": str(tmp_path)})


def test_environment_then_config(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_URL", "https://app.example/")
    monkeypatch.setenv("FRONTEND_URL", "https://env.example")
    monkeypatch.setenv("SMTP_STARTTLS", "true")
    app = create_app({**REQUIRED, "DATA_DIR": str(tmp_path), "FRONTEND_URL": "https://config.example"})
    assert app.config["APP_URL"] == "https://app.example"
    assert app.config["FRONTEND_URL"] == "https://config.example"
    assert app.config["SMTP_STARTTLS"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_required_values_from_the_environment(monkeypatch, tmp_path):
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert create_app().config["SECRET_KEY"] == "d"
    assert (tmp_path / "app.sqlite3").exists()


def test_auth_server_kind_is_bundled_by_default_and_checked(tmp_path):
    base = {**REQUIRED, "DATA_DIR": str(tmp_path)}
    assert build_config({}, base)["AUTH_SERVER_KIND"] == "bundled"
    assert build_config({"AUTH_SERVER_KIND": " Aidbox "}, base)["AUTH_SERVER_KIND"] == "aidbox"
    with pytest.raises(RuntimeError, match="AUTH_SERVER_KIND must be one of bundled, aidbox"):
        build_config({"AUTH_SERVER_KIND": "keycloak"}, base)
