"""Headers on every answer: no framing, no referrer, no caching of pages, codes or tokens; a strict CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

from .pages import theme

_API_CSP = "default-src 'none'; frame-ancestors 'none'"


def _origin(url: str | None) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return ""
    parts = urlsplit(url)
    return f" {parts.scheme}://{parts.netloc}"


def page_csp() -> str:
    """The forms need only their own stylesheet and script, the theme's stylesheet and brand image."""
    current = theme()
    return (
        "default-src 'none'; "
        "script-src 'self'; "
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
