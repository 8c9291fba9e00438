"""Admin operations the backend app calls so that codes are checked here, against one replay store.

- ``POST /User/<id>/$verify-totp {"code"}``: 200 ``{"valid": true}`` once per code (the step is
  claimed atomically), 422 invalid_code, 422 code_already_used (right, but its step is spent),
  429 too_many_attempts + Retry-After while throttled, 423 second_factor_locked once the daily cap
  of wrong codes locked them.
- ``POST /User/<id>/$recovery-codes``: a new set of 10 codes (the old set stops working), shown once.
- ``GET /User/<id>/$recovery-codes``: ``{"remaining": n}``.
- ``DELETE /User/<id>/$lockout``: clears the user's throttle (codes and passwords) and unlocks their
  codes, 204.
- ``POST /User/<id>/$reset-two-factor {}``: removes every second factor of the user (secret, transport,
  passkeys, recovery codes, trusted browsers, the lock), 204; audited as two-factor-reset.
"""

from __future__ import annotations

from typing import Annotated, Literal

from flask import Blueprint, Response, jsonify
from pydantic import BaseModel, Field

from backend.common.errors import ApiError, error_response
from backend.common.json_body import OneTimeCode, StrictBody, parse_body

from .. import audit
from ..extensions import db
from ..models import User
from ..two_factor import recovery_codes, reset
from ..two_factor.attempts import Outcome, attempt_code, clear_lockout
from ..two_factor.throttle import LOCKED_MESSAGE, wait_message
from ..two_factor.verify import already_used_message
from .admin_auth import admin_required

bp = Blueprint("admin_two_factor", __name__)


class CodeCheckBody(StrictBody):
    code: OneTimeCode


class NoBody(StrictBody):
    """An empty object: ``{}``."""


class Valid(BaseModel):
    valid: Literal[True]


#: ``xxxx-xxxx`` from recovery_codes.ALPHABET (no 0/o, 1/l/i).
RecoveryCode = Annotated[str, Field(pattern="^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$")]


class RecoveryCodes(BaseModel):
    recoveryCodes: list[RecoveryCode] = Field(
        min_length=recovery_codes.COUNT,
        max_length=recovery_codes.COUNT,
        description="Shown once; only keyed hashes are stored",
    )


class RemainingRecoveryCodes(BaseModel):
    remaining: int = Field(ge=0, le=recovery_codes.COUNT)


def user_or_404(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "not_found", f"There is no User '{user_id}'.")
    return user


def throttled_response(outcome: Outcome) -> Response:
    response = error_response(429, "too_many_attempts", wait_message(outcome.retry_after))
    response.headers["Retry-After"] = str(outcome.retry_after)
    return response


@bp.post("/User/<user_id>/$verify-totp")
@admin_required
def verify_totp(user_id: str) -> Response:
    """Check a code of the user's (pending or enabled) secret with the shared verifier; once only."""
    code = parse_body(CodeCheckBody).code
    user = user_or_404(user_id)
    if not user.two_factor.get("secretKey"):
        raise ApiError(422, "nothing_pending", "The user has no two-factor secret.", field="code")
    outcome = attempt_code(user, code)
    if outcome.locked:
        return error_response(423, "second_factor_locked", LOCKED_MESSAGE, field="code")
    if outcome.retry_after is not None:
        return throttled_response(outcome)
    if outcome.already_used:
        raise ApiError(422, "code_already_used", already_used_message(user), field="code")
    if not outcome.ok:
        raise ApiError(422, "invalid_code", "The code is not valid.", field="code")
    return jsonify(valid=True)


@bp.post("/User/<user_id>/$recovery-codes")
@admin_required
def new_recovery_codes(user_id: str) -> Response:
    """Ten new single-use codes for a user with two-factor on; the earlier set stops working."""
    parse_body(NoBody)
    user = user_or_404(user_id)
    if not user.two_factor_enabled:
        raise ApiError(422, "two_factor_off", "Two-factor authentication is off for this user.")
    codes = recovery_codes.generate(user.id)
    audit.record(audit.RECOVERY_CODES_GENERATED, user.id)
    return jsonify(recoveryCodes=codes)


@bp.get("/User/<user_id>/$recovery-codes")
@admin_required
def remaining_recovery_codes(user_id: str) -> Response:
    return jsonify(remaining=recovery_codes.remaining(user_or_404(user_id).id))


@bp.delete("/User/<user_id>/$lockout")
@admin_required
def clear(user_id: str) -> Response:
    """Let a locked-out user try again now; codes locked by the daily cap work again too."""
    clear_lockout(user_or_404(user_id))
    return Response(status=204)


@bp.post("/User/<user_id>/$reset-two-factor")
@admin_required
def reset_two_factor(user_id: str) -> Response:
    """The user lost every device: they sign in with the password only (or enrol again where required)."""
    parse_body(NoBody)
    reset.reset(user_or_404(user_id))
    return Response(status=204)
