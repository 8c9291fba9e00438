"""The authorize request a user is in the middle of, carried through login, signup and the TOTP step."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import request, url_for

from . import store
from .oauth2 import Client, query_client

#: Query parameters of /auth/authorize passed along from form to form.
FLOW_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "nonce",
    "next",
)


def flow_args() -> dict[str, str]:
    """The flow parameters of the current request's query string (first value of each)."""
    return {name: request.args[name] for name in FLOW_PARAMS if request.args.get(name)}


def url_with_flow(endpoint: str, **values: str) -> str:
    return url_for(endpoint, **{**flow_args(), **values})


def safe_next(value: str | None) -> str | None:
    """A local path to continue to, or None: never another host (``//host`` or ``scheme:``)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def continue_url() -> str:
    """Where a user goes once signed in: back to /auth/authorize, a local ``next``, or the done page."""
    args = flow_args()
    if args.get("client_id"):
        args.pop("next", None)
        return url_for("oauth.authorize") + "?" + urlencode(args)
    return safe_next(args.get("next")) or url_for("login.done")


def client_problem() -> str | None:
    """Why the current authorize request cannot go back to its client, or None.

    An unknown client or a redirect_uri that is not registered must never be redirected to.
    """
    client_id = request.args.get("client_id")
    if not client_id:
        return "The request does not name a client (client_id is missing)."
    client = query_client(client_id)
    if client is None:
        return "This application is not registered with the sign-in server."
    redirect_uri = request.args.get("redirect_uri")
    if redirect_uri is None and client.get_default_redirect_uri() is None:
        return "The request has no redirect_uri."
    if redirect_uri is not None and not client.check_redirect_uri(redirect_uri):
        return "The redirect_uri is not registered for this application."
    if len(request.args.getlist("redirect_uri")) > 1 or len(request.args.getlist("client_id")) > 1:
        return "The request repeats client_id or redirect_uri."
    return None


def registered_return_url(url: str | None) -> str | None:
    """``url`` when it is a registered redirect_uri of some Client, or has the same origin as one."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    for resource in store.all_documents("Client"):
        for registered in Client(resource).redirect_uris:
            known = urlsplit(registered)
            if url == registered or (known.scheme, known.netloc) == (parts.scheme, parts.netloc):
                return url
    return None
