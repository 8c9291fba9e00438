"""The signed-in user's recovery codes: a new set each time two-factor is turned on, its method
changed, or a current code asks for one; none with an Aidbox auth server (see features.py)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from .authserver_client import authserver
from .features import unavailable


def new_recovery_codes(user: dict[str, Any]) -> dict[str, Any]:
    """A new set, and whose it is: the page names the file it saves them in after the site and account.

    The recovery codes appear in this answer only; the auth server keeps them hashed. Nothing (an empty
    answer) where recovery codes are unavailable.
    """
    if "recoveryCodes" in unavailable():
        return {}
    return {
        "recoveryCodes": authserver().new_recovery_codes(current_user.user_id),
        "issuer": authserver().two_factor_config()["issuerName"],
        "account": user.get("email") or current_user.email,
    }
