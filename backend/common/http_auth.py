"""What every protected endpoint of both servers shares: HTTP Basic credentials compared in constant
time, and the 401 answer that names the scheme to use (``WWW-Authenticate``)."""

from __future__ import annotations

import hmac

from flask import Response, request

from .errors import error_response


def basic_credentials_match(expected_id: str, expected_secret: str) -> bool:
    """True when the request carries exactly these HTTP Basic credentials.

    Both parts are compared every time, in constant time, so a wrong id takes as long as a wrong secret."""
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return False
    id_ok = hmac.compare_digest((auth.username or "").encode(), expected_id.encode())
    secret_ok = hmac.compare_digest((auth.password or "").encode(), expected_secret.encode())
    return id_ok and secret_ok


def unauthorized(code: str, message: str, challenge: str) -> Response:
    """401 in the JSON error shape, with ``WWW-Authenticate: <challenge>``."""
    response = error_response(401, code, message)
    response.headers["WWW-Authenticate"] = challenge
    return response
