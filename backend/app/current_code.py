"""A current code of the method that is on: what authorises new recovery codes or a change of method.
Email and text-message users get one from ``POST /api/user/two-factor/current-code`` (two_factor.py)."""

from __future__ import annotations

from flask_login import current_user

from backend.common import totp
from backend.common.errors import ApiError

from .user_checks import code_is_right


def check_current_code(code: str | None) -> None:
    """The code is checked and its step recorded (see user_checks.py), so it is refused afterwards (as
    422 code_already_used when it was the right code)."""
    if not totp.is_well_formed(code) or not code_is_right(current_user.user_id, code):
        raise ApiError(422, "invalid_code", "That code is not right; try the current one.", field="code")
