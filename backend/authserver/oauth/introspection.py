"""Token introspection (RFC 7662) at POST /auth/introspect, as Aidbox offers it.

A resource server (the backend app) authenticates with its own client credentials and asks about a
Bearer token it was handed; the answer says whether the token is active and, when it is, which client
it was issued to (``client_id``) and for which user (``sub``). The resource server then accepts only
tokens of the clients it trusts: /auth/userinfo alone would vouch for a token of any client.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from ..extensions import require_oauth
from ..models import Token


class TokenIntrospection(IntrospectionEndpoint):
    """Access tokens only: a refresh token (or anything else) answers ``{"active": false}``."""

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        # The same look-up as a Bearer call (GET /auth/userinfo), so both always agree on a token.
        return require_oauth.get_token_validator("bearer").authenticate_token(token_string)

    def check_permission(self, token: Token, client: Any, request: Any) -> bool:
        """Any authenticated client may ask: the answer names the token's client, so the caller can
        refuse a token that was not issued to a client it trusts."""
        return True

    def introspect_token(self, token: Token) -> dict[str, Any]:
        answer = {
            "active": True,
            "client_id": token.client_id,
            "sub": token.user_id,
            "token_type": token.token_type,
            "scope": token.get_scope() or "",
            "iat": token.issued_at,
        }
        if token.expires_in:
            answer["exp"] = token.issued_at + token.expires_in
        return answer
