"""The Flask resource app: OAuth client of the auth server, 2FA settings API, webhook receiver."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_cors import CORS
from werkzeug.exceptions import RequestEntityTooLarge

from backend.common.errors import ApiError, register_json_errors
from backend.common.json_depth import init_json_depth_limit
from backend.common.migrations import init_migrations, upgrade_database
from backend.common.nul_characters import refuse_nul_in_query_and_form

from .authserver_client import init_authserver_client
from .current_user import init_login
from .db import db
from .encrypted_text import init_token_box
from .profile_refresh import init_profile_refresh
from .settings import build_config
from .sign_in import init_oauth

MUTATING = ("POST", "PUT", "PATCH", "DELETE")

#: The revisions of this server's schema (Alembic), and the table that records which one it is at.
MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_app"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app, configured from defaults, then ``os.environ``, then ``config``."""
    app = Flask(__name__)
    app.config.update(build_config(os.environ, config))

    register_json_errors(app)
    db.init_app(app)
    init_token_box(app)
    init_migrations(app, db, MIGRATIONS, VERSION_TABLE)
    init_login(app)
    init_profile_refresh(app)
    init_oauth(app)
    init_authserver_client(app)
    CORS(
        app,
        resources={r"/api/*": {}, r"/logout": {}},
        origins=[app.config["FRONTEND_URL"]],
        supports_credentials=True,
        allow_headers=["Content-Type", "Authorization"],
        # The page counts down to "Send a new code" from a 429's Retry-After.
        expose_headers=["Retry-After"],
        methods=["GET", "POST", "PUT", "DELETE"],
    )

    @app.before_request
    def _refuse_large_bodies() -> None:
        """Refuse an announced oversize body before any view runs (unread ones included)."""
        length = request.content_length
        if length is not None and length > app.config["MAX_CONTENT_LENGTH"]:
            raise RequestEntityTooLarge()

    app.before_request(refuse_nul_in_query_and_form)
    init_json_depth_limit(app)

    @app.before_request
    def _json_only_mutations() -> None:
        """A JSON content type forces a CORS preflight: the CSRF defence of the cookie-authenticated API."""
        guarded = request.path.startswith("/api/") or request.path == "/logout"
        if request.method in MUTATING and guarded and not request.is_json:
            raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")

    @app.after_request
    def _security_headers(response):
        """JSON, redirects with codes, sessions: nothing here may be cached, framed or sniffed."""
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        return response

    from . import (
        me,
        openapi,
        passkeys,
        phone_change,
        sign_in,
        trusted_browsers,
        two_factor,
        two_factor_change,
        webhook,
    )

    app.register_blueprint(sign_in.bp)
    app.register_blueprint(me.bp)
    app.register_blueprint(two_factor.bp)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(phone_change.bp)
    app.register_blueprint(two_factor_change.bp)
    app.register_blueprint(passkeys.bp)
    app.register_blueprint(trusted_browsers.bp)
    if app.config["APP_MODE"] == "demo":
        from . import outbox

        app.register_blueprint(outbox.bp)
    app.register_blueprint(openapi.bp)

    upgrade_database(app, first_revision="0001")
    return app
