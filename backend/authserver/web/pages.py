"""Rendering the HTML pages with the AuthConfig app theme."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, make_response, render_template

from .. import store


def _safe_url(value: Any) -> str | None:
    """Only http(s), root-relative and data:image URLs reach an href/src attribute."""
    if not isinstance(value, str):
        return None
    if value.startswith(("https://", "http://", "data:image/")) or (
        value.startswith("/") and not value.startswith("//")
    ):
        return value
    return None


def theme() -> dict[str, Any]:
    configured = store.auth_config().get("theme") or {}
    brand = configured.get("brand")
    return {
        "title": configured.get("title") or "Sign in",
        "brand_image": _safe_url(brand),
        "brand_text": brand if brand and not _safe_url(brand) else None,
        "style_url": _safe_url(configured.get("styleUrl")),
    }


def render_page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(
    message: str, status: int = 400, heading: str = "Something is wrong with this link"
) -> Response:
    return render_page("message.html", status, heading=heading, message=message)


def init_pages(app: Flask) -> None:
    app.context_processor(lambda: {"theme": theme()})
