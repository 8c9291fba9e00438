"""The signed-in user's trusted browsers (ticked "Don't ask again on this browser" at the code step):
the list, revoking one, and "Sign out of trusted browsers". The auth server keeps them (its cookie, its
table); the app asks it through the admin API."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from backend.common.errors import ApiError
from backend.common.json_body import parse_body

from .authserver_client import authserver
from .bodies import EmptyBody
from .current_user import require_sign_in
from .features import require_for_blueprint
from .responses import TrustedBrowsers

bp = Blueprint("trusted_browsers", __name__, url_prefix="/api")

require_sign_in(bp)
require_for_blueprint(bp, "trustedBrowsers")


@bp.get("/user/trusted-browsers")
def list_browsers() -> Response:
    """The browsers that skip the second factor: label, when trusted, last used, when trust ends."""
    browsers = authserver().trusted_browsers(current_user.user_id)
    return jsonify(TrustedBrowsers.model_validate({"trustedBrowsers": browsers}).model_dump())


def _still_trusted() -> Response:
    """What a change leaves: the list as it is now (the page shows it without another request)."""
    return list_browsers()


@bp.delete("/user/trusted-browsers/<int(max=2147483647):browser_id>")
def revoke_browser(browser_id: int) -> Response:
    """That browser asks for the second factor at its next login; the browsers still trusted."""
    parse_body(EmptyBody)
    if not authserver().revoke_trusted_browser(current_user.user_id, browser_id):
        raise ApiError(404, "not_found", "There is no such trusted browser.")
    return _still_trusted()


@bp.delete("/user/trusted-browsers")
def sign_out_of_trusted_browsers() -> Response:
    """Every trusted browser asks for the second factor at its next login; the (empty) list."""
    parse_body(EmptyBody)
    authserver().end_trusted_browsers(current_user.user_id)
    return _still_trusted()
