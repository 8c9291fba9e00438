"""GET /api/me: who the signed-in user is, and whether two-factor is on (and how)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from .current_user import current_user_document, require_sign_in
from .features import with_unavailable
from .profile_refresh import refresh_later
from .profiles import passkey_of, profile_of

bp = Blueprint("me", __name__, url_prefix="/api")
require_sign_in(bp)


@bp.get("/me")
def me() -> Response:
    """The signed-in user: id, email and whether two-factor is on (and how).

    A cookie session answers from the user's profile snapshot (see profiles.py), refreshed in the
    background once it is older than APP_PROFILE_MAX_AGE (profile_refresh.py); a Bearer token from the
    userinfo that vouched for it. With an Aidbox auth server, ``unavailable`` lists the features this
    app cannot offer there.
    """
    now = current_app.config["CLOCK"]()
    if current_user.kind == "bearer":
        info = current_user.info
        return jsonify(with_unavailable(profile_of(info, now, passkey_of(info)).as_json()))
    profile = current_user.profile
    if profile is None:
        profile = profile_of(current_user_document(), now)
    elif now - profile.fetched > current_app.config["APP_PROFILE_MAX_AGE"]:
        refresh_later(current_user.user_id)
    return jsonify(with_unavailable(profile.as_json()))
