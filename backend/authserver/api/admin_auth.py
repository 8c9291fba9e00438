"""HTTP Basic credentials of the admin client, the only key to the resource API."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any

from flask import current_app, request

from backend.common.errors import error_response


def is_admin() -> bool:
    """True when the request carries the admin client's Basic credentials."""
    auth = request.authorization
    if auth is None or auth.type != "basic" or auth.username is None or auth.password is None:
        return False
    expected_id = current_app.config["ADMIN_CLIENT_ID"].encode()
    expected_secret = current_app.config["ADMIN_CLIENT_SECRET"].encode()
    # Both compared every time so the answer takes as long for a wrong id as for a wrong secret.
    id_ok = hmac.compare_digest(auth.username.encode(), expected_id)
    secret_ok = hmac.compare_digest(auth.password.encode(), expected_secret)
    return id_ok and secret_ok


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 with ``WWW-Authenticate: Basic`` unless the request carries the admin client's credentials."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            response = error_response(401, "unauthorized", "Admin client credentials (HTTP Basic) required.")
            response.headers["WWW-Authenticate"] = 'Basic realm="authserver"'
            return response
        return view(*args, **kwargs)

    return wrapper
