"""Serves the built frontend (frontend/dist) with its runtime configuration at /config.js."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, send_from_directory

from .settings import from_environ

INDEX = "index.html"


def _security_headers(response: Response, config: dict[str, Any]) -> Response:
    connect = " ".join(sorted({config["BACKEND_URL"], config["AUTH_SERVER_URL"]}))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {connect}; form-action 'self' {connect}; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The frontend server: files from DIST_DIR, /config.js, and index.html for every app route."""
    app = Flask(__name__, static_folder=None)
    app.config.update(from_environ(os.environ))
    app.config.update(config or {})
    dist = Path(app.config["DIST_DIR"])
    if not (dist / INDEX).is_file():
        raise RuntimeError(f"No {INDEX} in {dist}: build the frontend first (npm run build in frontend/).")
    runtime_config = {"backendUrl": app.config["BACKEND_URL"], "authServerUrl": app.config["AUTH_SERVER_URL"]}
    config_js = f"window.__CONFIG__ = {json.dumps(runtime_config)};\n"

    @app.get("/config.js")
    def runtime_configuration() -> Response:
        response = Response(config_js, mimetype="text/javascript")
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def frontend_file(path: str) -> Response:
        """A built asset when one exists; otherwise index.html, so the app's router shows the page."""
        if path and (dist / path).is_file():
            return send_from_directory(dist, path)
        if path.startswith("assets/"):
            abort(404)
        response = send_from_directory(dist, INDEX)
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.after_request(lambda response: _security_headers(response, app.config))
    return app
