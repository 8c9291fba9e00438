"""HTTP Basic credentials of the admin client, the only key to the resource API."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app

from backend.common.http_auth import basic_credentials_match, unauthorized


def is_admin() -> bool:
    """True when the request carries the admin client's Basic credentials."""
    config = current_app.config
    return basic_credentials_match(config["ADMIN_CLIENT_ID"], config["ADMIN_CLIENT_SECRET"])


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 with ``WWW-Authenticate: Basic`` unless the request carries the admin client's credentials."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            return unauthorized(
                "unauthorized", "Admin client credentials (HTTP Basic) required.", 'Basic realm="authserver"'
            )
        return view(*args, **kwargs)

    return wrapper
