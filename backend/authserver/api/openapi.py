"""The OpenAPI 3 description of the auth server's JSON endpoints, served at /openapi.json.

The HTML forms (/auth/authorize, /auth/login, /auth/signup, /auth/two-factor...) are not in it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from backend.common.openapi import body, error, json_response, obj, ref, string, throttled

from .openapi_schemas import COMMON_ERRORS, SCHEMAS, id_param

bp = Blueprint("openapi", __name__)

RESOURCE_TYPES = ("AuthConfig", "Client", "AidboxConfig", "User")
ADMIN: list[dict[str, list]] = [{"adminBasic": []}]
BEARER: list[dict[str, list]] = [{"bearer": []}]
CLIENT: list[dict[str, list]] = [{"clientBasic": []}]


LOGIN_PATHS: dict[str, Any] = {
    "/api/login": {
        "post": {
            "summary": "Log in with email and password (FusionAuth style)",
            "requestBody": body(
                obj(
                    "loginId",
                    "password",
                    "applicationId",
                    loginId=string(320, description="The user's email"),
                    password=string(1024),
                    applicationId=string(128, description="A Client id"),
                )
            ),
            "responses": {
                "200": json_response(ref("LoginResponse"), "Signed in (two-factor off)"),
                "242": json_response(
                    ref("TwoFactorRequired"), "Two-factor on: complete with /api/two-factor/login"
                ),
                "403": error("unauthorized_client: the application has no grant that signs users in"),
                "404": error("Unknown login id or wrong password (the same answer for both)"),
                "429": throttled("Too many wrong passwords: try again after Retry-After seconds"),
                **COMMON_ERRORS,
            },
        }
    },
    "/api/two-factor/login": {
        "post": {
            "summary": "Complete a 242 login with a code",
            "requestBody": body(
                obj(
                    "twoFactorId",
                    "code",
                    "applicationId",
                    twoFactorId=string(128),
                    code=string(32, description="6 digits (spaces and dashes ignored) or a recovery code"),
                    applicationId=string(128),
                    ipAddress=string(64),
                )
            ),
            "responses": {
                "200": json_response(ref("LoginResponse"), "Signed in"),
                "403": error("unauthorized_client: the application has no grant that signs users in"),
                "404": error("The twoFactorId is unknown, used, expired or for another application"),
                "421": error(
                    "invalid_code, or code_already_used: the right code, but used a moment ago"
                    " (each code works once; wait for the next one)"
                ),
                "423": error("second_factor_locked: the daily cap of wrong codes was reached"),
                "429": throttled("Too many wrong codes: try again after Retry-After seconds"),
                **COMMON_ERRORS,
            },
        }
    },
    "/api/two-factor/secret": {
        "post": {
            "summary": "A new two-factor secret (nothing is stored)",
            "security": BEARER,
            "responses": {
                "200": json_response(
                    obj(
                        "secret",
                        "secretBase32Encoded",
                        secret={"type": "string", "description": "The raw secret, base64"},
                        secretBase32Encoded={"type": "string"},
                    ),
                    "The secret in both encodings",
                ),
                "401": error("No valid Bearer token"),
            },
        }
    },
    "/api/user/two-factor/{userId}": {
        "put": {
            "summary": "Enable two-factor with a secret and a current code from it",
            "security": [*BEARER, *ADMIN],
            "parameters": [id_param("userId")],
            "requestBody": body(
                obj(
                    "code",
                    code=string(32),
                    secret=string(128, description="base64 (as generated) or base32"),
                    secretBase32Encoded=string(128),
                    delivery={"type": "string", "enum": ["None", "email", "sms"]},
                )
            ),
            "responses": {
                "200": json_response(ref("PublicUser"), "Two-factor is on"),
                "401": error("No valid Bearer token or admin credentials"),
                "403": error("A user's token for another user"),
                "404": error("No such user"),
                **COMMON_ERRORS,
            },
        }
    },
}

SESSION_PATHS: dict[str, Any] = {
    "/auth/userinfo": {
        "get": {
            "summary": "The token's user, without secrets",
            "security": BEARER,
            "responses": {
                "200": json_response(ref("PublicUser"), "The user"),
                "401": error("Unknown, expired or revoked token"),
            },
        }
    },
    "/Session": {
        "delete": {
            "summary": "Log out: revoke the token and end its login session",
            "security": BEARER,
            "responses": {"204": {"description": "Logged out"}, "401": error("No valid token")},
        }
    },
    "/auth/token": {
        "post": {
            "summary": "OAuth 2.0 token endpoint (authorization_code + PKCE, refresh_token)",
            "description": "The answer also carries `userinfo`: what GET /auth/userinfo would answer for"
            " the token (as Aidbox's /auth/token does), so a client needs no second request.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": obj(
                            "grant_type",
                            grant_type={"type": "string", "enum": ["authorization_code", "refresh_token"]},
                            code={"type": "string"},
                            redirect_uri={"type": "string"},
                            code_verifier={"type": "string"},
                            refresh_token={"type": "string"},
                            client_id={"type": "string"},
                            client_secret={"type": "string"},
                        )
                    }
                },
            },
            "responses": {
                "200": json_response(ref("TokenResponse"), "Tokens"),
                "400": {"description": "OAuth error (RFC 6749 section 5.2)"},
                "401": {"description": "invalid_client"},
            },
        }
    },
    "/auth/introspect": {
        "post": {
            "summary": "OAuth 2.0 token introspection (RFC 7662): is a token active, and whose is it",
            "description": "For a resource server: it authenticates as its Client and learns the token's"
            " `client_id`, so it can refuse tokens issued to clients it does not trust.",
            "security": CLIENT,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": obj(
                            "token",
                            token={"type": "string"},
                            token_type_hint={"type": "string", "enum": ["access_token", "refresh_token"]},
                        )
                    }
                },
            },
            "responses": {
                "200": json_response(ref("Introspection"), "The token's state"),
                "400": {"description": "OAuth error (RFC 6749 section 5.2)"},
                "401": {"description": "invalid_client"},
            },
        }
    },
}


ADMIN_ERRORS = {"401": error("Admin Basic credentials required"), **COMMON_ERRORS}
NOT_FOUND = {"404": error("No such user")}


def _resource_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for resource_type in RESOURCE_TYPES:
        item: dict[str, Any] = {
            "parameters": [id_param()],
            "get": {
                "summary": f"Read a {resource_type}",
                "responses": {
                    "200": json_response(ref("Resource"), "The document"),
                    "404": error("Not found"),
                    **ADMIN_ERRORS,
                },
            },
            "put": {
                "summary": f"Create or replace a {resource_type}",
                "requestBody": body(ref("Resource")),
                "responses": {
                    "200": json_response(ref("Resource"), "Replaced"),
                    "201": json_response(ref("Resource"), "Created"),
                    "409": error("Email taken (User)"),
                    **ADMIN_ERRORS,
                },
            },
        }
        if resource_type == "User":
            item["patch"] = {
                "summary": "JSON merge patch (RFC 7396) of a User",
                "requestBody": body(ref("Resource")),
                "responses": {
                    "200": json_response(ref("Resource"), "Patched"),
                    "404": error("Not found"),
                    "409": error("Email taken"),
                    **ADMIN_ERRORS,
                },
            }
        paths[f"/{resource_type}/{{id}}"] = item
    paths["/User"] = {
        "get": {
            "summary": "Users by email (a Bundle)",
            "parameters": [{"name": "email", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": json_response(ref("Resource"), "A Bundle"), **ADMIN_ERRORS},
        }
    }
    for item in paths.values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation["security"] = ADMIN
    return paths


def _user_operation(
    summary: str, responses: dict[str, Any], request: dict[str, Any] | None = None
) -> dict[str, Any]:
    operation = {
        "summary": summary,
        "security": ADMIN,
        "parameters": [id_param("userId")],
        "responses": {**responses, **NOT_FOUND, **ADMIN_ERRORS},
    }
    if request is not None:
        operation["requestBody"] = body(request)
    return operation


#: What the backend app calls so that passwords and codes are checked here, under the throttle.
USER_OPERATION_PATHS: dict[str, Any] = {
    "/User/{userId}/$check-password": {
        "post": _user_operation(
            "Check a user's password (throttled per account and address)",
            {
                "200": json_response(ref("Valid"), "The password is right"),
                "422": error("invalid_password, or the password is missing or too long"),
                "429": throttled("Too many wrong passwords: try again after Retry-After seconds"),
            },
            obj("password", password=string(1024)),
        )
    },
    "/User/{userId}/$verify-totp": {
        "post": _user_operation(
            "Check a current code of the user's (pending or enabled) secret; each code is valid once",
            {
                "200": json_response(ref("Valid"), "The code is right (its time step is now used)"),
                "422": error(
                    "invalid_code, code_already_used (right, but its time step is spent: wait for the"
                    " next code), nothing_pending (no secret), or the code is missing or too long"
                ),
                "423": error("second_factor_locked: the daily cap of wrong codes was reached"),
                "429": throttled("Too many wrong codes: try again after Retry-After seconds"),
            },
            obj("code", code=string(32, description="6 digits")),
        )
    },
    "/User/{userId}/$recovery-codes": {
        "get": _user_operation(
            "How many unused recovery codes the user has",
            {
                "200": json_response(
                    obj("remaining", remaining={"type": "integer", "minimum": 0, "maximum": 10}),
                    "The count",
                )
            },
        ),
        "post": _user_operation(
            "Ten new single-use recovery codes; the earlier set stops working",
            {
                "200": json_response(ref("RecoveryCodes"), "The new codes"),
                "422": error("two_factor_off"),
            },
            {"type": "object", "description": "Empty: {}"},
        ),
    },
    "/User/{userId}/$lockout": {
        "delete": _user_operation(
            "Clear the user's throttle (codes and passwords), unlock their codes",
            {"204": {"description": "Cleared"}},
        )
    },
    "/AuditEvent": {
        "get": {
            "summary": "Audit events (two-factor on/off, recovery codes, lockouts), newest first",
            "parameters": [
                {"name": "user", "in": "query", "description": "A User id", "schema": {"type": "string"}}
            ],
            "security": ADMIN,
            "responses": {"200": json_response(ref("AuditEventBundle"), "A Bundle"), **ADMIN_ERRORS},
        }
    },
}


def description(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Two-factor demo auth server", "version": "1.0"},
        "servers": [{"url": server_url}],
        "paths": {**LOGIN_PATHS, **SESSION_PATHS, **_resource_paths(), **USER_OPERATION_PATHS},
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "adminBasic": {"type": "http", "scheme": "basic", "description": "The admin client"},
                "bearer": {"type": "http", "scheme": "bearer", "description": "A user's access token"},
                "clientBasic": {"type": "http", "scheme": "basic", "description": "A Client and its secret"},
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """This description."""
    return jsonify(description(current_app.config["AUTH_SERVER_URL"]))
