"""The app as an OAuth client of the auth server: sign-in (code + PKCE S256), callback, logout."""

from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Blueprint, Flask, current_app, jsonify, redirect, session
from flask_login import current_user, login_user, logout_user
from requests.adapters import HTTPAdapter
from werkzeug.wrappers import Response

from backend.common.errors import ApiError
from backend.common.json_body import parse_body

from .authserver_client import authserver, userinfo_of
from .bodies import EmptyBody
from .profiles import method_of, passkey_of, remember_userinfo
from .sessions import end_session, start_session, update_tokens

log = logging.getLogger("app.oauth")

bp = Blueprint("oauth", __name__)

CLIENT_NAME = "authserver"
#: Sign-ins started and not finished (one per tab, say) that a browser's session keeps. Authlib keeps
#: each for an hour in the cookie; past about 25 the cookie outgrows the 4 KB a browser stores, the
#: browser drops it, and no sign-in can finish until they expire.
PENDING_SIGN_INS = 5


class _KeptAdapter(HTTPAdapter):
    """Connections to the auth server's token endpoint, kept across sign-ins.

    Authlib makes (and closes) a new requests session for each code exchange, which would open a new
    connection every time; each of those sessions gets this one adapter, whose pool outlives them.
    """

    def close(self) -> None:
        """Authlib's per-call session closing must not close the shared pool."""


def init_oauth(app: Flask) -> None:
    """One Authlib registry per app instance, so several apps (tests) can live in one process."""
    base = app.config["AUTH_SERVER_URL"]
    adapter = _KeptAdapter()

    def reuse_connections(token_session: requests.Session) -> None:
        token_session.trust_env = False
        token_session.mount("http://", adapter)
        token_session.mount("https://", adapter)

    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["APP_CLIENT_ID"],
        client_secret=app.config["APP_CLIENT_SECRET"],
        # The authorize and token endpoints come from the auth server's OpenID Connect discovery
        # document (read at the first sign-in), as a real Aidbox serves it.
        server_metadata_url=f"{base}/.well-known/openid-configuration",
        api_base_url=f"{base}/",
        compliance_fix=reuse_connections,
        client_kwargs={
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": app.config["AUTH_SERVER_TIMEOUT"],
        },
    )


def _client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(CLIENT_NAME)


def _callback_url() -> str:
    return f"{current_app.config['APP_URL']}/auth/callback"


def _frontend(path: str, **query: str) -> Response:
    url = f"{current_app.config['FRONTEND_URL']}{path}"
    if query:
        url += "?" + urlencode(query)
    return redirect(url)


def _forget_oldest_sign_ins() -> None:
    """Make room for one more pending sign-in: only the newest PENDING_SIGN_INS - 1 others stay."""
    prefix = f"_state_{CLIENT_NAME}_"
    pending = sorted(
        (key for key in session if key.startswith(prefix)),
        key=lambda key: session[key].get("exp", 0) if isinstance(session[key], dict) else 0,
    )
    for key in pending[: max(0, len(pending) - (PENDING_SIGN_INS - 1))]:
        session.pop(key)


@bp.errorhandler(requests.RequestException)
def _discovery_failed(error: requests.RequestException) -> Response:
    """/login and /signup read the discovery document first: without it, back to the sign-in page."""
    log.warning("auth server discovery failed: %s", type(error).__name__)
    return _frontend("/signin", error="server_error")


@bp.get("/login")
def login() -> Response:
    """Send the browser to the auth server's login form (code flow, PKCE S256, state)."""
    _forget_oldest_sign_ins()
    return _client().authorize_redirect(_callback_url())


@bp.get("/signup")
def signup() -> Response:
    """Like /login, but to the auth server's signup form (same query string)."""
    _forget_oldest_sign_ins()
    client = _client()
    data = client.create_authorization_url(_callback_url())
    client.save_authorize_data(redirect_uri=_callback_url(), **data)
    parts = urlsplit(data["url"])
    return redirect(urlunsplit(parts._replace(path=parts.path.rsplit("/", 1)[0] + "/signup")))


def _oauth_error_code(error: OAuthError) -> str:
    code = (error.error or "server_error").strip()
    # Only plain codes travel to the frontend's query string.
    if not code.replace("_", "").isalnum() or not code.isascii() or len(code) > 64:
        return "server_error"
    return code


@bp.get("/auth/callback")
def callback() -> Response:
    """Finish sign-in: exchange the code, load the user, rotate the session, go to the frontend."""
    try:
        token = _client().authorize_access_token()
    except OAuthError as error:
        if error.error == "mismatching_state" and current_user.is_authenticated:
            # Back into a finished sign-in, or another tab's: the user is signed in already, and the
            # code in this URL is never exchanged.
            return _frontend("/app")
        log.info("sign-in failed: %s", error.error)
        return _frontend("/signin", error=_oauth_error_code(error))
    except ApiError:
        return _frontend("/signin", error="server_error")
    except Exception as error:  # network errors and odd token responses from Authlib/requests
        log.warning("token exchange failed: %s", type(error).__name__)
        return _frontend("/signin", error="server_error")

    access_token = token.get("access_token") if isinstance(token, dict) else None
    if not isinstance(access_token, str) or not access_token:
        return _frontend("/signin", error="server_error")
    try:
        # The auth server sends the token's userinfo with it; ask for it only when it is missing.
        info = userinfo_of(token["userinfo"]) if "userinfo" in token else authserver().userinfo(access_token)
    except ApiError:
        return _frontend("/signin", error="server_error")
    if info is None:
        return _frontend("/signin", error="access_denied")

    refresh_token = token.get("refresh_token")
    session.clear()  # rotation: nothing from before sign-in survives
    row = start_session(
        info["id"], info["email"], access_token, refresh_token if isinstance(refresh_token, str) else None
    )
    remember_userinfo(info)
    login_user(row)
    # Only Flask-Login's session protection reads this hash (it is off): the cookie, read on every
    # request, stays short enough to need no compression.
    session.pop("_id", None)
    return _frontend("/app" if method_of(info) or passkey_of(info) else "/two-factor")


def _end_at_auth_server() -> None:
    """DELETE /Session with the caller's token (refreshed once if it has expired)."""
    client = authserver()
    if current_user.kind == "bearer":
        client.end_session(current_user.access_token)
        return
    if client.end_session(current_user.access_token) or not current_user.refresh_token:
        return
    token = client.refresh(current_user.refresh_token)
    if token is not None:
        update_tokens(current_user, token["access_token"], token.get("refresh_token"))
        client.end_session(token["access_token"])


@bp.post("/logout")
def logout() -> Response:
    """End the session here (the row is deleted, so a copied cookie stops working) and at the auth server."""
    parse_body(EmptyBody)
    if current_user.is_authenticated:
        try:
            _end_at_auth_server()
        except ApiError:
            log.warning("could not end the auth-server session; the app session is ended anyway")
        if current_user.kind == "session":
            end_session(current_user.id)
        logout_user()
    session.clear()
    return jsonify(loggedOut=True)
