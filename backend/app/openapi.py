"""The OpenAPI 3.1 description of the app's JSON API (/api/*) and webhook, served at /openapi.json.

Bodies and answers are the pydantic classes the views use (bodies.py, responses.py, webhook.py), so a
limit is written once; what is written here by hand is what no class holds: paths, security, the
shared error answers and their Retry-After headers.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel

from backend.common.errors import Error
from backend.common.openapi import body, component_schemas, error, json_response, ref, throttled

from . import bodies, responses
from .webhook import WebhookCall

#: A trusted browser's id: a database INTEGER (the routes answer 404 beyond it).
BROWSER_ID = {"type": "integer", "minimum": 0, "maximum": 2_147_483_647}

bp = Blueprint("openapi", __name__)

USER: list[dict[str, list]] = [{"session": []}, {"bearer": []}]


def answer(model: type[BaseModel], description: str) -> dict[str, Any]:
    return json_response(ref(model.__name__), description)


def takes(model: type[BaseModel]) -> dict[str, Any]:
    return body(ref(model.__name__))


#: A body that does not match its schema (json_body.parse_body); ``field`` names where.
BAD_BODY = "missing_field, unknown_field or invalid_field (a body that does not match its schema)"
#: Errors any user call may answer: not signed in, bad body, and the auth server being unreachable.
USER_ERRORS = {
    "400": error("Malformed JSON"),
    "401": error("Not signed in (no session cookie, no valid Bearer token)"),
    "413": error("Body over 64 KiB"),
    "415": error("Mutations must send application/json"),
    "422": error(BAD_BODY),
    "502": error("The auth server could not be reached or answered unexpectedly"),
}
#: The auth server's throttle, passed on when it refuses to look at a code or password, and its lock of codes.
THROTTLED = {
    "423": error("second_factor_locked (codes only): the daily cap of wrong codes was reached"),
    "429": throttled(
        "Too many wrong attempts at the auth server: try again after Retry-After seconds",
        wait="Seconds to wait (the auth server's, or 60)",
    ),
}
#: The app's own limit on sending codes (code_sends.py).
TOO_SOON = {
    "429": throttled(
        "too_soon: a code was sent less than 30 s ago, or 5 in 10 minutes",
        wait="Seconds until another code may be sent",
    )
}
#: AUTH_SERVER_KIND=aidbox: what only the bundled auth server offers (features.py).
UNAVAILABLE = {
    "409": error("unavailable_with_aidbox: the auth server is an Aidbox, which does not offer this"),
}
DELIVERY_FAILED = error("delivery_failed (the SMS gateway or mail server refused), or the auth server failed")


def refused(reasons: str) -> dict[str, dict[str, Any]]:
    """The 422 of an operation: its own ``reasons``, or a body that does not match its schema."""
    return {"422": error(f"{reasons}; or {BAD_BODY}")}


PATHS: dict[str, Any] = {
    "/api/me": {
        "get": {
            "summary": "The signed-in user",
            "security": USER,
            "responses": {"200": answer(responses.Me, "The user"), **USER_ERRORS},
        }
    },
    "/api/user/two-factor": {
        "get": {
            "summary": "Whether two-factor is on, how, and how many recovery codes are left",
            "security": USER,
            "responses": {"200": answer(responses.StatusReport, "The status"), **USER_ERRORS},
        },
        "post": {
            "summary": "Start (or show the pending) authenticator-app setup: secret, otpauth URL, QR code",
            "security": USER,
            "requestBody": takes(bodies.EmptyBody),
            "responses": {
                "200": answer(responses.PendingTotpSetup, "The pending setup"),
                **USER_ERRORS,
                **refused("already_enabled"),
            },
        },
        "put": {
            "summary": "Confirm a setup with a code; email or sms without a code: send one (202)",
            "security": USER,
            "requestBody": takes(bodies.EnableBody),
            "responses": {
                "200": answer(responses.Enabled, "Two-factor is on (no recovery codes with an Aidbox)"),
                "202": answer(responses.Sent, "A code was sent by email or SMS"),
                **USER_ERRORS,
                **refused(
                    "already_enabled, nothing_pending, setup_expired, invalid_code, code_already_used (the "
                    "right code, but used a moment ago: wait for the next one), invalid_phone_number"
                ),
                "429": {
                    **THROTTLED["429"],
                    "description": "too_many_attempts (the auth server's), or too_soon",
                },
                "423": THROTTLED["423"],
                "502": DELIVERY_FAILED,
            },
        },
        "delete": {
            "summary": "Turn two-factor off after checking the password",
            "security": USER,
            "requestBody": takes(bodies.PasswordBody),
            "responses": {
                "200": answer(responses.Disabled, "Two-factor is off"),
                "409": error(
                    "unavailable_with_aidbox: the app's Client may not use the password grant, which"
                    " checks the password at an Aidbox; turn two-factor off on its page instead"
                ),
                **THROTTLED,
                **USER_ERRORS,
                **refused("invalid_password"),
            },
        },
    },
    "/api/user/two-factor/setup": {
        "delete": {
            "summary": "Cancel a pending authenticator-app setup: its secret is dropped",
            "security": USER,
            "requestBody": takes(bodies.EmptyBody),
            "responses": {"200": answer(responses.Status, "The status"), **USER_ERRORS},
        }
    },
    "/api/user/two-factor/current-code": {
        "post": {
            "summary": "Email and SMS users: send a current code (for new recovery codes)",
            "security": USER,
            "requestBody": takes(bodies.EmptyBody),
            "responses": {
                "202": answer(responses.CodeSent, "Sent"),
                **TOO_SOON,
                **USER_ERRORS,
                **refused("not_sent (two-factor is off, or uses an authenticator app)"),
                "502": DELIVERY_FAILED,
            },
        }
    },
    "/api/user/two-factor/recovery-codes": {
        "post": {
            "summary": "New recovery codes after a current code; every earlier one stops working",
            "security": USER,
            "requestBody": takes(bodies.CodeBody),
            "responses": {
                "200": answer(responses.NewRecoveryCodes, "The new codes"),
                **UNAVAILABLE,
                **THROTTLED,
                **USER_ERRORS,
                **refused("two_factor_off, invalid_code, code_already_used (wait for the next code)"),
            },
        }
    },
    "/api/user/trusted-browsers": {
        "get": {
            "summary": 'The browsers that skip the second factor ("Don\'t ask again on this browser")',
            "security": USER,
            "responses": {
                "200": answer(responses.TrustedBrowsers, "The list"),
                **UNAVAILABLE,
                **USER_ERRORS,
            },
        },
        "delete": {
            "summary": "Sign out of trusted browsers: each asks for the second factor again",
            "security": USER,
            "requestBody": takes(bodies.EmptyBody),
            "responses": {
                "200": answer(responses.TrustedBrowsers, "The list, now empty"),
                **UNAVAILABLE,
                **USER_ERRORS,
            },
        },
    },
    "/api/user/trusted-browsers/{browserId}": {
        "delete": {
            "summary": "That browser asks for the second factor again",
            "security": USER,
            "parameters": [{"name": "browserId", "in": "path", "required": True, "schema": BROWSER_ID}],
            "requestBody": takes(bodies.EmptyBody),
            "responses": {
                "200": answer(responses.TrustedBrowsers, "The browsers still trusted"),
                "404": error("not_found: the user has no such trusted browser"),
                **UNAVAILABLE,
                **USER_ERRORS,
            },
        }
    },
    "/api/user/two-factor/change": {
        "post": {
            "summary": "Open a change of method for this sign-in (10 min): the password or a current code",
            "security": USER,
            "requestBody": takes(bodies.OpenChangeBody),
            "responses": {
                "200": answer(responses.ChangeOpened, "This sign-in may set up a new method"),
                "409": error("unavailable_with_aidbox: the password cannot be checked (as for DELETE)"),
                **THROTTLED,
                **USER_ERRORS,
                **refused(
                    "two_factor_off, invalid_password (field password), invalid_code (field code), "
                    "missing_field (neither given)"
                ),
            },
        },
        "put": {
            "summary": "Set up the new method beside the one that is on; again: a fresh secret or code",
            "security": USER,
            "requestBody": takes(bodies.NewMethodBody),
            "responses": {
                "200": answer(responses.NewTotpSetup, "The new authenticator app's secret"),
                "202": answer(responses.NewMethodSent, "A code of the new method was sent"),
                **USER_ERRORS,
                **refused("two_factor_off, change_not_open, invalid_phone_number"),
                "502": DELIVERY_FAILED,
            },
        },
        "delete": {
            "summary": "Cancel this sign-in's change: the method that is on stays on",
            "security": USER,
            "requestBody": takes(bodies.EmptyBody),
            "responses": {"200": answer(responses.Status, "Two-factor as it is"), **USER_ERRORS},
        },
    },
    "/api/user/two-factor/change/confirm": {
        "post": {
            "summary": "A code of the new method: it replaces the old one, with new recovery codes",
            "security": USER,
            "requestBody": takes(bodies.CodeBody),
            "responses": {
                "200": answer(responses.Enabled, "The new method is on (no recovery codes with an Aidbox)"),
                **USER_ERRORS,
                **refused(
                    "two_factor_off, change_not_open (five wrong codes drop the change), nothing_pending, "
                    "invalid_code"
                ),
            },
        }
    },
    "/api/user/phone/current-code": {
        "post": {
            "summary": "SMS users: text a current code to the number on file (it authorises a change)",
            "security": USER,
            "requestBody": takes(bodies.EmptyBody),
            "responses": {
                "202": answer(responses.CodeSent, "Sent"),
                **USER_ERRORS,
                **refused("not_sms"),
                "502": DELIVERY_FAILED,
            },
        }
    },
    "/api/user/phone": {
        "put": {
            "summary": "SMS users: start a number change (phoneNumber + currentCode) or confirm it (code)",
            "security": USER,
            "requestBody": takes(bodies.PhoneChangeBody),
            "responses": {
                "200": answer(responses.Status, "The number is changed"),
                "202": answer(responses.NumberSent, "A code was texted to the new number"),
                **THROTTLED,
                **USER_ERRORS,
                **refused(
                    "not_sms, invalid_phone_number, invalid_code (field currentCode or code), "
                    "code_already_used (the current code was used a moment ago), nothing_pending"
                ),
                "502": DELIVERY_FAILED,
            },
        }
    },
    "/logout": {
        "post": {
            "summary": "End the app session (and the auth server's); answers the same when not signed in",
            "security": [*USER, {}],
            "requestBody": takes(bodies.EmptyBody),
            "responses": {
                "200": answer(responses.LoggedOut, "Logged out"),
                "400": error("Malformed JSON"),
                "413": error("Body over 64 KiB"),
                "415": error("The body is not application/json"),
                "422": error(BAD_BODY),
            },
        }
    },
    "/webhook/two-factor-confirmation": {
        "post": {
            "summary": "Called by the auth server: deliver a code by email or SMS (without transport, the"
            " User's own twoFactor.transport)",
            "security": [{"webhookBasic": []}],
            "requestBody": takes(WebhookCall),
            "responses": {
                "200": answer(responses.Delivered, "Delivered"),
                "400": error("Malformed JSON"),
                "401": error("Webhook client Basic credentials required"),
                "413": error("Body over 64 KiB"),
                "404": error("Without transport: the auth server has no such user"),
                "415": error("The body is not application/json"),
                "422": error(
                    "A field is missing or invalid, or unsupported_transport: no email or sms to use"
                ),
                "502": error("The email or SMS gateway failed, or the auth server's answer was unexpected"),
            },
        }
    },
}


def _classes(module: ModuleType) -> list[type[BaseModel]]:
    """The pydantic classes ``module`` defines."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__
    ]


SCHEMAS = component_schemas(Error, *_classes(bodies), *_classes(responses), WebhookCall)


def description(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
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
