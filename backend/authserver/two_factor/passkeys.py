"""Passkeys (WebAuthn credentials) with py_webauthn: registering one, checking an assertion, the list.

The relying party is the host of ``AUTH_SERVER_URL`` (a passkey belongs to a host name: WebAuthn
refuses IP addresses), and an answer is accepted from the auth server's own pages and from the
frontend (``FRONTEND_URL``), whose settings page adds passkeys. User verification (PIN, fingerprint,
face) is required every time, so a passkey proves both "has the device" and "is the person".

Every refusal is a ``PasskeyRefused`` with a code and a message a person can act on; a sign counter
that did not move forward is also written to the audit log, since it means the key may be cloned.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .. import audit, store
from ..extensions import db
from ..models import Passkey, User, now
from . import passkey_challenges, recovery_codes

DEFAULT_NAME = "Passkey"

Parsed = TypeVar("Parsed", RegistrationCredential, AuthenticationCredential)
#: What py_webauthn raises for an answer it cannot read or accept (the parsers let some plain
#: ValueErrors through, e.g. from base64): a 422, never a 500.
_UNREADABLE = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError)


class PasskeyRefused(Exception):
    """An answer that is not accepted; ``code`` and ``message`` go to the user as they are."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


CHALLENGE_SPENT = PasskeyRefused(
    "passkey_challenge_expired",
    "This passkey request expired or was already answered. Try again.",
)
MALFORMED = PasskeyRefused("invalid_passkey_response", "The browser's passkey answer could not be read.")
UNKNOWN = PasskeyRefused(
    "unknown_passkey", "This passkey is not registered for this account (it may have been removed)."
)
CLONED = PasskeyRefused(
    "passkey_counter_went_back",
    "This passkey's sign counter went backwards, so it may have been copied. It was refused: "
    "use another passkey or a code, and remove this one.",
)

#: py_webauthn raises one exception type; its message says which check failed. The phrases below
#: are its wording (webauthn 3.0), turned into answers a person can act on.
_REASONS = (
    ("origin", "passkey_wrong_origin", "The passkey answered for another website; it was refused."),
    ("RP ID", "passkey_wrong_site", "This passkey belongs to another site; it was refused."),
    ("challenge", "passkey_wrong_challenge", "This passkey answer is not for this request. Try again."),
    (
        "not verified",
        "passkey_not_verified",
        "The passkey did not verify you (PIN, fingerprint or face). Try again and unlock it.",
    ),
)


def relying_party_id() -> str:
    return urlsplit(current_app.config["AUTH_SERVER_URL"]).hostname or "localhost"


def expected_origins() -> list[str]:
    """The auth server's and the frontend's ``scheme://host[:port]``."""
    urls = (current_app.config["AUTH_SERVER_URL"], current_app.config["FRONTEND_URL"])
    return [f"{part.scheme}://{part.netloc}" for part in map(urlsplit, urls)]


def user_handle(user_id: str) -> bytes:
    """What the authenticator stores as the user: a hash, so it does not carry the account id around."""
    return hashlib.sha256(user_id.encode()).digest()


def passkeys_of(user_id: str) -> list[Passkey]:
    query = select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.id)
    return list(db.session.scalars(query))


def has_passkey(user_id: str) -> bool:
    return db.session.scalar(select(Passkey.id).where(Passkey.user_id == user_id).limit(1)) is not None


_TRANSPORTS = {transport.value for transport in AuthenticatorTransport}


def _descriptors(passkeys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(passkey.credential_id),
            transports=[AuthenticatorTransport(t) for t in passkey.transports if t in _TRANSPORTS],
        )
        for passkey in passkeys
    ]


def registration_options(user: User, session_key: str) -> dict[str, Any]:
    """``{challengeId, publicKey}``: the options for ``navigator.credentials.create`` (as JSON)."""
    handle, challenge = passkey_challenges.issue("register", session_key, user.id)
    options = generate_registration_options(
        rp_id=relying_party_id(),
        rp_name=store.auth_config().get("twoFactor", {}).get("issuerName") or "Demo",
        user_name=user.email,
        user_id=user_handle(user.id),
        user_display_name=user.email,
        challenge=challenge,
        timeout=passkey_challenges.LIFETIME * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(passkeys_of(user.id)),
    )
    return {"challengeId": handle, "publicKey": json.loads(options_to_json(options))}


def register(
    user: User, session_key: str, challenge_id: str, credential: dict[str, Any], name: str
) -> Passkey:
    """Check the browser's answer to ``registration_options`` and keep the new passkey."""
    parsed = _parsed(parse_registration_credential_json, credential)
    challenge = passkey_challenges.take(challenge_id, "register", session_key, user.id)
    if challenge is None:
        raise CHALLENGE_SPENT
    try:
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(),
            expected_origin=expected_origins(),
            require_user_verification=True,
        )
    except _UNREADABLE as error:
        raise _refusal(error) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)) is not None:
        raise PasskeyRefused("passkey_already_registered", "This passkey is already registered.")
    passkey = Passkey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t.value for t in parsed.response.transports or []],
        name=name.strip() or DEFAULT_NAME,
        created_at=now(),
    )
    db.session.add(passkey)
    user.had_second_factor = True
    audit.record(audit.PASSKEY_ADDED, user.id)  # commits the passkey with its event
    return passkey


def authentication_options(user: User | None, session_key: str) -> dict[str, Any]:
    """``{challengeId, publicKey}`` for ``navigator.credentials.get``: the user's passkeys, or none named
    when ``user`` is None (a passwordless sign-in: the browser offers every passkey of this site)."""
    handle, challenge = passkey_challenges.issue("authenticate", session_key, user.id if user else None)
    options = generate_authentication_options(
        rp_id=relying_party_id(),
        challenge=challenge,
        timeout=passkey_challenges.LIFETIME * 1000,
        allow_credentials=_descriptors(passkeys_of(user.id)) if user else [],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return {"challengeId": handle, "publicKey": json.loads(options_to_json(options))}


def check_assertion(
    user: User | None, session_key: str, challenge_id: str, credential: dict[str, Any]
) -> Passkey:
    """The passkey that answered ``authentication_options``, its counter and last use recorded; for a
    ``user``, it must be theirs (for None, the passkey says whose it is: ``passkey.user_id``)."""
    parsed = _parsed(parse_authentication_credential_json, credential)
    challenge = passkey_challenges.take(challenge_id, "authenticate", session_key, user.id if user else None)
    if challenge is None:
        raise CHALLENGE_SPENT
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == parsed.id))
    if passkey is None or (user is not None and passkey.user_id != user.id):
        raise UNKNOWN
    handle = parsed.response.user_handle
    if handle is not None and handle != user_handle(passkey.user_id):
        raise UNKNOWN
    try:
        # The counter is compared below, after the signature: only a genuine authenticator's signed
        # answer may write a "cloned" event to the audit log.
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=relying_party_id(),
            expected_origin=expected_origins(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except _UNREADABLE as error:
        raise _refusal(error) from None
    if _went_backwards(passkey.sign_count, verified.new_sign_count):
        audit.record(audit.PASSKEY_COUNTER_WENT_BACK, passkey.user_id)
        raise CLONED
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now()
    audit.record(audit.PASSKEY_USED, passkey.user_id)  # commits the counter with the event
    return passkey


def _went_backwards(stored: int, received: int) -> bool:
    """WebAuthn §6.1.1: authenticators that keep no counter send 0 every time; any other counter must
    grow with each use, or a copy of the key is in use somewhere."""
    return (stored > 0 or received > 0) and received <= stored


def _parsed(parse: Callable[[dict[str, Any]], Parsed], credential: dict[str, Any]) -> Parsed:
    try:
        return parse(credential)
    except _UNREADABLE:
        raise MALFORMED from None


def _refusal(error: Exception) -> PasskeyRefused:
    text = str(error)
    for phrase, code, message in _REASONS:
        if phrase in text:
            return PasskeyRefused(code, message)
    return PasskeyRefused("passkey_refused", "The passkey's answer could not be verified.")


def find(passkey_id: str) -> Passkey | None:
    well_formed = passkey_id.isascii() and passkey_id.isdigit() and len(passkey_id) <= 18
    return db.session.get(Passkey, int(passkey_id)) if well_formed else None


def rename(passkey: Passkey, name: str) -> None:
    passkey.name = name.strip() or DEFAULT_NAME
    db.session.commit()


def remove(passkey: Passkey) -> None:
    """Delete ``passkey``; the user's recovery codes go too when it was their last second factor."""
    user_id = passkey.user_id
    db.session.delete(passkey)
    db.session.flush()
    user = db.session.get(User, user_id)
    if user is not None and not user.two_factor_enabled and not has_passkey(user_id):
        recovery_codes.delete_all(user_id)
    audit.record(audit.PASSKEY_REMOVED, user_id)  # commits the removal with its event


def as_resource(passkey: Passkey) -> dict[str, Any]:
    """The admin API's view: no key material (the public key stays here; nothing else needs it)."""
    return {
        "resourceType": "Passkey",
        "id": str(passkey.id),
        "user": passkey.user_id,
        "name": passkey.name,
        "transports": passkey.transports,
        "created": audit.instant(passkey.created_at),
        "lastUsed": audit.instant(passkey.last_used_at) if passkey.last_used_at is not None else None,
    }
