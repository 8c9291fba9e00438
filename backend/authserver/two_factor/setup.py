"""A second factor being set up: a new secret that waits for its first code (two-factor stays off until
then), and what the authenticator app's QR code carries."""

from __future__ import annotations

from backend.common import totp

from .. import store
from ..extensions import db
from ..models import User

DEFAULT_ISSUER = "Demo"


def issuer_name() -> str:
    """The name the authenticator app shows beside the code (``AuthConfig.twoFactor.issuerName``)."""
    return (store.auth_config().get("twoFactor") or {}).get("issuerName") or DEFAULT_ISSUER


def start(user: User, transport: str | None = None, phone_number: str | None = None) -> User:
    """A new pending secret for ``user``: for an authenticator app (no transport), or for codes sent by
    ``transport`` (to ``phone_number`` for "sms", kept on the user); the user as stored now."""
    patch: dict = {"twoFactor": {"enabled": False, "secretKey": totp.new_secret(), "transport": transport}}
    if phone_number is not None:
        patch["phoneNumber"] = phone_number
    store.patch_user(user.id, patch)
    return db.session.get(User, user.id)


def pending_secret(user: User, transport: str | None = None) -> str | None:
    """The user's secret that waits for its first code, if there is one for ``transport`` (None: the
    authenticator app)."""
    two_factor = user.two_factor
    if two_factor.get("enabled") or two_factor.get("transport") != transport:
        return None
    return two_factor.get("secretKey")


def provisioning_uri(user: User, secret: str) -> str:
    return totp.provisioning_uri(secret, user.email, issuer_name())
