"""The OAuth 2.0 server: Client resources as Authlib clients, grants, token storage, bearer validation."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask
from sqlalchemy import delete, select, update

from .. import store
from ..accounts import login_session
from ..extensions import authorization, db, require_oauth
from ..models import AuthorizationCode, LoginSession, Token, now
from .introspection import TokenIntrospection
from .token_hash import token_hash


class Client(ClientMixin):
    """An adapter that lets Authlib use a ``Client`` resource document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.client_id: str = document["id"]
        self.client_secret: str | None = document.get("secret")
        auth = document.get("auth") or {}
        self.redirect_uris = [
            flow["redirect_uri"]
            for flow in (auth.get("implicit") or {}, auth.get("authorization_code") or {})
            if flow.get("redirect_uri")
        ]
        self.grant_types: list[str] = document.get("grant_types") or []
        #: Aidbox's meaning: a first-party client signs its users in without asking them for consent.
        self.first_party: bool = document.get("first_party") is True

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ""

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if not self.client_secret:
            return False
        return hmac.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint != "token":
            return True
        if self.client_secret:
            return method in ("client_secret_basic", "client_secret_post")
        return method == "none"

    def check_response_type(self, response_type: str) -> bool:
        wanted = {"code": "authorization_code", "token": "implicit"}.get(response_type)
        return wanted is not None and wanted in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


def random_token(**_: Any) -> str:
    """An access token, refresh token or authorization code: 256 random bits, URL-safe (stored only as a
    hash, which is safe because nothing this random can be guessed from it: see token_hash.py)."""
    return secrets.token_urlsafe(32)


def query_client(client_id: str) -> Client | None:
    if not isinstance(client_id, str):
        return None
    document = store.get_document("Client", client_id)
    return Client(document) if document else None


def save_token(token: dict[str, Any], request: Any) -> None:
    """Store a token, hashed, with the login session that issued it (``request.user`` is a LoginSession).

    Authlib's ``create_save_token_func`` would store the token itself; only its hash is kept here."""
    login: LoginSession = request.user
    refresh_token = token.get("refresh_token")
    db.session.add(
        Token(
            client_id=request.client.client_id,
            user_id=login.user_id,
            login_session_id=login.id,
            issued_at=int(now()),
            token_type=token["token_type"],
            scope=token.get("scope", ""),
            expires_in=token["expires_in"],
            access_token_hash=token_hash(token["access_token"]),
            refresh_token_hash=token_hash(refresh_token) if refresh_token else None,
            authorization_code_hash=_issuing_code_hash(request),
        )
    )
    db.session.commit()


def _issuing_code_hash(request: Any) -> str | None:
    """The code behind a token: the one exchanged now, or the one behind the refresh token used."""
    code = getattr(request, "authorization_code", None)
    if code is not None:
        return code.code_hash
    refreshed = getattr(request, "refresh_token", None)
    return refreshed.authorization_code_hash if refreshed is not None else None


def revoke_tokens_from_code(code_hash: str, client_id: str) -> None:
    """A code presented again was stolen or replayed: revoke the tokens it bought (RFC 6749 4.1.2)."""
    stamp = int(now())
    db.session.execute(
        update(Token)
        .where(Token.authorization_code_hash == code_hash, Token.client_id == client_id)
        .values(access_token_revoked_at=stamp, refresh_token_revoked_at=stamp)
    )
    db.session.commit()


class S256CodeChallenge(CodeChallenge):
    """PKCE, always required for the code flow, S256 only (Authlib's default method is plain)."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge' (PKCE with S256 is required).")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': use S256.")
        super().validate_code_challenge(grant, redirect_uri)


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def generate_authorization_code(self) -> str:
        return random_token()

    def save_authorization_code(self, code: str, request: Any) -> None:
        login: LoginSession = request.user
        data = request.payload.data
        db.session.add(
            AuthorizationCode(
                code_hash=token_hash(code),
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri or "",
                scope=request.scope or "",
                user_id=login.user_id,
                login_session_id=login.id,
                auth_time=int(now()),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                nonce=data.get("nonce"),
            )
        )
        db.session.commit()

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        code_hash = token_hash(code)
        item = db.session.scalar(
            select(AuthorizationCode).where(
                AuthorizationCode.code_hash == code_hash, AuthorizationCode.client_id == client.client_id
            )
        )
        if item is None:
            # Unknown, or exchanged already (the DELETE below): whatever it bought, if anything, is revoked.
            revoke_tokens_from_code(code_hash, client.client_id)
            return None
        return None if item.is_expired() else item

    def authenticate_user(self, authorization_code: AuthorizationCode) -> LoginSession | None:
        login = login_session.in_use(authorization_code.login_session)
        # One conditional DELETE consumes the code, so two exchanges of it cannot both succeed: the second
        # waits for the first's transaction (committed with the token) and then deletes nothing.
        consumed = db.session.execute(
            delete(AuthorizationCode).where(AuthorizationCode.id == authorization_code.id)
        )
        if consumed.rowcount != 1:
            revoke_tokens_from_code(authorization_code.code_hash, authorization_code.client_id)
            return None
        if login is None:
            db.session.commit()
            return None
        return login

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Already deleted in ``authenticate_user``."""


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        item = db.session.scalar(select(Token).where(Token.refresh_token_hash == token_hash(refresh_token)))
        if item is None or not item.is_refresh_token_valid():
            return None
        # A refresh is a use of the login session, and an ended session mints nothing.
        if login_session.in_use(db.session.get(LoginSession, item.login_session_id)) is None:
            return None
        return item

    def authenticate_user(self, refresh_token: Token) -> LoginSession | None:
        return db.session.get(LoginSession, refresh_token.login_session_id)

    def revoke_old_credential(self, refresh_token: Token) -> None:
        stamp = int(now())
        refresh_token.access_token_revoked_at = stamp
        refresh_token.refresh_token_revoked_at = stamp
        db.session.commit()


class HashedBearerTokenValidator(BearerTokenValidator):
    """Bearer tokens (GET /auth/userinfo, DELETE /Session, the two-factor API) found by their hash."""

    def authenticate_token(self, token_string: str) -> Token | None:
        return db.session.scalar(select(Token).where(Token.access_token_hash == token_hash(token_string)))


def include_userinfo(grant: grants.BaseGrant) -> None:
    """Grant extension: the token response carries ``userinfo`` (what GET /auth/userinfo answers), as
    Aidbox's /auth/token does, so a client signs the user in without a second request."""
    grant.register_hook("after_create_token_response", _add_userinfo)


def _add_userinfo(grant: grants.BaseGrant, result: tuple[int, dict[str, Any], Any]) -> None:
    # Runs after save_token: the stored token never sees this key.
    _, token, _ = result
    token["userinfo"] = store.public_user(grant.request.user.user)


_registered = False


def config_oauth(app: Flask) -> None:
    """Bind the authorization server and the bearer-token protector to ``app``.

    Grants and the validator work through ``current_app``, so they are registered once per process
    even when tests create many apps.
    """
    global _registered
    authorization.init_app(app, query_client=query_client, save_token=save_token)
    if _registered:
        return
    from .openid import OpenIDCodeFlow
    from .password_grant import PasswordGrant

    authorization.register_grant(
        AuthorizationCodeGrant, [S256CodeChallenge(required=True), include_userinfo, OpenIDCodeFlow()]
    )
    authorization.register_grant(grants.ImplicitGrant)
    authorization.register_grant(RefreshTokenGrant, [include_userinfo])
    authorization.register_grant(PasswordGrant, [include_userinfo])
    require_oauth.register_token_validator(HashedBearerTokenValidator())
    authorization.register_endpoint(TokenIntrospection)
    _registered = True
