"""What this app can offer with the auth server it is configured for (``AUTH_SERVER_KIND``).

Recovery codes, passkeys and trusted browsers are kept by the bundled auth server and reached through
operations Aidbox does not have; with ``AUTH_SERVER_KIND=aidbox`` they are unavailable: their endpoints
answer 409 ``unavailable_with_aidbox``, and /api/me and GET /api/user/two-factor list them in
``unavailable`` so that the page hides them.
"""

from __future__ import annotations

from typing import Literal

from flask import Blueprint, current_app

from backend.common.errors import ApiError

Feature = Literal["recoveryCodes", "passkeys", "trustedBrowsers"]

BUNDLED_ONLY: tuple[Feature, ...] = ("recoveryCodes", "passkeys", "trustedBrowsers")

_NAMES = {"recoveryCodes": "Recovery codes", "passkeys": "Passkeys", "trustedBrowsers": "Trusted browsers"}


def with_aidbox() -> bool:
    return current_app.config["AUTH_SERVER_KIND"] == "aidbox"


def unavailable() -> list[Feature]:
    return list(BUNDLED_ONLY) if with_aidbox() else []


def with_unavailable(answer: dict) -> dict:
    """``answer`` with ``unavailable`` added when something is (left out otherwise)."""
    missing = unavailable()
    return {**answer, "unavailable": missing} if missing else answer


def require(feature: Feature) -> None:
    """409 unavailable_with_aidbox when ``feature`` is not offered here."""
    if feature in unavailable():
        raise ApiError(
            409, "unavailable_with_aidbox", f"{_NAMES[feature]} are not available with an Aidbox auth server."
        )


def require_for_blueprint(bp: Blueprint, feature: Feature) -> None:
    bp.before_request(lambda: require(feature))
