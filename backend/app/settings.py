"""The app's configuration: defaults, then an environ mapping, then a test's overrides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backend.common.database import apply_database_url
from backend.common.totp import system_clock

REPO_ROOT = Path(__file__).resolve().parents[2]

REQUIRED = ("ADMIN_CLIENT_SECRET", "APP_CLIENT_SECRET", "WEBHOOK_CLIENT_SECRET", "APP_SECRET_KEY")

# Every name an environment variable may set; config keys use the same names.
ENV_NAMES = (
    "DATA_DIR",
    "AUTH_SERVER_URL",
    "APP_URL",
    "FRONTEND_URL",
    "ADMIN_CLIENT_ID",
    "ADMIN_CLIENT_SECRET",
    "APP_CLIENT_ID",
    "APP_CLIENT_SECRET",
    "WEBHOOK_CLIENT_ID",
    "WEBHOOK_CLIENT_SECRET",
    "APP_DATABASE_URL",
    "APP_SECRET_KEY",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_FROM",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "SMS_GATEWAY_URL",
    "SMS_ACCOUNT_SID",
    "SMS_AUTH_TOKEN",
    "SMS_FROM",
    "APP_MODE",
    "APP_PROFILE_MAX_AGE",
    "APP_ACCEPTED_CLIENTS",
    "AUTH_SERVER_KIND",
)

#: "demo" adds the dev outbox (/dev/outbox); the default is production-safe.
APP_MODES = ("production", "demo")

#: "bundled" uses the bundled auth server's own admin operations ($verify-totp, $check-password,
#: $recovery-codes, passkeys, trusted browsers); "aidbox" only what Aidbox has (see aidbox_mode.py).
AUTH_SERVER_KINDS = ("bundled", "aidbox")

DEFAULTS: dict[str, Any] = {
    "AUTH_SERVER_URL": "http://localhost:8080",
    "APP_URL": "http://localhost:8081",
    "FRONTEND_URL": "http://localhost:3000",
    "ADMIN_CLIENT_ID": "admin",
    "APP_CLIENT_ID": "two-factor-app",
    "WEBHOOK_CLIENT_ID": "two-factor-webhook",
    "SMTP_PORT": 25,
    "SMTP_FROM": "two-factor-demo@localhost",
    "SMTP_STARTTLS": False,
    "CLOCK": system_clock,
    # Seconds for every call to the auth server (connect, read).
    "AUTH_SERVER_TIMEOUT": (3.05, 10),
    # An app session row older than this is refused (seconds).
    "APP_SESSION_LIFETIME": 12 * 3600,
    # GET /api/me answers from the app's snapshot of the user while it is younger than this (seconds).
    "APP_PROFILE_MAX_AGE": 30,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "APP_MODE": "production",
    "AUTH_SERVER_KIND": "bundled",
}

_TRUE = {"1", "true", "yes", "on"}


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """The known names present (and non-empty) in ``environ``."""
    return {name: environ[name] for name in ENV_NAMES if environ.get(name)}


def _accepted_clients(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The Clients whose Bearer tokens the API accepts (APP_ACCEPTED_CLIENTS, comma-separated).

    By default the frontend's implicit-flow client ``web`` and the app's own client: a token the auth
    server issued to any other client is refused, although /auth/userinfo would vouch for it.
    """
    listed = config.get("APP_ACCEPTED_CLIENTS") or f"web,{config['APP_CLIENT_ID']}"
    names = listed.split(",") if isinstance(listed, str) else listed
    clients = tuple(name.strip() for name in names if isinstance(name, str) and name.strip())
    if not clients:
        raise RuntimeError("APP_ACCEPTED_CLIENTS must name at least one Client id (comma-separated).")
    return clients


def build_config(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``environ``, then ``overrides``; derived values filled in and checked."""
    config: dict[str, Any] = dict(DEFAULTS)
    config.update(from_environ(environ))
    config.update(overrides or {})

    missing = [name for name in REQUIRED if not config.get(name)]
    if missing:
        raise RuntimeError(f"Set {', '.join(missing)} (environment variable or config) to start the app.")

    config["APP_MODE"] = str(config["APP_MODE"]).strip().lower()
    if config["APP_MODE"] not in APP_MODES:
        raise RuntimeError(f"APP_MODE must be one of {', '.join(APP_MODES)} (got {config['APP_MODE']!r}).")

    config["AUTH_SERVER_KIND"] = str(config["AUTH_SERVER_KIND"]).strip().lower()
    if config["AUTH_SERVER_KIND"] not in AUTH_SERVER_KINDS:
        kinds = ", ".join(AUTH_SERVER_KINDS)
        raise RuntimeError(f"AUTH_SERVER_KIND must be one of {kinds} (got {config['AUTH_SERVER_KIND']!r}).")

    for name in ("AUTH_SERVER_URL", "APP_URL", "FRONTEND_URL", "SMS_GATEWAY_URL"):
        if config.get(name):
            config[name] = str(config[name]).rstrip("/")
    config["SMTP_PORT"] = int(config["SMTP_PORT"])
    try:
        config["APP_PROFILE_MAX_AGE"] = float(config["APP_PROFILE_MAX_AGE"])
    except ValueError:
        config["APP_PROFILE_MAX_AGE"] = -1.0
    if not 0 <= config["APP_PROFILE_MAX_AGE"] <= 24 * 3600:
        raise RuntimeError("APP_PROFILE_MAX_AGE must be a number of seconds from 0 to 86400.")
    config["APP_ACCEPTED_CLIENTS"] = _accepted_clients(config)
    if isinstance(config["SMTP_STARTTLS"], str):
        config["SMTP_STARTTLS"] = config["SMTP_STARTTLS"].strip().lower() in _TRUE

    data_dir = Path(config.get("DATA_DIR") or REPO_ROOT / "data")
    config["DATA_DIR"] = str(data_dir)
    if not config.get("APP_DATABASE_URL"):
        data_dir.mkdir(parents=True, exist_ok=True)
        config["APP_DATABASE_URL"] = f"sqlite:///{data_dir / 'app.sqlite3'}"

    # Every write of the app is one statement: see db.py.
    apply_database_url(config, config["APP_DATABASE_URL"], autocommit=True)

    secure = config["APP_URL"].startswith("https://")
    config.update(
        SECRET_KEY=config["APP_SECRET_KEY"],
        SESSION_COOKIE_NAME="app_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=secure,
    )
    return config
