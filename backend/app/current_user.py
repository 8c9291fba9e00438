"""Who is calling: Flask-Login with server-side session rows, or an implicit-flow Bearer token."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Request, current_app
from flask_login import LoginManager, current_user, login_required, logout_user

from backend.common.errors import ApiError

from .authserver_client import authserver
from .profiles import forget, remember_user
from .sessions import AppSession, BearerUser, end_session, load_session

log = logging.getLogger("app.login")

login_manager = LoginManager()
#: "basic" would hash the caller's address and User-Agent on every request only to mark the session
#: not fresh when they change; nothing here asks for a fresh login (a password re-check guards
#: disabling), and the session row (not the cookie) is what logout ends.
login_manager.session_protection = None


@login_manager.user_loader
def _load_session_user(session_id: str) -> AppSession | None:
    return load_session(session_id)


@login_manager.request_loader
def _load_bearer_user(request: Request) -> BearerUser | None:
    """The caller of a Bearer token issued to one of APP_ACCEPTED_CLIENTS (asked by introspection);
    /auth/userinfo alone would vouch for a token of any client the auth server knows."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 4096:
        return None
    introspection = authserver().introspect(token)
    if introspection is None:
        return None
    if introspection.get("client_id") not in current_app.config["APP_ACCEPTED_CLIENTS"]:
        log.info("refused a Bearer token issued to client %r", introspection.get("client_id"))
        return None
    info = authserver().userinfo(token)
    if info is None:
        return None
    return BearerUser(user_id=info["id"], email=info["email"], access_token=token, info=info)


@login_manager.unauthorized_handler
def _unauthorized():
    raise ApiError(401, "unauthorized", "Sign in first.")


def require_sign_in(blueprint: Blueprint) -> None:
    """Every view of ``blueprint`` answers 401 "Sign in first." to a caller who is not signed in
    (Flask-Login's ``login_required``, which lets CORS preflights through)."""
    blueprint.before_request(login_required(_signed_in))


def _signed_in() -> None:
    """Nothing to do: ``login_required`` only lets a signed-in caller get here."""


def current_user_document() -> dict[str, Any]:
    """The signed-in user's User document, read from the auth server (which refreshes their profile
    snapshot)."""
    user = authserver().get_user(current_user.user_id)
    if user is None:
        # The account is gone at the auth server: this session means nothing any more.
        forget(current_user.user_id)
        if current_user.kind == "session":
            end_session(current_user.id)
        logout_user()
        raise ApiError(401, "unauthorized", "This account no longer exists; sign in again.")
    return remember_user(user)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
