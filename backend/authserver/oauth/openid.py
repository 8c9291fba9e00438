"""OpenID Connect as Aidbox serves it: discovery at ``/.well-known/openid-configuration``, the signing
key at ``/.well-known/jwks.json``, and an RS256 ``id_token`` beside the tokens of an authorization code
exchange whose scope has ``openid`` (Authlib's ``OpenIDCode`` grant extension). An OpenID Connect client
configured with the issuer URL (``AUTH_SERVER_URL``), its client id and secret signs users in.

The ``nonce`` of the authorize request is kept with the code and returned in the ``id_token`` (the
client checks it); a nonce this client already used with a code that is still waiting is refused.

The signing key is an RSA key made on first use and kept in the database (``signing_keys``), its PEM
encrypted with AUTH_ENCRYPTION_KEY like the users' TOTP secrets, so every worker and instance signs with
the same key and a restart keeps it: ID tokens issued before it still verify. Only the public half is
ever served.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749 import scope_to_list
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Blueprint, Response, current_app, jsonify, url_for
from joserfc.jwk import RSAKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import AuthorizationCode, LoginSession, SigningKey, now
from ..secret_box import secret_box

bp = Blueprint("openid", __name__)

ALGORITHM = "RS256"
#: The signing_keys row of the key that signs ID tokens.
ID_TOKEN_KEY = "id_token"  # noqa: S105 (a row name, not a secret)
ID_TOKEN_SECONDS = 3600
RSA_BITS = 2048


def signing_key() -> RSAKey:
    """The key that signs ID tokens, read once per process (made and stored by the first one to need it)."""
    key = current_app.extensions.get("id_token_key")
    if key is None:
        key = current_app.extensions["id_token_key"] = _stored_key(db.session.get(SigningKey, ID_TOKEN_KEY))
    return key


def _stored_key(row: SigningKey | None) -> RSAKey:
    if row is None:
        row = _new_key()
    parameters = {"kid": row.kid, "use": "sig", "alg": ALGORITHM}
    return RSAKey.import_key(secret_box().decrypt(row.encrypted_pem), parameters=parameters)


def _new_key() -> SigningKey:
    key = RSAKey.generate_key(RSA_BITS, private=True, auto_kid=True)
    row = SigningKey(
        use=ID_TOKEN_KEY,
        kid=key.kid,
        created_at=now(),
        encrypted_pem=secret_box().encrypt(key.as_pem(private=True).decode("ascii")),
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        # Another worker stored its key a moment before: that one is the key.
        db.session.rollback()
        return db.session.scalars(select(SigningKey).where(SigningKey.use == ID_TOKEN_KEY)).one()
    return row


def issuer() -> str:
    return current_app.config["AUTH_SERVER_URL"]


class OpenIDCodeFlow(OpenIDCode):
    """``id_token`` for ``scope=openid`` in the authorization code flow, signed RS256 with the stored key."""

    def resolve_client_private_key(self, client: Any) -> RSAKey:
        return signing_key()

    def get_client_algorithm(self, client: Any) -> str:
        return ALGORITHM

    def get_encode_header(self, client: Any) -> dict[str, str]:
        return {"alg": ALGORITHM, "kid": signing_key().kid}

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        # The app's clock, not Authlib's time.time(): tests move it.
        issued = int(now())
        audience = [client.get_client_id()]
        return {"iss": issuer(), "aud": audience, "iat": issued, "exp": issued + ID_TOKEN_SECONDS}

    def get_authorization_code_claims(self, authorization_code: AuthorizationCode) -> dict[str, Any]:
        claims = super().get_authorization_code_claims(authorization_code)
        login: LoginSession | None = authorization_code.login_session
        if login is not None:
            claims["auth_time"] = int(login.created_at)  # when the password was accepted
        return claims

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        waiting = select(AuthorizationCode.id).where(
            AuthorizationCode.client_id == request.payload.client_id, AuthorizationCode.nonce == nonce
        )
        return db.session.scalar(waiting.limit(1)) is not None

    def generate_user_info(self, user: LoginSession, scope: str) -> UserInfo:
        info = UserInfo(sub=user.user_id)
        if "email" in scope_to_list(scope):
            info["email"] = user.user.email
        return info


@bp.get("/.well-known/openid-configuration")
def configuration() -> Response:
    """OpenID Provider Metadata (OpenID Connect Discovery 1.0): where everything is, what is supported."""
    base = issuer()
    return jsonify(
        issuer=base,
        authorization_endpoint=base + url_for("oauth.authorize"),
        token_endpoint=base + url_for("oauth.issue_token"),
        userinfo_endpoint=base + url_for("oauth.userinfo"),
        introspection_endpoint=base + url_for("oauth.introspect"),
        jwks_uri=base + url_for("openid.jwks"),
        response_types_supported=["code", "token"],
        response_modes_supported=["query", "fragment"],
        grant_types_supported=["authorization_code", "implicit", "refresh_token", "password"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=[ALGORITHM],
        scopes_supported=["openid", "email"],
        claims_supported=["sub", "email", "iss", "aud", "exp", "iat", "auth_time", "nonce"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported=["S256"],
    )


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    """The public half of the signing key (RFC 7517)."""
    return jsonify(keys=[signing_key().as_dict(private=False)])
