"""Shapes of the resource documents: unknown attributes and wrong types answer 422 naming the attribute."""

from __future__ import annotations

import binascii
import re
from base64 import b32decode
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from backend.common.errors import ApiError

from ..web.csp_sources import csp_origin

Check = Callable[[Any, str], Any]

_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


def _invalid(path: str, expected: str) -> ApiError:
    return ApiError(422, "invalid_attribute", f"'{path}' must be {expected}.", field=path)


def string(max_length: int = 2048) -> Check:
    def check(value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise _invalid(path, "a string")
        if len(value) > max_length:
            raise _invalid(path, f"at most {max_length} characters")
        return value

    return check


def integer(low: int, high: int) -> Check:
    def check(value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _invalid(path, f"an integer from {low} to {high}")
        return value

    return check


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _invalid(path, "true or false")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any, path: str) -> str:
        if value not in choices:
            raise _invalid(path, " or ".join(f"'{choice}'" for choice in choices))
        return value

    return check


def http_url(value: Any, path: str) -> str:
    string()(value, path)
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise _invalid(path, "an http(s) URL")
    return value


def theme_url(value: Any, path: str) -> str:
    """An http(s) URL whose origin the forms' Content-Security-Policy may name."""
    http_url(value, path)
    if csp_origin(value) is None:
        raise _invalid(path, "an http(s) URL without spaces, quotes, ';' or ','")
    return value


def brand(value: Any, path: str) -> str:
    """Text, or an image URL: the forms show an http(s) value as an image and allow its origin."""
    string()(value, path)
    if value.startswith(("http://", "https://")):
        theme_url(value, path)
    return value


def email(value: Any, path: str) -> str:
    string(320)(value, path)
    value = value.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise _invalid(path, "an email address")
    return value


def base32_secret(value: Any, path: str) -> str:
    string(128)(value, path)
    try:
        raw = b32decode(value + "=" * (-len(value) % 8), casefold=True)
    except (binascii.Error, ValueError):
        raise _invalid(path, "a base32 secret") from None
    if len(raw) * 8 < 128:
        raise _invalid(path, "a base32 secret of at least 128 bits")
    return value.upper()


def list_of(item: Check) -> Check:
    def check(value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise _invalid(path, "a list")
        return [item(element, f"{path}[{index}]") for index, element in enumerate(value)]

    return check


def map_of(item: Check) -> Check:
    def check(value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _invalid(path, "an object")
        return {key: item(element, f"{path}.{key}") for key, element in value.items()}

    return check


def obj(fields: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    """An object with only the given attributes; ``None`` values are dropped (merge-patch removal)."""

    def check(value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _invalid(path or "body", "an object")
        result = {}
        for key, element in value.items():
            where = f"{path}.{key}" if path else key
            if key not in fields:
                raise ApiError(422, "unknown_attribute", f"Unknown attribute '{where}'.", field=where)
            if element is not None:
                result[key] = fields[key](element, where)
        for key in required:
            if key not in result:
                where = f"{path}.{key}" if path else key
                raise ApiError(422, "missing_attribute", f"'{where}' is required.", field=where)
        return result

    return check


def _any_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(path, "an object")
    return value


#: Attributes every resource may carry; ``meta`` is accepted and not stored.
_COMMON: dict[str, Check] = {"resourceType": string(64), "id": string(128), "meta": _any_object}

AUTH_CONFIG = obj(
    {
        **_COMMON,
        "twoFactor": obj(
            {
                "issuerName": string(128),
                "validPastTokensCount": integer(0, 10),
                "webhook": obj(
                    {
                        "endpoint": http_url,
                        "headers": map_of(string(4096)),
                        "timeout": integer(1, 60_000),
                    },
                    required=("endpoint",),
                ),
            }
        ),
        "theme": obj({"title": string(200), "brand": brand, "styleUrl": theme_url}),
    }
)

CLIENT = obj(
    {
        **_COMMON,
        "secret": string(512),
        "first_party": boolean,
        "grant_types": list_of(string(64)),
        "auth": obj(
            {
                "implicit": obj({"redirect_uri": http_url}),
                "authorization_code": obj(
                    {"redirect_uri": http_url, "pkce": boolean, "refresh_token": boolean}
                ),
            }
        ),
    }
)

_CONSOLE = obj({"type": one_of("console")}, required=("type",))
_SMTP = obj(
    {
        "type": one_of("smtp"),
        "host": string(255),
        "port": integer(1, 65535),
        "from": string(320),
        "username": string(255),
        "password": string(512),
        "tls": boolean,
    },
    required=("type", "host", "port", "from"),
)


def _provider_entry(value: Any, path: str) -> Any:
    if path.endswith(".default"):
        return string(128)(value, path)
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == "smtp":
        return _SMTP(value, path)
    if kind == "console":
        return _CONSOLE(value, path)
    raise _invalid(f"{path}.type", "'console' or 'smtp'")


def _providers(value: Any, path: str) -> dict[str, Any]:
    providers = map_of(_provider_entry)(value, path)
    default = providers.get("default")
    if default is not None and default not in providers:
        raise _invalid(f"{path}.default", "the name of a provider in this object")
    return providers


AIDBOX_CONFIG = obj({**_COMMON, "provider": _providers})

USER = obj(
    {
        **_COMMON,
        "email": email,
        "password": string(1024),
        "phoneNumber": string(32),
        "twoFactor": obj(
            {"enabled": boolean, "transport": one_of("email", "sms"), "secretKey": base32_secret}
        ),
    },
    required=("email",),
)

SCHEMAS: dict[str, Check] = {
    "AuthConfig": AUTH_CONFIG,
    "Client": CLIENT,
    "AidboxConfig": AIDBOX_CONFIG,
    "User": USER,
}


def validate(resource_type: str, resource_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The checked document with ``resourceType`` and ``id`` set; raises ApiError 422."""
    if not _ID.fullmatch(resource_id):
        raise _invalid("id", "1 to 64 letters, digits, '-' or '.'")
    if body.get("resourceType", resource_type) != resource_type:
        raise _invalid("resourceType", f"'{resource_type}'")
    if body.get("id", resource_id) != resource_id:
        raise _invalid("id", f"'{resource_id}' (the id in the URL)")
    document = SCHEMAS[resource_type](body, "")
    document.pop("meta", None)
    if resource_type == "User":
        two_factor = document.get("twoFactor") or {}
        if two_factor.get("enabled") and not two_factor.get("secretKey"):
            raise ApiError(
                422, "missing_attribute", "'twoFactor.secretKey' is required when enabled.", "twoFactor"
            )
    return {"resourceType": resource_type, "id": resource_id, **document}
