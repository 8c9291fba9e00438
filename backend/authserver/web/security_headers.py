"""Headers on every answer: no framing, no referrer, no caching of pages, codes or tokens; a strict CSP."""

from __future__ import annotations

from flask import Flask, Response, request

from .csp_sources import csp_origin
from .pages import theme

_API_CSP = "default-src 'none'; frame-ancestors 'none'"


def _origin(url: str | None) -> str:
    """The URL's origin as a source (with its leading space); nothing for any other value, so that a
    stored document that escaped validation still cannot add directives."""
    origin = csp_origin(url) if url else None
    return f" {origin}" if origin else ""


def page_csp() -> str:
    """The forms need only their own stylesheet and scripts, the theme's stylesheet and brand image, and
    (passkey.js) to ask this server for a passkey challenge."""
    current = theme()
    return (
        "default-src 'none'; "
        "script-src 'self'; "
        "connect-src 'self'; "
        f"style-src 'self'{_origin(current['style_url'])}; "
        f"img-src 'self' data:{_origin(current['brand_image'])}; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        if request.path.startswith("/static/"):
            return response
        # Forms, the token endpoint, the implicit redirect (token in Location) and the admin API
        # (secrets) all carry something that must not sit in a cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
        headers["Content-Security-Policy"] = page_csp() if response.mimetype == "text/html" else _API_CSP
        return response
