"""Database tables: resource documents, users, login sessions, OAuth codes and tokens, and the second
factor's and the audit log's rows (recovery codes, passkeys and their challenges, locks, code sends,
pending API logins, throttle counts, recent signups, audit events) and the key that signs ID tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from authlib.integrations.sqla_oauth2 import OAuth2AuthorizationCodeMixin, OAuth2TokenMixin
from flask import current_app
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .secret_box import UserDocument


def now() -> float:
    """The app's clock (tests inject a fake one as config CLOCK)."""
    return current_app.config["CLOCK"]()


class Resource(db.Model):
    """An Aidbox-shaped JSON document (AuthConfig, Client, AidboxConfig) keyed by type and id."""

    __tablename__ = "resources"

    resource_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class User(db.Model):
    """A User resource; the password hash and the last used TOTP step live beside the document."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    document: Mapped[dict[str, Any]] = mapped_column(UserDocument)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    last_totp_step: Mapped[int | None] = mapped_column(Integer)
    #: When the account was made: a required second factor's grace period counts from here (None: an
    #: account older than this column, whose grace is over).
    created_at: Mapped[float | None] = mapped_column(default=None)
    #: Whether the account ever had a second factor: the grace period is only for one that never did,
    #: so a user whose factor was reset or turned off enrols at the next login.
    had_second_factor: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def two_factor(self) -> dict[str, Any]:
        return self.document.get("twoFactor") or {}

    @property
    def two_factor_enabled(self) -> bool:
        return bool(self.two_factor.get("enabled")) and bool(self.two_factor.get("secretKey"))


class LoginSession(db.Model):
    """A sign-in at the auth server; the ``authserver_session`` cookie only carries its id."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: When the password was accepted: the absolute lifetime counts from here, across the rotation.
    created_at: Mapped[float] = mapped_column(default=0)
    #: The last request that used it (to the minute): the idle lifetime counts from here.
    last_seen_at: Mapped[float] = mapped_column(default=0)
    #: True until the TOTP step is passed when the user has two-factor on.
    second_factor_pending: Mapped[bool] = mapped_column(default=False)
    #: Outcome of the last webhook delivery of a code: None (not sent), True (sent), False (failed).
    code_delivered: Mapped[bool | None] = mapped_column(default=None)
    #: Loaded in the same query as the session: every page that reads one needs the other.
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    def get_user_id(self) -> str:
        return self.user_id


class AuthorizationCode(db.Model, OAuth2AuthorizationCodeMixin):
    __tablename__ = "oauth2_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The mixin's clear-text column is left out: only the hash is stored (oauth/token_hash.py).
    code = None
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(String(128))
    login_session_id: Mapped[str] = mapped_column(String(64), index=True)
    #: The exchange needs the session (and its user): one query reads all three.
    login_session: Mapped[LoginSession | None] = relationship(
        primaryjoin="foreign(AuthorizationCode.login_session_id) == LoginSession.id",
        lazy="joined",
        viewonly=True,
    )

    def is_expired(self) -> bool:
        return self.auth_time + 300 < now()


class Token(db.Model, OAuth2TokenMixin):
    __tablename__ = "oauth2_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The mixin's clear-text columns are left out: only hashes are stored (oauth/token_hash.py).
    access_token = None
    refresh_token = None
    access_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    #: The code this token came from, directly or by refreshing: a second use of that code revokes it.
    authorization_code_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    #: The login session that issued this token; DELETE /Session ends it.
    login_session_id: Mapped[str] = mapped_column(String(64), index=True)
    #: GET /auth/userinfo reads the token and its user in one query.
    user: Mapped[User | None] = relationship(
        primaryjoin="foreign(Token.user_id) == User.id", lazy="joined", viewonly=True
    )

    def is_expired(self) -> bool:
        return bool(self.expires_in) and self.issued_at + self.expires_in < now()

    def is_refresh_token_valid(self) -> bool:
        return not self.refresh_token_revoked_at and not self.access_token_revoked_at


class AuditEvent(db.Model):
    """One entry of the audit log (audit.py): what happened to whose two-factor, when, from where."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    recorded: Mapped[float]
    ip: Mapped[str | None] = mapped_column(String(64))

    def as_resource(self) -> dict:
        return {
            "resourceType": "AuditEvent",
            "id": str(self.id),
            "type": self.type,
            "user": self.user_id,
            "recorded": datetime.fromtimestamp(self.recorded, UTC).isoformat().replace("+00:00", "Z"),
            "ip": self.ip,
        }


class RecoveryCode(db.Model):
    """One recovery code of a user, as a keyed hash (two_factor/recovery_codes.py)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    used_at: Mapped[float | None] = mapped_column(default=None)


class Passkey(db.Model):
    """A WebAuthn credential of a user (two_factor/passkeys.py): its public key and sign counter."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The authenticator's id for the credential, base64url (what an assertion names).
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    #: COSE-encoded; public, but never shown: nothing outside this server needs it.
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    #: What the browser reported ("internal", "usb", "hybrid", ...): a hint for the next ceremony.
    transports: Mapped[list[str]] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float]
    last_used_at: Mapped[float | None] = mapped_column(default=None)


class PasskeyChallenge(db.Model):
    """A WebAuthn challenge waiting for its answer: single-use, short-lived, bound to one session
    (two_factor/passkey_challenges.py)."""

    __tablename__ = "passkey_challenges"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: None for a passwordless sign-in, where the passkey says whose it is.
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "register" or "authenticate".
    purpose: Mapped[str] = mapped_column(String(16))
    challenge: Mapped[bytes] = mapped_column(LargeBinary)
    #: SHA-256 of what the session is known by: another session's answer does not match.
    session_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(index=True)


class SecondFactorLock(db.Model):
    """A user whose codes are refused until unlocked (two_factor/lock.py)."""

    __tablename__ = "second_factor_locks"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    locked_at: Mapped[float]


class CodeSend(db.Model):
    """One attempt to send a user a code through the webhook (two_factor/code_sends.py)."""

    __tablename__ = "code_sends"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    sent_at: Mapped[float]
    delivered: Mapped[bool]
    #: What the code was for: code_sends.LOGIN, DISABLE or SETUP.
    purpose: Mapped[str] = mapped_column(String(16), default="login")


class PendingTwoFactorLogin(db.Model):
    """A password that was right for a user with two-factor on, waiting for the code
    (two_factor/pending_logins.py)."""

    __tablename__ = "api_two_factor_logins"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[float] = mapped_column(default=0)
    failed_codes: Mapped[int] = mapped_column(default=0)
    #: Outcome of the webhook delivery of a code (verify.deliver_code sets it).
    code_delivered: Mapped[bool | None] = mapped_column(default=None)


class ThrottleEntry(db.Model):
    """One counted attempt (a wrong code, a wrong password, a signup) under one tier's key
    (two_factor/throttle_storage.py)."""

    __tablename__ = "throttle_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(1024), index=True)
    at: Mapped[float]
    expires_at: Mapped[float] = mapped_column(index=True)


class RecentSignup(db.Model):
    """The form that created a user, for ``recent_signups.WINDOW_SECONDS`` (accounts/recent_signups.py)."""

    __tablename__ = "recent_signups"

    # No foreign key: this row is added before its user (both are committed together).
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    form_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float]


class TrustedBrowser(db.Model):
    """A browser where the user ticked "Don't ask again": the cookie holds a random token, this row only
    its SHA-256 (accounts/trusted_browsers.py)."""

    __tablename__ = "trusted_browsers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: From the User-Agent ("Chrome on Linux"), for the list on the settings page.
    label: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float]
    last_used_at: Mapped[float]
    expires_at: Mapped[float]


class SigningKey(db.Model):
    """The RSA key that signs ID tokens (oauth/openid.py), made once; the PEM is encrypted (secret_box.py)."""

    __tablename__ = "signing_keys"

    #: What the key signs ("id_token"): one row each, so two workers making it at once keep one.
    use: Mapped[str] = mapped_column(String(32), primary_key=True)
    kid: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float]
    encrypted_pem: Mapped[str] = mapped_column(Text)
