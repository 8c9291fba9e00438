"""Configuration: defaults, then the environment, then the caller's overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limits import parse_many

from backend.common.database import apply_database_url
from backend.common.totp import system_clock

REPO_ROOT = Path(__file__).resolve().parents[2]

#: argon2id's cost (accounts/passwords.py): iterations, memory in KiB, lanes.
PASSWORD_HASH_SETTINGS = (
    "AUTH_PASSWORD_HASH_TIME_COST",
    "AUTH_PASSWORD_HASH_MEMORY_KIB",
    "AUTH_PASSWORD_HASH_PARALLELISM",
)

#: The pool passwords are hashed in (accounts/hash_pool.py): threads per worker, their nice value
#: (0-19: higher yields the CPU to other requests sooner), and the seconds a request waits for its hash.
PASSWORD_HASH_POOL_SETTINGS = (
    "AUTH_PASSWORD_HASH_THREADS",
    "AUTH_PASSWORD_HASH_NICE",
    "AUTH_PASSWORD_HASH_TIMEOUT_SECONDS",
)

#: How long a login session lasts, in seconds (see accounts/login_session.py); positive numbers.
SESSION_LIFETIMES = (
    "AUTH_SESSION_IDLE_SECONDS",
    "AUTH_SESSION_MAX_SECONDS",
    "AUTH_SESSION_SECOND_FACTOR_SECONDS",
)

#: The throttle's limits, in the notation of ``limits`` ("5/minute;20/hour"; see throttle.py).
THROTTLE_SETTINGS = (
    "THROTTLE_CODE_LIMITS",
    "THROTTLE_CODE_LOCK_AFTER",
    "THROTTLE_RECOVERY_LIMITS",
    "THROTTLE_PASSWORD_LIMITS",
    "THROTTLE_IP_LIMITS",
    "THROTTLE_SIGNUP_IP_LIMITS",
    "THROTTLE_SIGNUP_EMAIL_LIMITS",
)

#: Environment variables this process reads (env var name = config key).
ENV_NAMES = (
    "DATA_DIR",
    "AUTH_SERVER_URL",
    "FRONTEND_URL",
    "ADMIN_CLIENT_ID",
    "ADMIN_CLIENT_SECRET",
    "AUTH_DATABASE_URL",
    "AUTH_SECRET_KEY",
    "AUTH_ENCRYPTION_KEY",
    "RATELIMIT_STORAGE_URI",
    "AUTH_RESOURCE_CACHE_SECONDS",
    "AUTH_BUNDLED_OPERATIONS",
    *PASSWORD_HASH_SETTINGS,
    *PASSWORD_HASH_POOL_SETTINGS,
    *SESSION_LIFETIMES,
    *THROTTLE_SETTINGS,
)

DEFAULTS: dict[str, Any] = {
    "DATA_DIR": str(REPO_ROOT / "data"),
    "AUTH_SERVER_URL": "http://localhost:8080",
    #: The frontend's settings page adds passkeys: its origin is accepted in WebAuthn answers.
    "FRONTEND_URL": "http://localhost:3000",
    "ADMIN_CLIENT_ID": "admin",
    "CLOCK": system_clock,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "SESSION_COOKIE_NAME": "authserver_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "OAUTH2_ACCESS_TOKEN_GENERATOR": "backend.authserver.oauth.server.random_token",
    "OAUTH2_REFRESH_TOKEN_GENERATOR": "backend.authserver.oauth.server.random_token",
    "OAUTH2_TOKEN_EXPIRES_IN": {
        "authorization_code": 3600,
        "implicit": 3600,
        "refresh_token": 3600,
        "password": 3600,
    },
    #: argon2id at OWASP's minimum (m=19 MiB, t=2, p=1). Tests pass a cheaper cost to stay fast.
    "AUTH_PASSWORD_HASH_TIME_COST": 2,
    "AUTH_PASSWORD_HASH_MEMORY_KIB": 19 * 1024,
    "AUTH_PASSWORD_HASH_PARALLELISM": 1,
    #: As many hashes at once as there are cores: more would only queue inside the kernel.
    "AUTH_PASSWORD_HASH_THREADS": os.cpu_count() or 1,
    "AUTH_PASSWORD_HASH_NICE": 10,
    "AUTH_PASSWORD_HASH_TIMEOUT_SECONDS": 10,
    #: Default number of previous 30 s steps accepted when AuthConfig app does not say.
    "DEFAULT_VALID_PAST_TOKENS": 5,
    #: Where the throttle counts: database:// (the auth server's database: shared by workers, kept across
    #: restarts), memory:// (one process, forgotten on restart) or redis://host:6379.
    "RATELIMIT_STORAGE_URI": "database://",
    #: Wrong codes per user (a right code starts these over), limits' notation.
    "THROTTLE_CODE_LIMITS": "5/minute;10/15 minutes",
    #: Wrong codes per user after which two-factor codes lock until a recovery code or an admin unlocks them.
    "THROTTLE_CODE_LOCK_AFTER": "20/day",
    #: Wrong recovery codes per user; wrong passwords per account; wrong passwords and recovery codes per IP.
    "THROTTLE_RECOVERY_LIMITS": "5/minute;20/hour",
    "THROTTLE_PASSWORD_LIMITS": "5/minute;10/15 minutes;20/hour",
    "THROTTLE_IP_LIMITS": "30/minute;100/hour",
    #: Signups tried per client IP and per email: "this email already has an account" at probing speed.
    "THROTTLE_SIGNUP_IP_LIMITS": "20/hour;100/day",
    "THROTTLE_SIGNUP_EMAIL_LIMITS": "5/hour",
    #: How long a worker keeps AuthConfig/Client/AidboxConfig documents in memory (0: always read them).
    "AUTH_RESOURCE_CACHE_SECONDS": 5,
    #: "off": the admin operations Aidbox does not have answer 404 (api/bundled_operations.py).
    "AUTH_BUNDLED_OPERATIONS": "on",
    #: Keycloak's defaults are 30 min idle and 10 h at most, with 5-minute access tokens that clients
    #: refresh. Here access tokens live an hour, so the idle limit is longer than that: a client that
    #: refreshes when its token runs out keeps its session; a browser left alone for 2 h signs in again.
    "AUTH_SESSION_IDLE_SECONDS": 2 * 3600,
    #: A working day after the password, whatever the use (Keycloak's SSO Session Max).
    "AUTH_SESSION_MAX_SECONDS": 10 * 3600,
    #: Password accepted, code not yet: longer than the Resend window (two_factor/code_sends.py: 5 codes
    #: in 10 min), so a user who has to wait for another code can still use it without typing the
    #: password again.
    "AUTH_SESSION_SECOND_FACTOR_SECONDS": 15 * 60,
}

_WHY = {
    "AUTH_ENCRYPTION_KEY": " It encrypts the users' two-factor secrets in the database: a random string"
    " of 32+ characters, kept apart from database backups (`make start` keeps one in DATA_DIR/secrets.json).",
}

REQUIRED = ("ADMIN_CLIENT_SECRET", "AUTH_SECRET_KEY", "AUTH_ENCRYPTION_KEY")


def load_settings(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The Flask config for the auth server; raises RuntimeError naming a missing required value."""
    config: dict[str, Any] = dict(DEFAULTS)
    config.update({name: environ[name] for name in ENV_NAMES if environ.get(name)})
    config.update(overrides or {})

    for name in REQUIRED:
        if not config.get(name):
            raise RuntimeError(
                f"Set {name} (environment variable or config) before starting the auth server."
                + _WHY.get(name, "")
            )

    for name in PASSWORD_HASH_SETTINGS:
        config[name] = _positive(name, config[name], int, "a positive integer")
    threads, timeout = "AUTH_PASSWORD_HASH_THREADS", "AUTH_PASSWORD_HASH_TIMEOUT_SECONDS"
    config[threads] = _positive(threads, config[threads], int, "a positive integer")
    config[timeout] = _positive(timeout, config[timeout], float, "a positive number of seconds")
    config["AUTH_PASSWORD_HASH_NICE"] = _nice(config["AUTH_PASSWORD_HASH_NICE"])
    for name in SESSION_LIFETIMES:
        config[name] = _positive(name, config[name], float, "a positive number of seconds")
    for name in THROTTLE_SETTINGS:
        _check_limits(name, config[name])
    config["AUTH_BUNDLED_OPERATIONS"] = str(config["AUTH_BUNDLED_OPERATIONS"]).strip().lower()
    if config["AUTH_BUNDLED_OPERATIONS"] not in ("on", "off"):
        raise RuntimeError(
            f"AUTH_BUNDLED_OPERATIONS must be on or off (got {config['AUTH_BUNDLED_OPERATIONS']!r})."
        )

    if not config.get("AUTH_DATABASE_URL"):
        data_dir = Path(config["DATA_DIR"])
        data_dir.mkdir(parents=True, exist_ok=True)
        config["AUTH_DATABASE_URL"] = f"sqlite:///{data_dir / 'authserver.sqlite3'}"
    apply_database_url(config, config["AUTH_DATABASE_URL"])
    config.setdefault("SECRET_KEY", config["AUTH_SECRET_KEY"])
    config["AUTH_SERVER_URL"] = config["AUTH_SERVER_URL"].rstrip("/")
    config.setdefault("SESSION_COOKIE_SECURE", config["AUTH_SERVER_URL"].startswith("https://"))
    return config


def _check_limits(name: str, value: Any) -> None:
    try:
        parse_many(value)
    except (TypeError, ValueError):
        raise RuntimeError(f'{name} must be limits such as "5/minute;20/hour" (got {value!r}).') from None


def _positive(name: str, value: Any, number_type: type[int] | type[float], what: str) -> Any:
    """``value`` as ``number_type`` when it is above zero; otherwise start-up stops naming the setting."""
    try:
        number = number_type(value)
    except (TypeError, ValueError):
        number = 0
    if not number > 0:
        raise RuntimeError(f"{name} must be {what} (got {value!r}).")
    return number


def _nice(value: Any) -> int:
    """A nice value from 0 (normal priority) to 19 (the lowest); start-up stops on anything else."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 19:
        raise RuntimeError(f"AUTH_PASSWORD_HASH_NICE must be a whole number from 0 to 19 (got {value!r}).")
    return number
