"""Admin operations on a user's trusted browsers, for the app's settings page:

- ``GET /User/<id>/$trusted-browsers``: the browsers that skip the second factor now (no token, ever).
- ``DELETE /User/<id>/$trusted-browsers/<browser>``: that one asks again, 204; 404 when not the user's.
- ``DELETE /User/<id>/$trusted-browsers``: every one asks again ("Sign out of trusted browsers"), 204.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify
from pydantic import BaseModel, Field

from backend.common.errors import ApiError

from ..accounts import trusted_browsers
from ..models import TrustedBrowser
from .admin_auth import admin_required
from .admin_two_factor import user_or_404

bp = Blueprint("admin_trusted_browsers", __name__)


class TrustedBrowserEntry(BaseModel):
    id: int
    label: str = Field(description='From the User-Agent when it was trusted: "Chrome on Linux"')
    created: datetime
    lastUsed: datetime
    expires: datetime


class TrustedBrowsers(BaseModel):
    trustedBrowsers: list[TrustedBrowserEntry] = Field(description="Most recently used first")


def _at(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def _entry(browser: TrustedBrowser) -> TrustedBrowserEntry:
    return TrustedBrowserEntry(
        id=browser.id,
        label=browser.label,
        created=_at(browser.created_at),
        lastUsed=_at(browser.last_used_at),
        expires=_at(browser.expires_at),
    )


@bp.get("/User/<user_id>/$trusted-browsers")
@admin_required
def list_browsers(user_id: str) -> Response:
    """The user's trusted browsers: label, when trusted, last used, when trust ends."""
    user = user_or_404(user_id)
    entries = [_entry(browser) for browser in trusted_browsers.live_browsers(user.id)]
    return jsonify(TrustedBrowsers(trustedBrowsers=entries).model_dump(mode="json"))


@bp.delete("/User/<user_id>/$trusted-browsers/<int(max=2147483647):browser_id>")
@admin_required
def revoke_browser(user_id: str, browser_id: int) -> Response:
    """That browser asks for the second factor at the next login."""
    if not trusted_browsers.revoke(user_or_404(user_id).id, browser_id):
        raise ApiError(404, "not_found", "The user has no such trusted browser.")
    return Response(status=204)


@bp.delete("/User/<user_id>/$trusted-browsers")
@admin_required
def end_all(user_id: str) -> Response:
    """Every browser the user trusted asks for the second factor at the next login."""
    trusted_browsers.end_trust(user_or_404(user_id).id)
    return Response(status=204)
