"""The component schemas and shared answers of the auth server's OpenAPI description."""

from __future__ import annotations

from typing import Any

from backend.common.openapi import error, obj, ref


def id_param(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


COMMON_ERRORS = {
    "400": error("Malformed JSON"),
    "413": error("Body over 64 KiB"),
    "415": error("The body is not application/json"),
    "422": error("A field is missing or invalid (error.field names it)"),
}

#: ``xxxx-xxxx`` from an alphabet without 0/o, 1/l/i (recovery_codes.ALPHABET).
RECOVERY_CODE = {"type": "string", "pattern": "^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$"}
AUDIT_EVENT_TYPES = [
    "two-factor-enabled",
    "two-factor-disabled",
    "recovery-code-used",
    "recovery-codes-generated",
    "lockout",
    "lockout-cleared",
]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": obj(
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
            "user": ref("PublicUser"),
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
                "items": obj("method", method={"type": "string", "enum": ["authenticator", "email", "sms"]}),
            },
            "codeSent": {
                "type": "boolean",
                "description": "email/sms users: whether the webhook took the code",
            },
        },
    },
    "Resource": {"type": "object", "additionalProperties": True},
    "Valid": obj("valid", valid={"type": "boolean", "enum": [True]}),
    "RecoveryCodes": obj(
        "recoveryCodes",
        recoveryCodes={
            "type": "array",
            "items": RECOVERY_CODE,
            "minItems": 10,
            "maxItems": 10,
            "description": "Shown once; only keyed hashes are stored",
        },
    ),
    "AuditEvent": obj(
        "resourceType",
        "id",
        "type",
        "user",
        "recorded",
        "ip",
        resourceType={"type": "string", "enum": ["AuditEvent"]},
        id={"type": "string"},
        type={"type": "string", "enum": AUDIT_EVENT_TYPES},
        user={"type": "string", "description": "The User id"},
        recorded={"type": "string", "format": "date-time"},
        ip={"type": "string", "nullable": True, "description": "The end user's address"},
    ),
    "AuditEventBundle": obj(
        "resourceType",
        "type",
        "total",
        "entry",
        resourceType={"type": "string", "enum": ["Bundle"]},
        type={"type": "string", "enum": ["searchset"]},
        total={"type": "integer", "minimum": 0, "maximum": 1000},
        entry={
            "type": "array",
            "description": "Newest first, at most 1000",
            "items": obj("resource", resource=ref("AuditEvent")),
        },
    ),
    "TokenResponse": {
        "type": "object",
        "required": ["access_token", "token_type"],
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string"},
            "expires_in": {"type": "integer"},
            "refresh_token": {"type": "string"},
            # The token's user, as GET /auth/userinfo answers it (as Aidbox's /auth/token does).
            "userinfo": ref("PublicUser"),
        },
    },
    # RFC 7662 section 2.2; an inactive token answers {"active": false} and nothing else.
    "Introspection": {
        "type": "object",
        "required": ["active"],
        "properties": {
            "active": {"type": "boolean"},
            "client_id": {"type": "string"},
            "sub": {"type": "string"},
            "token_type": {"type": "string"},
            "scope": {"type": "string"},
            "iat": {"type": "integer"},
            "exp": {"type": "integer"},
        },
    },
}
