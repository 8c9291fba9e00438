"""The component schemas and shared answers of the app's OpenAPI description."""

from __future__ import annotations

from typing import Any

from backend.common.openapi import error, obj, throttled

CODE = {"type": "string", "maxLength": 32, "description": "6 digits"}
METHOD = {"type": "string", "enum": ["totp", "email", "sms"], "nullable": True}
MASKED_PHONE = {"type": "string", "description": "The number on file, masked: +1 ••• ••• 0100"}
STATUS = obj(
    "enabled",
    "method",
    enabled={"type": "boolean"},
    method=METHOD,
    phone={**MASKED_PHONE, "description": f"SMS users only. {MASKED_PHONE['description']}"},
)
SENT_TO = {"type": "string", "description": "Masked: a•••@example.com or +1 ••• ••• 0100"}
TOTP_SETUP = obj(
    "secret",
    "otpauthUrl",
    "qrDataUrl",
    secret={"type": "string"},
    otpauthUrl={"type": "string", "pattern": "^otpauth://totp/"},
    qrDataUrl={"type": "string", "pattern": "^data:image/png;base64,"},
)
RECOVERY_CODES = {
    "type": "array",
    "items": {"type": "string", "description": "xxxx-xxxx"},
    "description": "Single use; shown in this answer only",
}

#: Errors any user call may answer: not signed in, bad body, and the auth server being unreachable.
USER_ERRORS = {
    "400": error("Malformed JSON"),
    "401": error("Not signed in (no session cookie, no valid Bearer token)"),
    "413": error("Body over 64 KiB"),
    "415": error("Mutations must send application/json"),
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
#: A new set of recovery codes, and the site (issuer) and account they belong to.
NEW_RECOVERY_CODES = obj(
    "recoveryCodes",
    "issuer",
    "account",
    recoveryCodes=RECOVERY_CODES,
    issuer={"type": "string", "description": "AuthConfig twoFactor.issuerName"},
    account={"type": "string", "description": "The user's email"},
)
DELIVERY_FAILED = error("delivery_failed (the SMS gateway or mail server refused), or the auth server failed")

SCHEMAS: dict[str, Any] = {
    "Error": obj(
        "error",
        error=obj(
            "code", "message", code={"type": "string"}, message={"type": "string"}, field={"type": "string"}
        ),
    ),
    "Status": STATUS,
    "Sent": obj(
        "enabled",
        "method",
        "pending",
        "sentTo",
        enabled={"type": "boolean", "enum": [False]},
        method={"type": "string", "enum": ["email", "sms"]},
        pending={"type": "boolean", "enum": [True]},
        sentTo=SENT_TO,
    ),
}
