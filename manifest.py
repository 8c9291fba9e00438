"""Generate the demo's Aidbox resources from configuration and apply them to the auth server.

    python manifest.py --print              # the resources, in the docs' YAML-like form
    python manifest.py --apply URL          # PUT them to the auth server (idempotent)

Values come from environment variables, defaulting to the values in the Aidbox docs.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
import yaml

SECRET_PLACEHOLDER = "<hidden: set {name}>"  # noqa: S105 - a placeholder, not a secret


@dataclass(frozen=True)
class Settings:
    auth_server_url: str
    app_url: str
    frontend_url: str
    admin_client_id: str
    admin_client_secret: str | None
    app_client_id: str
    app_client_secret: str | None
    webhook_client_id: str
    webhook_client_secret: str | None
    issuer_name: str
    valid_past_tokens: int
    webhook_timeout_ms: int
    two_factor_required: bool
    grace_period_days: int
    theme: dict[str, str]
    provider: dict[str, Any]
    #: "aidbox": the app checks passwords by the password grant, so its Client may use it.
    auth_server_kind: str = "bundled"


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None


def _flag(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise SystemExit(f"{name} must be true or false, got {environ[name]!r}")


def _provider(environ: Mapping[str, str]) -> dict[str, Any]:
    if environ.get("PROVIDER", "console") != "smtp":
        return {"console": {"type": "console"}, "default": "console"}
    smtp: dict[str, Any] = {
        "type": "smtp",
        "host": environ.get("PROVIDER_SMTP_HOST", "localhost"),
        "port": _int(environ, "PROVIDER_SMTP_PORT", 25),
        "from": environ.get("PROVIDER_SMTP_FROM", "noreply@localhost"),
    }
    for key in ("username", "password"):
        if environ.get(f"PROVIDER_SMTP_{key.upper()}"):
            smtp[key] = environ[f"PROVIDER_SMTP_{key.upper()}"]
    if environ.get("PROVIDER_SMTP_TLS"):
        smtp["tls"] = environ["PROVIDER_SMTP_TLS"].lower() in ("1", "true", "yes")
    return {"smtp": smtp, "default": "smtp"}


def settings_from(environ: Mapping[str, str]) -> Settings:
    """Read the manifest's configuration from an environment mapping."""
    theme = {"title": environ.get("THEME_TITLE", "Two-factor demo")}
    for key, name in (("brand", "THEME_BRAND"), ("styleUrl", "THEME_STYLE_URL")):
        if environ.get(name):
            theme[key] = environ[name]
    return Settings(
        auth_server_url=environ.get("AUTH_SERVER_URL", "http://localhost:8080").rstrip("/"),
        app_url=environ.get("APP_URL", "http://localhost:8081").rstrip("/"),
        frontend_url=environ.get("FRONTEND_URL", "http://localhost:3000").rstrip("/"),
        admin_client_id=environ.get("ADMIN_CLIENT_ID", "admin"),
        admin_client_secret=environ.get("ADMIN_CLIENT_SECRET"),
        app_client_id=environ.get("APP_CLIENT_ID", "two-factor-app"),
        app_client_secret=environ.get("APP_CLIENT_SECRET"),
        webhook_client_id=environ.get("WEBHOOK_CLIENT_ID", "two-factor-webhook"),
        webhook_client_secret=environ.get("WEBHOOK_CLIENT_SECRET"),
        issuer_name=environ.get("TWO_FACTOR_ISSUER_NAME", "Demo"),
        valid_past_tokens=_int(environ, "TWO_FACTOR_VALID_PAST_TOKENS", 5),
        webhook_timeout_ms=_int(environ, "TWO_FACTOR_WEBHOOK_TIMEOUT_MS", 5000),
        two_factor_required=_flag(environ, "TWO_FACTOR_REQUIRED"),
        grace_period_days=_int(environ, "TWO_FACTOR_GRACE_DAYS", 0),
        theme=theme,
        provider=_provider(environ),
        auth_server_kind=environ.get("AUTH_SERVER_KIND", "bundled").strip().lower(),
    )


def _secret(value: str | None, name: str) -> str:
    return value if value else SECRET_PLACEHOLDER.format(name=name)


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def resources(settings: Settings) -> list[dict[str, Any]]:
    """The AuthConfig, Clients and AidboxConfig the demo needs, as Aidbox JSON documents."""
    webhook_secret = _secret(settings.webhook_client_secret, "WEBHOOK_CLIENT_SECRET")
    required = (
        {"required": True, "gracePeriodDays": settings.grace_period_days}
        if settings.two_factor_required
        else {}
    )
    return [
        {
            "resourceType": "AuthConfig",
            "id": "app",
            "twoFactor": {
                "issuerName": settings.issuer_name,
                "validPastTokensCount": settings.valid_past_tokens,
                "webhook": {
                    "endpoint": f"{settings.app_url}/webhook/two-factor-confirmation",
                    "headers": {"Authorization": _basic(settings.webhook_client_id, webhook_secret)},
                    "timeout": settings.webhook_timeout_ms,
                },
                **required,
            },
            "theme": settings.theme,
        },
        {
            "resourceType": "Client",
            "id": "web",
            "auth": {"implicit": {"redirect_uri": f"{settings.frontend_url}/auth"}},
            "first_party": True,
            "grant_types": ["implicit"],
        },
        {
            "resourceType": "Client",
            "id": settings.app_client_id,
            "secret": _secret(settings.app_client_secret, "APP_CLIENT_SECRET"),
            "first_party": True,
            "grant_types": ["authorization_code", "refresh_token"]
            + (["password"] if settings.auth_server_kind == "aidbox" else []),
            "auth": {
                "authorization_code": {"redirect_uri": f"{settings.app_url}/auth/callback", "pkce": True}
            },
        },
        {
            "resourceType": "Client",
            "id": settings.webhook_client_id,
            "secret": webhook_secret,
            "grant_types": ["basic"],
        },
        {"resourceType": "AidboxConfig", "id": "provider", "provider": settings.provider},
    ]


def as_docs_text(documents: list[dict[str, Any]], *, show_secrets: bool = False) -> str:
    """The resources as the Aidbox docs show them: ``AuthConfig app:`` and the body, YAML-style."""
    blocks = []
    for document in documents:
        body = {k: v for k, v in document.items() if k not in ("resourceType", "id")}
        if not show_secrets:
            body = _hide_secrets(body)
        text = yaml.safe_dump(body, sort_keys=False, default_flow_style=False, allow_unicode=True)
        indented = "".join(f"  {line}\n" for line in text.splitlines())
        blocks.append(f"{document['resourceType']} {document['id']}:\n{indented}")
    return "\n".join(blocks)


def _hide_secrets(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _hide_secrets(v, k) for k, v in value.items()}
    if key in ("secret", "password") and isinstance(value, str) and not value.startswith("<"):
        return "<hidden>"
    if key == "Authorization" and isinstance(value, str) and "<hidden" not in value:
        return "Basic <hidden>"
    return value


class ApplyError(Exception):
    """The auth server could not be reached or refused a resource."""


def apply(documents: list[dict[str, Any]], settings: Settings, url: str | None = None) -> None:
    """PUT every resource to the auth server with the admin client's credentials."""
    missing = [
        name
        for name, value in (
            ("ADMIN_CLIENT_SECRET", settings.admin_client_secret),
            ("APP_CLIENT_SECRET", settings.app_client_secret),
            ("WEBHOOK_CLIENT_SECRET", settings.webhook_client_secret),
        )
        if not value
    ]
    if missing:
        raise ApplyError(f"Set {', '.join(missing)} before applying the manifest.")
    base = (url or settings.auth_server_url).rstrip("/")
    with requests.Session() as http:
        http.auth = (settings.admin_client_id, settings.admin_client_secret)
        for document in documents:
            path = f"/{document['resourceType']}/{document['id']}"
            try:
                response = http.put(base + path, json=document, timeout=10)
            except requests.RequestException as error:
                raise ApplyError(f"Cannot reach the auth server at {base}: {error}") from None
            if response.status_code not in (200, 201):
                raise ApplyError(
                    f"The auth server refused PUT {path}: {response.status_code} {response.text[:500]}"
                )


def main(argv: list[str] | None = None, environ: Mapping[str, str] = os.environ) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--print", action="store_true", help="print the resources")
    action.add_argument("--apply", metavar="URL", nargs="?", const="", help="PUT them to the auth server")
    parser.add_argument("--show-secrets", action="store_true", help="with --print: do not hide secrets")
    args = parser.parse_args(argv)
    settings = settings_from(environ)
    documents = resources(settings)
    if args.print:
        sys.stdout.write(as_docs_text(documents, show_secrets=args.show_secrets))
        return 0
    try:
        apply(documents, settings, args.apply or None)
    except ApplyError as error:
        print(f"manifest: {error}", file=sys.stderr)
        return 1
    print(f"manifest: applied {len(documents)} resources to {args.apply or settings.auth_server_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
