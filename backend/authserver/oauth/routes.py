"""OAuth 2.0 endpoints: /auth/authorize (and its consent answer), /auth/token, /auth/introspect,
/auth/userinfo and DELETE /Session."""

from __future__ import annotations

from authlib.integrations.flask_oauth2 import current_token
from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, jsonify, redirect, request

from backend.common.http_auth import unauthorized

from .. import store
from ..accounts import login_session
from ..extensions import authorization, require_oauth
from ..web.login import render_login
from .flow import FlowRefused, authorization_response, consent_answer, consent_grant, url_with_flow

bp = Blueprint("oauth", __name__)


@bp.get("/auth/authorize")
def authorize() -> Response:
    """The login form, the TOTP step when the user has 2FA on, the consent page for a client that is
    not first_party, then a redirect back to the client."""
    login = login_session.current()
    try:
        grant = consent_grant(login)
    except FlowRefused as refused:
        return refused.response
    if login is None:
        return render_login()
    if login.second_factor_pending:
        return redirect(url_with_flow("two_factor.step"))
    return authorization_response(login, grant)


@bp.post("/auth/authorize")
def consent() -> Response:
    """Allow or Deny on the consent page (CSRF-checked): back to the client with the code or token, or
    with error=access_denied."""
    login = login_session.current()
    if login is None or login.second_factor_pending:
        return redirect(url_with_flow("oauth.authorize"))
    return consent_answer(login)


@bp.post("/auth/token")
def issue_token() -> Response:
    """Exchange a code (with the PKCE verifier) or a refresh token for tokens."""
    try:
        return authorization.create_token_response()
    except OAuth2Error as error:
        return authorization.handle_error_response(request, error)


@bp.post("/auth/introspect")
def introspect() -> Response:
    """RFC 7662 with the caller's client credentials: ``{"active": false}``, or ``active`` with the
    token's ``client_id`` and user (``sub``)."""
    return authorization.create_endpoint_response("introspection")


def _bearer_error(error: OAuth2Error) -> Response:
    return unauthorized(
        "invalid_token",
        "The access token is missing, unknown, expired or revoked.",
        'Bearer error="invalid_token"',
    )


@bp.get("/auth/userinfo")
def userinfo() -> Response:
    """The token's user, without secrets."""
    try:
        token = require_oauth.acquire_token()
    except OAuth2Error as error:
        return _bearer_error(error)
    user = token.user
    if user is None:
        return _bearer_error(OAuth2Error("invalid_token"))
    return jsonify(store.public_user(user))


@bp.delete("/Session")
def end_session() -> Response:
    """Log out: revoke the token and end the login session that issued it (204)."""
    try:
        require_oauth.acquire_token()
    except OAuth2Error as error:
        return _bearer_error(error)
    login_session.end(current_token.login_session_id)
    return Response(status=204)
