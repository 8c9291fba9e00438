"""The OpenAPI 3.1 description of the auth server's JSON endpoints, served at /openapi.json.

Every body and answer is the pydantic model its view reads or writes (declared beside the view), so
a limit is written once; this module lays out the paths, their statuses and who may call them. The
HTML forms (/auth/authorize, /auth/login, /auth/signup, /auth/two-factor...) are not in it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel

from backend.common.errors import Error
from backend.common.openapi import component_schemas, error, json_response, ref, throttled

from ..audit import AuditEventBundle
from ..oauth.messages import Introspection, IntrospectionForm, TokenForm, TokenResponse
from . import schemas
from .admin_trusted_browsers import TrustedBrowsers
from .admin_two_factor import CodeCheckBody, NoBody, RecoveryCodes, RemainingRecoveryCodes, Valid
from .login import LoginBody, LoginResponse, TwoFactorLoginBody, TwoFactorRequired
from .resources import MAX_COUNT, PasswordCheckBody, UserBundle
from .two_factor import EnableTwoFactorBody, GeneratedSecret

#: A trusted browser's id: a database INTEGER (the routes answer 404 beyond it).
BROWSER_ID = {"type": "integer", "minimum": 0, "maximum": 2_147_483_647}

bp = Blueprint("openapi", __name__)

ADMIN: list[dict[str, list]] = [{"adminBasic": []}]
BEARER: list[dict[str, list]] = [{"bearer": []}]
CLIENT: list[dict[str, list]] = [{"clientBasic": []}]

COMMON_ERRORS = {
    "400": error("Malformed JSON"),
    "413": error("Body over 64 KiB"),
    "415": error("The body is not application/json (or YAML, for resource documents)"),
    "422": error("missing_field, unknown_field or invalid_field: error.field names it"),
}
ADMIN_ERRORS = {"401": error("Admin Basic credentials required"), **COMMON_ERRORS}
NOT_FOUND = {"404": error("No such user")}
SIGN_IN_REFUSED = {"403": error("unauthorized_client: the application has no grant that signs users in")}


def _schema(model: type[BaseModel]) -> dict[str, str]:
    return ref(model.__name__)


def _body(model: type[BaseModel], media_type: str = "application/json") -> dict[str, Any]:
    return {"required": True, "content": {media_type: {"schema": _schema(model)}}}


def _answer(model: type[BaseModel], description: str) -> dict[str, Any]:
    return json_response(_schema(model), description)


def _id_param(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


LOGIN_PATHS: dict[str, Any] = {
    "/api/login": {
        "post": {
            "summary": "Log in with email and password (FusionAuth style)",
            "requestBody": _body(LoginBody),
            "responses": {
                "200": _answer(LoginResponse, "Signed in (two-factor off)"),
                "242": _answer(TwoFactorRequired, "Two-factor on: complete with /api/two-factor/login"),
                "403": error(
                    "unauthorized_client: the application has no grant that signs users in;"
                    " two_factor_setup_required: AuthConfig.twoFactor.required and the user has none yet;"
                    " passkey_required: required, and the user's only second factor is a passkey"
                ),
                "404": error("Unknown login id or wrong password (the same answer for both)"),
                "429": throttled("Too many wrong passwords: try again after Retry-After seconds"),
                **COMMON_ERRORS,
            },
        }
    },
    "/api/two-factor/login": {
        "post": {
            "summary": "Complete a 242 login with a code",
            "requestBody": _body(TwoFactorLoginBody),
            "responses": {
                "200": _answer(LoginResponse, "Signed in"),
                **SIGN_IN_REFUSED,
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
                "200": _answer(GeneratedSecret, "The secret in both encodings"),
                "401": error("No valid Bearer token"),
            },
        }
    },
    "/api/user/two-factor/{userId}": {
        "put": {
            "summary": "Enable two-factor with a secret and a current code from it",
            "security": [*BEARER, *ADMIN],
            "parameters": [_id_param("userId")],
            "requestBody": _body(EnableTwoFactorBody),
            "responses": {
                "200": _answer(schemas.PublicUser, "Two-factor is on"),
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
                "200": _answer(schemas.PublicUser, "The user"),
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
            "summary": "OAuth 2.0 token endpoint (authorization_code + PKCE, refresh_token, password)",
            "description": "The answer also carries `userinfo`: what GET /auth/userinfo would answer for"
            " the token (as Aidbox's /auth/token does), so a client needs no second request. The password"
            " grant is for Clients whose `grant_types` list it; a user with two-factor on gets 403"
            " `mfa_required` instead of a token.",
            "requestBody": _body(TokenForm, "application/x-www-form-urlencoded"),
            "responses": {
                "200": _answer(TokenResponse, "Tokens"),
                "400": {"description": "OAuth error (RFC 6749 section 5.2)"},
                "401": {"description": "invalid_client"},
                "403": {"description": "mfa_required: the password was right; two-factor is on"},
                "429": {"description": "too_many_attempts (password grant), with Retry-After"},
            },
        }
    },
    "/auth/introspect": {
        "post": {
            "summary": "OAuth 2.0 token introspection (RFC 7662): is a token active, and whose is it",
            "description": "For a resource server: it authenticates as its Client and learns the token's"
            " `client_id`, so it can refuse tokens issued to clients it does not trust.",
            "security": CLIENT,
            "requestBody": _body(IntrospectionForm, "application/x-www-form-urlencoded"),
            "responses": {
                "200": _answer(Introspection, "The token's state"),
                "400": {"description": "OAuth error (RFC 6749 section 5.2)"},
                "401": {"description": "invalid_client"},
            },
        }
    },
}

#: A merge patch is any part of a User: what it may hold is checked on the merged document.
USER_PATCH = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "JSON merge patch (RFC 7396): the attributes to change, null to remove one;"
                " the merged document must be a valid User",
            }
        }
    },
}


#: Documents are read and answered as JSON or, as the Aidbox docs write them, YAML; errors stay JSON.
DOCUMENT_TYPES = ("application/json", "text/yaml", "application/yaml")
FORMAT_PARAM = {
    "name": "_format",
    "in": "query",
    "description": "yaml: read the body as YAML and answer in YAML (as does Accept: text/yaml)",
    "schema": {"enum": ["json", "yaml"]},
}
USER_SEARCH_PARAMS = [
    {"name": "email", "in": "query", "schema": {"type": "string"}},
    {
        "name": "_id",
        "in": "query",
        "description": "One User id or several, comma-separated",
        "schema": {"type": "string"},
    },
    {
        "name": "_count",
        "in": "query",
        "description": "At most this many entries (total counts every match)",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
    },
]


def _document_body(model: type[BaseModel]) -> dict[str, Any]:
    return {"required": True, "content": {media: {"schema": _schema(model)} for media in DOCUMENT_TYPES}}


def _document_answer(model: type[BaseModel], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {media: {"schema": _schema(model)} for media in DOCUMENT_TYPES[:2]},
        **extra,
    }


def _resource_path(resource_type: str, document: type[BaseModel]) -> dict[str, Any]:
    email_taken = {"409": error("Another user already has this email")} if resource_type == "User" else {}
    not_found = {"404": error("Not found")}
    return {
        "parameters": [_id_param(), FORMAT_PARAM],
        "get": {
            "summary": f"Read a {resource_type}",
            "responses": {"200": _document_answer(document, "The document"), **not_found, **ADMIN_ERRORS},
        },
        "put": {
            "summary": f"Create or replace a {resource_type}",
            "requestBody": _document_body(document),
            "responses": {
                "200": _document_answer(document, "Replaced"),
                "201": _document_answer(document, "Created"),
                **email_taken,
                **ADMIN_ERRORS,
            },
        },
        "delete": {
            "summary": f"Delete a {resource_type} (a User with its sessions, tokens and codes)",
            "responses": {
                "200": _document_answer(document, "The deleted document"),
                **not_found,
                **ADMIN_ERRORS,
            },
        },
    }


def _create_path(resource_type: str, document: type[BaseModel]) -> dict[str, Any]:
    location = {"Location": {"schema": {"type": "string"}, "description": f"/{resource_type}/<id>"}}
    taken = "The id is taken" + (
        ", or another user already has this email" if resource_type == "User" else ""
    )
    return {
        "parameters": [FORMAT_PARAM],
        "post": {
            "summary": f"Create a {resource_type} (the body's id, or a generated one)",
            "requestBody": _document_body(document),
            "responses": {
                "201": _document_answer(document, "Created", headers=location),
                "409": error(taken),
                **ADMIN_ERRORS,
            },
        },
    }


def _resource_paths() -> dict[str, Any]:
    paths = {}
    for resource_type, document in schemas.DOCUMENTS.items():
        paths[f"/{resource_type}/{{id}}"] = _resource_path(resource_type, document)
        paths[f"/{resource_type}"] = _create_path(resource_type, document)
    paths["/User/{id}"]["patch"] = {
        "summary": "JSON merge patch (RFC 7396) of a User",
        "requestBody": USER_PATCH,
        "responses": {
            "200": _document_answer(schemas.User, "Patched"),
            "404": error("Not found"),
            "409": error("Another user already has this email"),
            **ADMIN_ERRORS,
        },
    }
    paths["/User"]["get"] = {
        "summary": "Users by email and _id, at most _count (a Bundle); other _ parameters are ignored",
        "parameters": USER_SEARCH_PARAMS,
        "responses": {"200": _document_answer(UserBundle, "A Bundle"), **ADMIN_ERRORS},
    }
    for item in paths.values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation["security"] = ADMIN
    return paths


def _user_operation(
    summary: str, responses: dict[str, Any], request: type[BaseModel] | None = None
) -> dict[str, Any]:
    operation = {
        "summary": summary,
        "security": ADMIN,
        "parameters": [_id_param("userId")],
        "responses": {**responses, **NOT_FOUND, **ADMIN_ERRORS},
    }
    if request is not None:
        operation["requestBody"] = _body(request)
    return operation


def _one_browser(operation: dict[str, Any]) -> dict[str, Any]:
    """``operation`` on one of the user's trusted browsers, named by its integer id."""
    browser = {"name": "browserId", "in": "path", "required": True, "schema": BROWSER_ID}
    return {
        **operation,
        "parameters": [*operation["parameters"], browser],
        "responses": {
            **operation["responses"],
            "204": {"description": "Ended"},
            "404": error("No such user, or no such trusted browser of theirs"),
        },
    }


#: What the backend app calls so that passwords and codes are checked here, under the throttle.
USER_OPERATION_PATHS: dict[str, Any] = {
    "/User/{userId}/$check-password": {
        "post": _user_operation(
            "Check a user's password (throttled per account and address)",
            {
                "200": _answer(Valid, "The password is right"),
                "422": error("invalid_password, or the password is missing or too long"),
                "429": throttled("Too many wrong passwords: try again after Retry-After seconds"),
            },
            PasswordCheckBody,
        )
    },
    "/User/{userId}/$verify-totp": {
        "post": _user_operation(
            "Check a current code of the user's (pending or enabled) secret; each code is valid once",
            {
                "200": _answer(Valid, "The code is right (its time step is now used)"),
                "422": error(
                    "invalid_code, code_already_used (right, but its time step is spent: wait for the"
                    " next code), nothing_pending (no secret), or the code is missing or too long"
                ),
                "423": error("second_factor_locked: the daily cap of wrong codes was reached"),
                "429": throttled("Too many wrong codes: try again after Retry-After seconds"),
            },
            CodeCheckBody,
        )
    },
    "/User/{userId}/$recovery-codes": {
        "get": _user_operation(
            "How many unused recovery codes the user has",
            {"200": _answer(RemainingRecoveryCodes, "The count")},
        ),
        "post": _user_operation(
            "Ten new single-use recovery codes; the earlier set stops working",
            {
                "200": _answer(RecoveryCodes, "The new codes"),
                "422": error("two_factor_off, or a field in the empty body"),
            },
            NoBody,
        ),
    },
    "/User/{userId}/$lockout": {
        "delete": _user_operation(
            "Clear the user's throttle (codes and passwords), unlock their codes",
            {"204": {"description": "Cleared"}},
        )
    },
    "/User/{userId}/$reset-two-factor": {
        "post": _user_operation(
            "Remove every second factor of the user (secret, passkeys, recovery codes, trusted"
            " browsers, the lock); the password stays",
            {"204": {"description": "Reset"}, "422": error("A field in the empty body")},
            NoBody,
        )
    },
    "/User/{userId}/$trusted-browsers": {
        "get": _user_operation(
            'The browsers that skip the second factor now ("Don\'t ask again on this browser")',
            {"200": _answer(TrustedBrowsers, "Label, when trusted, last used, when trust ends")},
        ),
        "delete": _user_operation(
            "Every trusted browser asks for the second factor again", {"204": {"description": "Ended"}}
        ),
    },
    "/User/{userId}/$trusted-browsers/{browserId}": {
        "delete": _one_browser(_user_operation("That trusted browser asks for the second factor again", {}))
    },
    "/AuditEvent": {
        "get": {
            "summary": "Audit events (two-factor on/off, recovery codes, lockouts), newest first",
            "parameters": [
                {"name": "user", "in": "query", "description": "A User id", "schema": {"type": "string"}}
            ],
            "security": ADMIN,
            "responses": {"200": _answer(AuditEventBundle, "A Bundle"), **ADMIN_ERRORS},
        }
    },
}

#: Every model the paths name; the models they hold (PublicUser in LoginResponse...) come along.
SCHEMAS = component_schemas(
    Error,
    LoginBody,
    LoginResponse,
    TwoFactorRequired,
    TwoFactorLoginBody,
    GeneratedSecret,
    EnableTwoFactorBody,
    schemas.PublicUser,
    TokenForm,
    TokenResponse,
    IntrospectionForm,
    Introspection,
    *schemas.DOCUMENTS.values(),
    UserBundle,
    PasswordCheckBody,
    CodeCheckBody,
    NoBody,
    Valid,
    RecoveryCodes,
    RemainingRecoveryCodes,
    TrustedBrowsers,
    AuditEventBundle,
)


def description(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
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
