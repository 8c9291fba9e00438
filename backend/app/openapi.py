"""The OpenAPI 3 description of the app's JSON API (/api/*) and webhook, served at /openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

bp = Blueprint("openapi", __name__)

USER: list[dict[str, list]] = [{"session": []}, {"bearer": []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _object(*required: str, **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


METHOD = {"type": "string", "enum": ["totp", "email", "sms"], "nullable": True}
STATUS = _object("enabled", "method", enabled={"type": "boolean"}, method=METHOD)
#: Errors any user call may answer: not signed in, bad body, and the auth server being unreachable.
USER_ERRORS = {
    "400": _error("Malformed JSON"),
    "401": _error("Not signed in (no session cookie, no valid Bearer token)"),
    "413": _error("Body over 64 KiB"),
    "415": _error("Mutations must send application/json"),
    "502": _error("The auth server could not be reached or answered unexpectedly"),
}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        "error",
        error=_object(
            "code", "message", code={"type": "string"}, message={"type": "string"}, field={"type": "string"}
        ),
    ),
    "Status": STATUS,
}

PATHS: dict[str, Any] = {
    "/api/me": {
        "get": {
            "summary": "The signed-in user",
            "security": USER,
            "responses": {
                "200": _json(
                    _object(
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
            "summary": "Whether two-factor is on, and how",
            "security": USER,
            "responses": {"200": _json(_ref("Status"), "The status"), **USER_ERRORS},
        },
        "post": {
            "summary": "Start authenticator-app setup: a pending secret, its otpauth URL and QR code",
            "security": USER,
            "requestBody": _body({"type": "object"}),
            "responses": {
                "200": _json(
                    _object(
                        "secret",
                        "otpauthUrl",
                        "qrDataUrl",
                        secret={"type": "string"},
                        otpauthUrl={"type": "string"},
                        qrDataUrl={"type": "string"},
                    ),
                    "The pending setup",
                ),
                "422": _error("Already enabled"),
                **USER_ERRORS,
            },
        },
        "put": {
            "summary": "Confirm a setup with a code (or, for email without a code, send one)",
            "security": USER,
            "requestBody": _body(
                _object(
                    "enabled",
                    "method",
                    enabled={"type": "boolean", "enum": [True]},
                    method={"type": "string", "enum": ["totp", "email"]},
                    code={"type": "string", "maxLength": 32},
                )
            ),
            "responses": {
                "200": _json(_ref("Status"), "Two-factor is on"),
                "202": _json(
                    _object(
                        "enabled",
                        "method",
                        "pending",
                        "sentTo",
                        enabled={"type": "boolean"},
                        method={"type": "string"},
                        pending={"type": "boolean"},
                        sentTo={"type": "string"},
                    ),
                    "An email code was sent",
                ),
                "422": _error("already_enabled, nothing_pending, invalid_code or invalid_method"),
                **USER_ERRORS,
            },
        },
        "delete": {
            "summary": "Turn two-factor off after checking the password",
            "security": USER,
            "requestBody": _body(_object("password", password={"type": "string", "maxLength": 1024})),
            "responses": {
                "200": _json(_ref("Status"), "Two-factor is off"),
                "422": _error("invalid_password"),
                **USER_ERRORS,
            },
        },
    },
    "/webhook/two-factor-confirmation": {
        "post": {
            "summary": "Called by the auth server: deliver a code by email or SMS",
            "security": [{"webhookBasic": []}],
            "requestBody": _body(
                _object(
                    "user",
                    "token",
                    "transport",
                    user=_object(
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
                "200": _json(_object("delivered", delivered={"type": "boolean"}), "Delivered"),
                "400": _error("Malformed JSON"),
                "401": _error("Webhook client Basic credentials required"),
                "413": _error("Body over 64 KiB"),
                "415": _error("The body is not application/json"),
                "422": _error("A field is missing or invalid"),
                "502": _error("The email or SMS gateway failed"),
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
