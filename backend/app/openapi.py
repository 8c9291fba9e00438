"""The OpenAPI 3 description of the app's JSON API (/api/*) and webhook, served at /openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from backend.common.openapi import body, error, json_response, obj, ref, with_properties

from .openapi_schemas import (
    CODE,
    DELIVERY_FAILED,
    MASKED_PHONE,
    NEW_RECOVERY_CODES,
    SCHEMAS,
    SENT_TO,
    STATUS,
    THROTTLED,
    TOO_SOON,
    TOTP_SETUP,
    USER_ERRORS,
)

bp = Blueprint("openapi", __name__)

USER: list[dict[str, list]] = [{"session": []}, {"bearer": []}]


PATHS: dict[str, Any] = {
    "/api/me": {
        "get": {
            "summary": "The signed-in user",
            "security": USER,
            "responses": {
                "200": json_response(
                    obj(
                        "id",
                        "email",
                        "twoFactor",
                        id={"type": "string"},
                        email={"type": "string"},
                        twoFactor=STATUS,
                    ),
                    "The user",
                ),
                **USER_ERRORS,
            },
        }
    },
    "/api/user/two-factor": {
        "get": {
            "summary": "Whether two-factor is on, how, and how many recovery codes are left",
            "security": USER,
            "responses": {
                "200": json_response(
                    with_properties(
                        STATUS,
                        "recoveryCodesRemaining",
                        recoveryCodesRemaining={"type": "integer", "minimum": 0, "description": "0 when off"},
                        pendingSetup={
                            "type": "string",
                            "enum": ["totp"],
                            "description": "Only while an authenticator-app setup waits for its code",
                        },
                    ),
                    "The status",
                ),
                **USER_ERRORS,
            },
        },
        "post": {
            "summary": "Start (or show the pending) authenticator-app setup: secret, otpauth URL, QR code",
            "security": USER,
            "requestBody": body({"type": "object"}),
            "responses": {
                "200": json_response(
                    with_properties(
                        TOTP_SETUP,
                        expired={"type": "boolean", "description": "A new secret replaced one that expired"},
                    ),
                    "The pending setup",
                ),
                "422": error("already_enabled"),
                **USER_ERRORS,
            },
        },
        "put": {
            "summary": "Confirm a setup with a code; email or sms without a code: send one (202)",
            "security": USER,
            "requestBody": body(
                obj(
                    "enabled",
                    "method",
                    enabled={"type": "boolean", "enum": [True]},
                    method={"type": "string", "enum": ["totp", "email", "sms"]},
                    code=CODE,
                    phoneNumber={
                        "type": "string",
                        "maxLength": 40,
                        "description": "sms without code: the mobile number, international format",
                    },
                )
            ),
            "responses": {
                "200": json_response(
                    with_properties(
                        STATUS, *NEW_RECOVERY_CODES["required"], **NEW_RECOVERY_CODES["properties"]
                    ),
                    "Two-factor is on",
                ),
                "202": json_response(ref("Sent"), "A code was sent by email or SMS"),
                "422": error(
                    "invalid_value, invalid_method, already_enabled, nothing_pending, setup_expired, "
                    "invalid_code, code_already_used (the right code, but used a moment ago: wait for the "
                    "next one), invalid_phone_number, or code too long"
                ),
                "429": {
                    **THROTTLED["429"],
                    "description": "too_many_attempts (the auth server's), or too_soon",
                },
                **USER_ERRORS,
                "502": DELIVERY_FAILED,
            },
        },
        "delete": {
            "summary": "Turn two-factor off after checking the password",
            "security": USER,
            "requestBody": body(obj("password", password={"type": "string", "maxLength": 1024})),
            "responses": {
                "200": json_response(
                    obj(
                        "enabled",
                        "method",
                        enabled={"type": "boolean", "enum": [False]},
                        method={"type": "string", "nullable": True, "enum": [None]},
                    ),
                    "Two-factor is off",
                ),
                "422": error("invalid_password, or the password is missing or too long"),
                **THROTTLED,
                **USER_ERRORS,
            },
        },
    },
    "/api/user/two-factor/setup": {
        "delete": {
            "summary": "Cancel a pending authenticator-app setup: its secret is dropped",
            "security": USER,
            "requestBody": body({"type": "object"}),
            "responses": {"200": json_response(ref("Status"), "The status"), **USER_ERRORS},
        }
    },
    "/api/user/two-factor/current-code": {
        "post": {
            "summary": "Email and SMS users: send a current code (for new recovery codes)",
            "security": USER,
            "requestBody": body({"type": "object"}),
            "responses": {
                "202": json_response(
                    obj(
                        "sentTo",
                        sentTo={
                            "type": "string",
                            "description": "Masked: a•••@example.com or +1 ••• ••• 0100",
                        },
                    ),
                    "Sent",
                ),
                "422": error("not_sent (two-factor is off, or uses an authenticator app)"),
                **TOO_SOON,
                **USER_ERRORS,
                "502": DELIVERY_FAILED,
            },
        }
    },
    "/api/user/two-factor/recovery-codes": {
        "post": {
            "summary": "New recovery codes after a current code; every earlier one stops working",
            "security": USER,
            "requestBody": body(obj("code", code=CODE)),
            "responses": {
                "200": json_response(NEW_RECOVERY_CODES, "The new codes"),
                "422": error(
                    "two_factor_off, invalid_code, code_already_used (wait for the next code), "
                    "or the code is missing or too long"
                ),
                **THROTTLED,
                **USER_ERRORS,
            },
        }
    },
    "/api/user/two-factor/change": {
        "post": {
            "summary": "Open a change of method for this sign-in (10 min): the password or a current code",
            "security": USER,
            "requestBody": body(
                {
                    "oneOf": [
                        obj("password", password={"type": "string", "maxLength": 1024}),
                        obj("code", code={**CODE, "description": "Of the method that is on"}),
                    ]
                }
            ),
            "responses": {
                "200": json_response(
                    obj(
                        "expiresIn",
                        expiresIn={"type": "integer", "description": "Seconds the change stays open"},
                    ),
                    "This sign-in may set up a new method",
                ),
                "422": error(
                    "two_factor_off, invalid_password (field password), invalid_code (field code), "
                    "missing_field, or a field too long"
                ),
                **THROTTLED,
                **USER_ERRORS,
            },
        },
        "put": {
            "summary": "Set up the new method beside the one that is on; again: a fresh secret or code",
            "security": USER,
            "requestBody": body(
                obj(
                    "method",
                    method={"type": "string", "enum": ["totp", "email", "sms"]},
                    phoneNumber={
                        "type": "string",
                        "maxLength": 40,
                        "description": "Method sms: the new mobile number",
                    },
                )
            ),
            "responses": {
                "200": json_response(
                    with_properties(TOTP_SETUP, "method", method={"type": "string", "enum": ["totp"]}),
                    "The new authenticator app's secret",
                ),
                "202": json_response(
                    obj(
                        "method",
                        "pending",
                        "sentTo",
                        method={"type": "string", "enum": ["email", "sms"]},
                        pending={"type": "boolean", "enum": [True]},
                        sentTo=SENT_TO,
                    ),
                    "A code of the new method was sent",
                ),
                "422": error("two_factor_off, change_not_open, invalid_method, invalid_phone_number"),
                **USER_ERRORS,
                "502": DELIVERY_FAILED,
            },
        },
        "delete": {
            "summary": "Cancel this sign-in's change: the method that is on stays on",
            "security": USER,
            "requestBody": body({"type": "object"}),
            "responses": {"200": json_response(ref("Status"), "Two-factor as it is"), **USER_ERRORS},
        },
    },
    "/api/user/two-factor/change/confirm": {
        "post": {
            "summary": "A code of the new method: it replaces the old one, with new recovery codes",
            "security": USER,
            "requestBody": body(obj("code", code={**CODE, "description": "Of the new method"})),
            "responses": {
                "200": json_response(
                    with_properties(
                        STATUS, *NEW_RECOVERY_CODES["required"], **NEW_RECOVERY_CODES["properties"]
                    ),
                    "The new method is on",
                ),
                "422": error(
                    "two_factor_off, change_not_open (five wrong codes drop the change), nothing_pending, "
                    "invalid_code, or the code is missing or too long"
                ),
                **USER_ERRORS,
            },
        }
    },
    "/api/user/phone/current-code": {
        "post": {
            "summary": "SMS users: text a current code to the number on file (it authorises a change)",
            "security": USER,
            "requestBody": body({"type": "object"}),
            "responses": {
                "202": json_response(obj("sentTo", sentTo=MASKED_PHONE), "Sent"),
                "422": error("not_sms"),
                **USER_ERRORS,
                "502": DELIVERY_FAILED,
            },
        }
    },
    "/api/user/phone": {
        "put": {
            "summary": "SMS users: start a number change (phoneNumber + currentCode) or confirm it (code)",
            "security": USER,
            "requestBody": body(
                {
                    "oneOf": [
                        obj(
                            "phoneNumber",
                            "currentCode",
                            phoneNumber={"type": "string", "maxLength": 40, "description": "The new number"},
                            currentCode={**CODE, "description": "Sent by POST /api/user/phone/current-code"},
                        ),
                        obj("code", code={**CODE, "description": "Sent to the new number"}),
                    ]
                }
            ),
            "responses": {
                "200": json_response(ref("Status"), "The number is changed"),
                "202": json_response(
                    obj(
                        "pending", "sentTo", pending={"type": "boolean", "enum": [True]}, sentTo=MASKED_PHONE
                    ),
                    "A code was texted to the new number",
                ),
                "422": error(
                    "not_sms, invalid_phone_number, invalid_code (field currentCode or code), "
                    "code_already_used (the current code was used a moment ago), nothing_pending"
                ),
                **THROTTLED,
                **USER_ERRORS,
                "502": DELIVERY_FAILED,
            },
        }
    },
    "/logout": {
        "post": {
            "summary": "End the app session (and the auth server's); answers the same when not signed in",
            "security": [*USER, {}],
            "requestBody": body({"type": "object"}),
            "responses": {
                "200": json_response(
                    obj("loggedOut", loggedOut={"type": "boolean", "enum": [True]}), "Logged out"
                ),
                "400": error("Malformed JSON"),
                "413": error("Body over 64 KiB"),
                "415": error("The body is not application/json"),
            },
        }
    },
    "/webhook/two-factor-confirmation": {
        "post": {
            "summary": "Called by the auth server: deliver a code by email or SMS",
            "security": [{"webhookBasic": []}],
            "requestBody": body(
                obj(
                    "user",
                    "token",
                    "transport",
                    user=obj(
                        "id",
                        "email",
                        id={"type": "string"},
                        email={"type": "string"},
                        phoneNumber={"type": "string"},
                    ),
                    token={"type": "string", "pattern": "^[0-9]{6}$"},
                    transport={"type": "string", "enum": ["email", "sms"]},
                )
            ),
            "responses": {
                "200": json_response(obj("delivered", delivered={"type": "boolean"}), "Delivered"),
                "400": error("Malformed JSON"),
                "401": error("Webhook client Basic credentials required"),
                "413": error("Body over 64 KiB"),
                "415": error("The body is not application/json"),
                "422": error("A field is missing or invalid"),
                "502": error("The email or SMS gateway failed"),
            },
        }
    },
}


def description(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Two-factor demo app", "version": "1.0"},
        "servers": [{"url": server_url}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "app_session"},
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An access token of the auth server",
                },
                "webhookBasic": {"type": "http", "scheme": "basic", "description": "The webhook client"},
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """This description."""
    return jsonify(description(current_app.config["APP_URL"]))
