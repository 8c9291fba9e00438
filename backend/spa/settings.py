"""Configuration of the frontend server, from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    return {
        "DIST_DIR": environ.get("FRONTEND_DIST_DIR", str(REPO / "frontend" / "dist")),
        "BACKEND_URL": environ.get("APP_URL", "http://localhost:8081").rstrip("/"),
        "AUTH_SERVER_URL": environ.get("AUTH_SERVER_URL", "http://localhost:8080").rstrip("/"),
    }
