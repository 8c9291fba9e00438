"""The bundled auth server: an Aidbox-compatible subset (resources, OAuth 2.0, TOTP step, webhook)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, request

from backend.common.errors import register_json_errors
from backend.common.json_depth import init_json_depth_limit
from backend.common.migrations import init_migrations, upgrade_database
from backend.common.nul_characters import refuse_nul_in_query_and_form

from .accounts.hash_pool import init_hash_pool
from .extensions import db
from .resource_cache import init_resource_cache
from .secret_box import init_secret_box
from .settings import load_settings
from .two_factor.throttle import init_throttle
from .web.security_headers import init_security_headers

#: Paths that answer HTML (forms); everything else is the JSON API.
HTML_PREFIXES = (
    "/auth/authorize",
    "/auth/login",
    "/auth/signup",
    "/auth/two-factor",
    "/auth/done",
    "/static",
)

#: The revisions of this server's schema (Alembic), and the table that records which one it is at.
MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_authserver"


def _wants_json() -> bool:
    return not request.path.startswith(HTML_PREFIXES)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The auth server app: defaults, then ``os.environ``, then ``config``."""
    app = Flask(__name__)
    app.config.from_mapping(load_settings(os.environ, config))

    db.init_app(app)
    init_migrations(app, db, MIGRATIONS, VERSION_TABLE)
    from .oauth.server import config_oauth
    from .web.pages import init_pages

    config_oauth(app)
    init_pages(app)
    init_hash_pool(app)
    init_secret_box(app)
    init_throttle(app)
    init_resource_cache(app)
    init_security_headers(app)

    from . import audit
    from .api import (
        admin_passkeys,
        admin_trusted_browsers,
        admin_two_factor,
        app_two_factor,
        openapi,
        resources,
    )
    from .api import login as api_login
    from .api import two_factor as api_two_factor
    from .api.bundled_operations import init_bundled_operations
    from .api.cors import init_cors
    from .oauth import openid
    from .oauth import routes as oauth_routes
    from .web import enrolment as web_enrolment
    from .web import login as web_login
    from .web import password as web_password
    from .web import two_factor as web_two_factor

    app.register_blueprint(oauth_routes.bp)
    app.register_blueprint(openid.bp)
    app.register_blueprint(web_login.bp)
    app.register_blueprint(web_two_factor.bp)
    app.register_blueprint(web_enrolment.bp)
    app.register_blueprint(web_password.bp)
    app.register_blueprint(api_login.bp)
    app.register_blueprint(api_two_factor.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(admin_two_factor.bp)
    app.register_blueprint(admin_trusted_browsers.bp)
    app.register_blueprint(app_two_factor.bp)
    app.register_blueprint(admin_passkeys.bp)
    app.register_blueprint(audit.bp)
    init_bundled_operations(app)
    init_cors(app)
    register_json_errors(app, wants_json=_wants_json)
    app.before_request(refuse_nul_in_query_and_form)
    init_json_depth_limit(app)

    logging.getLogger("authserver").setLevel(logging.INFO)
    upgrade_database(app, first_revision="0001")
    return app
