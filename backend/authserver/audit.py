"""The audit log: two-factor enabled/disabled, recovery code used, passkeys added, removed and used,
lockouts, locks, trusted browsers, password changes, admin resets. Never a code or a secret.

``GET /AuditEvent?user=<id>`` (admin) answers a Bundle, newest first.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Literal

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, Field
from sqlalchemy import select

from .api.admin_auth import admin_required, is_admin
from .extensions import db
from .models import AuditEvent, now

log = logging.getLogger("authserver.audit")

TWO_FACTOR_ENABLED = "two-factor-enabled"
TWO_FACTOR_DISABLED = "two-factor-disabled"
RECOVERY_CODE_USED = "recovery-code-used"
RECOVERY_CODES_GENERATED = "recovery-codes-generated"
LOCKOUT = "lockout"
#: The daily cap of wrong codes: codes stay refused until a recovery code or an admin unlocks them.
SECOND_FACTOR_LOCKED = "second-factor-locked"
LOCKOUT_CLEARED = "lockout-cleared"
PASSKEY_ADDED = "passkey-added"
PASSKEY_REMOVED = "passkey-removed"
PASSKEY_USED = "passkey-used"
#: A passkey's signed counter did not move forward: a copy of the key may be in use (refused).
PASSKEY_COUNTER_WENT_BACK = "passkey-counter-went-back"
#: "Don't ask again on this browser": trust given, a login that skipped the code, trust ended.
BROWSER_TRUSTED = "browser-trusted"
TRUSTED_BROWSER_USED = "trusted-browser-used"
TRUSTED_BROWSERS_REVOKED = "trusted-browsers-revoked"
#: On the auth server's /auth/password page: every other sign-in of the user ended with it.
PASSWORD_CHANGED = "password-changed"  # noqa: S105 (an event name)
#: An admin removed every second factor of the user (POST /User/<id>/$reset-two-factor).
TWO_FACTOR_RESET = "two-factor-reset"
USER_DELETED = "user-deleted"

#: What a search answers at most, newest first.
PAGE = 1000

bp = Blueprint("audit", __name__)


class AuditEventResource(BaseModel):
    resourceType: Literal["AuditEvent"]
    id: str
    type: Literal[
        TWO_FACTOR_ENABLED,
        TWO_FACTOR_DISABLED,
        RECOVERY_CODE_USED,
        RECOVERY_CODES_GENERATED,
        LOCKOUT,
        SECOND_FACTOR_LOCKED,
        LOCKOUT_CLEARED,
        PASSKEY_ADDED,
        PASSKEY_REMOVED,
        PASSKEY_USED,
        PASSKEY_COUNTER_WENT_BACK,
        BROWSER_TRUSTED,
        TRUSTED_BROWSER_USED,
        TRUSTED_BROWSERS_REVOKED,
        PASSWORD_CHANGED,
        TWO_FACTOR_RESET,
        USER_DELETED,
    ]
    user: str = Field(description="The User id")
    recorded: datetime
    ip: str | None = Field(description="The end user's address")


class AuditEventEntry(BaseModel):
    resource: AuditEventResource


class AuditEventBundle(BaseModel):
    resourceType: Literal["Bundle"]
    type: Literal["searchset"]
    total: int = Field(ge=0, le=PAGE)
    entry: list[AuditEventEntry] = Field(description=f"Newest first, at most {PAGE}")


def client_ip() -> str | None:
    """The end user's address: the admin client (the app) forwards it; anyone else is who they are."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and is_admin():
        return forwarded.split(",")[0].strip()[:64] or request.remote_addr
    return request.remote_addr


def instant(timestamp: float) -> str:
    """A timestamp as the resources show it: ISO 8601 in UTC, ``2026-12-04T18:30:07Z``."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


def record(event_type: str, user_id: str) -> None:
    """Add an event (committed with the caller's transaction, or on its own)."""
    ip = client_ip()
    db.session.add(AuditEvent(type=event_type, user_id=user_id, recorded=now(), ip=ip))
    db.session.commit()
    log.info("audit %s user=%s ip=%s", event_type, user_id, ip)


@bp.get("/AuditEvent")
@admin_required
def search() -> Response:
    """A Bundle of the audit events of ``user`` (all users without it), newest first."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if request.args.get("user"):
        query = query.where(AuditEvent.user_id == request.args["user"])
    events = list(db.session.scalars(query.limit(PAGE)))
    return jsonify(
        resourceType="Bundle",
        type="searchset",
        total=len(events),
        entry=[{"resource": event.as_resource()} for event in events],
    )
