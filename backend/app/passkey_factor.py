"""Whether the user's passkey is their second factor: asked for after the password while codes are off.

The auth server asks for one (backend/authserver/two_factor/policy.py) when the user has a passkey and
AuthConfig.twoFactor.required is set; then the app's pages say two-factor is on, with the passkey.
Without the policy a passkey only signs in without a password, and the password alone still does, so
two-factor stays off. An Aidbox auth server has no passkeys.

A /auth/userinfo body says so itself (``twoFactor.passkey``); a User document does not, so the views
that change or read passkeys and policy find out here and keep the answer in the profile snapshot.
"""

from __future__ import annotations

from .authserver_client import authserver
from .features import unavailable
from .profiles import remember_passkey


def passkey_asked(user_id: str, required: bool | None = None) -> bool:
    """Whether, while codes are off, the step after the password asks ``user_id`` for a passkey.
    ``required``: AuthConfig.twoFactor.required, when the caller has read it already."""
    if "passkeys" in unavailable():
        return False
    if required is None:
        required = authserver().two_factor_config()["required"]
    return required and bool(authserver().passkeys(user_id))


def update_passkey(user_id: str, required: bool | None = None) -> bool:
    """``passkey_asked``, also kept in the user's profile snapshot (what /api/me shows)."""
    asked = passkey_asked(user_id, required)
    remember_passkey(user_id, asked)
    return asked
