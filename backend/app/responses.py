"""The JSON answers of the app's API, as /openapi.json describes them (openapi.py): one class each."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .bodies import Method
from .features import Feature

SentTo = Annotated[str, Field(description="Where the code went, masked: a•••@example.com or +1 ••• ••• 0100")]


class Status(BaseModel):
    """Whether two-factor is on, and how."""

    enabled: bool
    method: Method | Literal["webhook"] | None = Field(
        description='"webhook": a transport of another name (set at the auth server), delivered elsewhere'
    )
    phone: str | None = Field(None, description="SMS users only. The number on file, masked: +1 ••• ••• 0100")
    passkey: Literal[True] | None = Field(
        None,
        description="Only while off: the auth server asks for one of the user's passkeys after the password"
        " instead (AuthConfig.twoFactor.required), so the passkey is the second factor",
    )


Unavailable = Annotated[
    list[Feature] | None,
    Field(None, description="AUTH_SERVER_KIND=aidbox only: the features the page must not offer"),
]


class Me(BaseModel):
    id: str
    email: str
    twoFactor: Status
    unavailable: Unavailable


class StatusReport(Status):
    recoveryCodesRemaining: int | None = Field(
        None, ge=0, description="0 when off; absent where recovery codes are unavailable"
    )
    unavailable: Unavailable
    pendingSetup: Literal["totp"] | None = Field(
        None, description="Only while an authenticator-app setup waits for its code"
    )
    required: Literal[True] | None = Field(
        None, description="Only while off and AuthConfig.twoFactor.required: the user must set it up"
    )


class TotpSetup(BaseModel):
    secret: str
    otpauthUrl: str = Field(pattern="^otpauth://totp/")
    qrDataUrl: str = Field(pattern="^data:image/png;base64,")


class PendingTotpSetup(TotpSetup):
    expired: bool = Field(description="A new secret replaced one that expired")


class NewRecoveryCodes(BaseModel):
    """A new set of recovery codes, and the site (issuer) and account they belong to."""

    recoveryCodes: list[str] = Field(description="Single use (xxxx-xxxx); shown in this answer only")
    issuer: str = Field(description="AuthConfig twoFactor.issuerName")
    account: str = Field(description="The user's email")


class TrustedBrowser(BaseModel):
    """A browser where the user ticked "Don't ask again": it skips the second factor after the password."""

    id: int
    label: str = Field(description='From its User-Agent: "Chrome on Linux"')
    created: str = Field(description="When it was trusted (ISO 8601)")
    lastUsed: str = Field(description="Its last login without the second factor (ISO 8601)")
    expires: str = Field(description="When it asks again on its own (ISO 8601)")


class TrustedBrowsers(BaseModel):
    trustedBrowsers: list[TrustedBrowser] = Field(description="Most recently used first")


class Enabled(Status, NewRecoveryCodes):
    """Two-factor is on (with a new method), and its new recovery codes."""


class Sent(BaseModel):
    """A setup code was sent by email or SMS."""

    enabled: Literal[False]
    method: Literal["email", "sms"]
    pending: Literal[True]
    sentTo: SentTo


class Disabled(BaseModel):
    enabled: Literal[False]
    method: None
    passkey: Literal[True] | None = Field(None, description="A passkey is still asked for after the password")


class CodeSent(BaseModel):
    sentTo: SentTo


class ChangeOpened(BaseModel):
    expiresIn: int = Field(description="Seconds the change stays open")


class NewTotpSetup(TotpSetup):
    method: Literal["totp"]


class NewMethodSent(BaseModel):
    method: Literal["email", "sms"]
    pending: Literal[True]
    sentTo: SentTo


class NumberSent(BaseModel):
    pending: Literal[True]
    sentTo: SentTo


class LoggedOut(BaseModel):
    loggedOut: Literal[True]


class Delivered(BaseModel):
    delivered: bool
