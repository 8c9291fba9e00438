"""The audit log: two-factor enabled/disabled, recovery code used, passkeys added, removed and used, lockouts,
locks. Never a code or a secret.

``GET /AuditEvent?user=<id>`` (admin) answers a Bundle, newest first.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, request
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

bp = Blueprint("audit", __name__)


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
    events = list(db.session.scalars(query.limit(1000)))
    return jsonify(
        resourceType="Bundle",
        type="searchset",
        total=len(events),
        entry=[{"resource": event.as_resource()} for event in events],
    )
