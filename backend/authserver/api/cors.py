"""CORS for the calls a single-page app makes to the auth server itself, as the original Aidbox demo's
frontend does from the browser: ``GET /auth/userinfo``, ``DELETE /Session`` and the ``/app/*``
operations, each with ``Authorization: Bearer``.

Only those paths, and only for the origins of the registered Clients' redirect URIs: a Client's page
may read what its own token gets. The forms, the token endpoint and the admin API send no CORS headers,
so no other page can read them. No cookie crosses (the calls carry a Bearer token), so
``Access-Control-Allow-Credentials`` is never sent.

flask-cors (which the backend app uses) takes its origins once, when it is set up; these come from the
Client resources, which change at run time (``PUT /Client/<id>``), so this small module answers
instead. The origins are read like the documents themselves: kept per process for
``AUTH_RESOURCE_CACHE_SECONDS`` (resource_cache.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request

from .. import store
from ..models import now
from ..oauth.server import Client
from ..resource_cache import resource_cache

PATHS = ("/auth/userinfo", "/Session")
PREFIX = "/app/"
ALLOWED_HEADERS = "Authorization, Content-Type"
#: The page reads how long to wait after a 429 and why a token was refused.
EXPOSED_HEADERS = "Retry-After, WWW-Authenticate"
PREFLIGHT_MAX_AGE_SECONDS = "600"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """The origin a browser sends for a page at ``url`` (``scheme://host[:port]``, the default port left
    out), or None for anything but an http(s) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + ("" if port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{port}")


def registered_origins() -> frozenset[str]:
    """The origins of every Client's redirect URIs."""
    return resource_cache().of_all("Client", now(), _read_registered_origins)


def _read_registered_origins() -> frozenset[str]:
    uris = (uri for document in store.all_documents("Client") for uri in Client(document).redirect_uris)
    return frozenset(origin for origin in map(origin_of, uris) if origin)


def _in_scope(path: str) -> bool:
    return path in PATHS or path.startswith(PREFIX)


def _allowed_origin() -> str | None:
    origin = request.headers.get("Origin")
    return origin if origin and origin in registered_origins() else None


def _preflight() -> Response | None:
    """OPTIONS from an allowed origin to an existing route: which methods and headers it may send."""
    if request.method != "OPTIONS" or not _in_scope(request.path) or request.url_rule is None:
        return None
    if not request.headers.get("Access-Control-Request-Method") or _allowed_origin() is None:
        return None
    response = Response(status=204)
    methods = sorted((request.url_rule.methods or set()) - {"HEAD", "OPTIONS"})
    response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE_SECONDS
    return response


def _allow_origin(response: Response) -> Response:
    if not _in_scope(request.path):
        return response
    # The answer depends on Origin: a cache must not hand one origin's answer to another.
    response.vary.add("Origin")
    origin = _allowed_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def init_cors(app: Flask) -> None:
    app.before_request(_preflight)
    app.after_request(_allow_origin)
