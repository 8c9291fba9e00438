"""The token and introspection requests and answers as pydantic models, for /openapi.json only:
Authlib reads the forms and writes the answers (oauth/server.py, oauth/introspection.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ..api.schemas import PublicUser

#: A form field that may be left out (a form has no null).
Optional = str | SkipJsonSchema[None]


class TokenForm(BaseModel):
    grant_type: Literal["authorization_code", "refresh_token", "password"]
    code: Optional = None
    redirect_uri: Optional = None
    code_verifier: Optional = Field(None, description="PKCE (S256)")
    refresh_token: Optional = None
    username: Optional = Field(None, description="password grant: the user's email")
    password: Optional = Field(None, description="password grant")
    client_id: Optional = None
    client_secret: Optional = None


class TokenResponse(BaseModel):
    access_token: str
    token_type: str
    expires_in: int | None = None
    refresh_token: str | None = None
    userinfo: PublicUser | None = Field(
        None, description="What GET /auth/userinfo answers for the token (as Aidbox's /auth/token does)"
    )


class IntrospectionForm(BaseModel):
    token: str
    token_type_hint: Literal["access_token", "refresh_token"] | SkipJsonSchema[None] = None


class Introspection(BaseModel):
    """RFC 7662 section 2.2; an inactive token answers ``{"active": false}`` and nothing else."""

    active: bool
    client_id: str | None = None
    sub: str | None = None
    token_type: str | None = None
    scope: str | None = None
    iat: int | None = None
    exp: int | None = None
