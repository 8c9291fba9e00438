"""The OpenAPI 3 description of the auth server's JSON endpoints, served at /openapi.json.

The HTML forms (/auth/authorize, /auth/login, /auth/signup, /auth/two-factor...) are not in it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

bp = Blueprint("openapi", __name__)

RESOURCE_TYPES = ("AuthConfig", "Client", "AidboxConfig", "User")
ADMIN: list[dict[str, list]] = [{"adminBasic": []}]
BEARER: list[dict[str, list]] = [{"bearer": []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _strings(*required: str, **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


def _string(max_length: int = 256, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length, **extra}


def _id_param(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


COMMON_ERRORS = {
    "400": _error("Malformed JSON"),
    "413": _error("Body over 64 KiB"),
    "415": _error("The body is not application/json"),
    "422": _error("A field is missing or invalid (error.field names it)"),
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": _strings(
                "code",
                "message",
                code={"type": "string"},
                message={"type": "string"},
                field={"type": "string"},
            )
        },
    },
    "PublicUser": {
        "type": "object",
        "required": ["id", "email", "twoFactor"],
        "properties": {
            "id": {"type": "string"},
            "email": {"type": "string"},
            "phoneNumber": {"type": "string"},
            "twoFactor": {
                "type": "object",
                "required": ["enabled"],
                "properties": {
                    "enabled": {"type": "boolean"},
                    "transport": {"type": "string", "enum": ["email", "sms"]},
                },
            },
        },
    },
    "LoginResponse": {
        "type": "object",
        "required": ["token", "tokenType", "tokenExpirationInstant", "user"],
        "properties": {
            "token": {"type": "string", "description": "Bearer access token"},
            "tokenType": {"type": "string", "enum": ["Bearer"]},
            "refreshToken": {
                "type": "string",
                "description": "Only for clients with the refresh_token grant",
            },
            "tokenExpirationInstant": {"type": "integer", "description": "Unix time in milliseconds"},
            "user": _ref("PublicUser"),
        },
    },
    "TwoFactorRequired": {
        "type": "object",
        "required": ["twoFactorId", "methods"],
        "properties": {
            "twoFactorId": {
                "type": "string",
                "description": "Single use, 5 minutes, bound to the application",
            },
            "methods": {
                "type": "array",
                "items": _strings(
                    "method", method={"type": "string", "enum": ["authenticator", "email", "sms"]}
                ),
            },
            "codeSent": {
                "type": "boolean",
                "description": "email/sms users: whether the webhook took the code",
            },
        },
    },
    "Resource": {"type": "object", "additionalProperties": True},
    "TokenResponse": {
        "type": "object",
        "required": ["access_token", "token_type"],
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string"},
            "expires_in": {"type": "integer"},
            "refresh_token": {"type": "string"},
        },
    },
}

LOGIN_PATHS: dict[str, Any] = {
    "/api/login": {
        "post": {
            "summary": "Log in with email and password (FusionAuth style)",
            "requestBody": _body(
                _strings(
                    "loginId",
                    "password",
                    "applicationId",
                    loginId=_string(320, description="The user's email"),
                    password=_string(1024),
                    applicationId=_string(128, description="A Client id"),
                )
            ),
            "responses": {
                "200": _json(_ref("LoginResponse"), "Signed in (two-factor off)"),
                "242": _json(_ref("TwoFactorRequired"), "Two-factor on: complete with /api/two-factor/login"),
                "404": _error("Unknown login id or wrong password (the same answer for both)"),
                "429": _error("Too many wrong passwords: try again after Retry-After seconds"),
                **COMMON_ERRORS,
            },
        }
    },
    "/api/two-factor/login": {
        "post": {
            "summary": "Complete a 242 login with a code",
            "requestBody": _body(
                _strings(
                    "twoFactorId",
                    "code",
                    "applicationId",
                    twoFactorId=_string(128),
                    code=_string(32, description="6 digits"),
                    applicationId=_string(128),
                    ipAddress=_string(64),
                )
            ),
            "responses": {
                "200": _json(_ref("LoginResponse"), "Signed in"),
                "404": _error("The twoFactorId is unknown, used, expired or for another application"),
                "421": _error("The code is not valid"),
                "429": _error("Too many wrong codes: try again after Retry-After seconds"),
                **COMMON_ERRORS,
            },
        }
    },
    "/api/two-factor/secret": {
        "post": {
            "summary": "A new two-factor secret (nothing is stored)",
            "security": BEARER,
            "responses": {
                "200": _json(
                    _strings(
                        "secret",
                        "secretBase32Encoded",
                        secret={"type": "string", "description": "The raw secret, base64"},
                        secretBase32Encoded={"type": "string"},
                    ),
                    "The secret in both encodings",
                ),
                "401": _error("No valid Bearer token"),
            },
        }
    },
    "/api/user/two-factor/{userId}": {
        "put": {
            "summary": "Enable two-factor with a secret and a current code from it",
            "security": [*BEARER, *ADMIN],
            "parameters": [_id_param("userId")],
            "requestBody": _body(
                _strings(
                    "code",
                    code=_string(32),
                    secret=_string(128, description="base64 (as generated) or base32"),
                    secretBase32Encoded=_string(128),
                    delivery={"type": "string", "enum": ["None", "email", "sms"]},
                )
            ),
            "responses": {
                "200": _json(_ref("PublicUser"), "Two-factor is on"),
                "401": _error("No valid Bearer token or admin credentials"),
                "403": _error("A user's token for another user"),
                "404": _error("No such user"),
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
                "200": _json(_ref("PublicUser"), "The user"),
                "401": _error("Unknown, expired or revoked token"),
            },
        }
    },
    "/Session": {
        "delete": {
            "summary": "Log out: revoke the token and end its login session",
            "security": BEARER,
            "responses": {"204": {"description": "Logged out"}, "401": _error("No valid token")},
        }
    },
    "/auth/token": {
        "post": {
            "summary": "OAuth 2.0 token endpoint (authorization_code + PKCE, refresh_token)",
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": _strings(
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
                "200": _json(_ref("TokenResponse"), "Tokens"),
                "400": {"description": "OAuth error (RFC 6749 section 5.2)"},
                "401": {"description": "invalid_client"},
            },
        }
    },
}


def _resource_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    admin_errors = {"401": _error("Admin Basic credentials required"), **COMMON_ERRORS}
    for resource_type in RESOURCE_TYPES:
        item: dict[str, Any] = {
            "parameters": [_id_param()],
            "get": {
                "summary": f"Read a {resource_type}",
                "responses": {
                    "200": _json(_ref("Resource"), "The document"),
                    "404": _error("Not found"),
                    **admin_errors,
                },
            },
            "put": {
                "summary": f"Create or replace a {resource_type}",
                "requestBody": _body(_ref("Resource")),
                "responses": {
                    "200": _json(_ref("Resource"), "Replaced"),
                    "201": _json(_ref("Resource"), "Created"),
                    "409": _error("Email taken (User)"),
                    **admin_errors,
                },
            },
        }
        if resource_type == "User":
            item["patch"] = {
                "summary": "JSON merge patch (RFC 7396) of a User",
                "requestBody": _body(_ref("Resource")),
                "responses": {
                    "200": _json(_ref("Resource"), "Patched"),
                    "404": _error("Not found"),
                    "409": _error("Email taken"),
                    **admin_errors,
                },
            }
        paths[f"/{resource_type}/{{id}}"] = item
    paths["/User"] = {
        "get": {
            "summary": "Users by email (a Bundle)",
            "parameters": [{"name": "email", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json(_ref("Resource"), "A Bundle"), **admin_errors},
        }
    }
    paths["/User/{id}/$check-password"] = {
        "post": {
            "summary": "Check a user's password",
            "parameters": [_id_param()],
            "requestBody": _body(_strings("password", password=_string(1024))),
            "responses": {
                "200": _json(_strings("valid", valid={"type": "boolean"}), "The password is right"),
                "404": _error("Not found"),
                **admin_errors,
            },
        }
    }
    for path in paths.values():
        for operation in path.values():
            if isinstance(operation, dict):
                operation["security"] = ADMIN
    return paths


def description(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Two-factor demo auth server", "version": "1.0"},
        "servers": [{"url": server_url}],
        "paths": {**LOGIN_PATHS, **SESSION_PATHS, **_resource_paths()},
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "adminBasic": {"type": "http", "scheme": "basic", "description": "The admin client"},
                "bearer": {"type": "http", "scheme": "bearer", "description": "A user's access token"},
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """This description."""
    return jsonify(description(current_app.config["AUTH_SERVER_URL"]))
