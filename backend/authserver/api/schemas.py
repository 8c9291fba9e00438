"""The resource documents (AuthConfig, Client, AidboxConfig, User), each declared once as a pydantic model:
the model checks a PUT or a merged PATCH, and /openapi.json describes the API with its JSON Schema.

Unknown attributes and wrong types answer 422 naming the attribute (backend.common.json_body). An
optional attribute may be ``null``: it is dropped, as a JSON merge patch (RFC 7396) removes it.
"""

from __future__ import annotations

import binascii
import re
from base64 import b32decode
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WrapValidator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from backend.common.errors import ApiError
from backend.common.json_body import StrictBody, parse_object

from ..web.csp_sources import csp_origin

_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _http_url(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http(s) URL")
    return value


def _csp_safe(value: str) -> str:
    """The forms name a theme URL's origin in their Content-Security-Policy (web/csp_sources.py)."""
    if csp_origin(value) is None:
        raise ValueError("must be an http(s) URL without spaces, quotes, ';' or ','")
    return value


def _brand(value: str) -> str:
    """Text, or an image URL: the forms show an http(s) value as an image and allow its origin."""
    if value.startswith(("http://", "https://")):
        return _csp_safe(_http_url(value))
    return value


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.fullmatch(value):
        raise ValueError("must be an email address")
    return value


def _base32_secret(value: str) -> str:
    try:
        raw = b32decode(value + "=" * (-len(value) % 8), casefold=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be a base32 secret") from None
    if len(raw) * 8 < 128:
        raise ValueError("must be a base32 secret of at least 128 bits")
    return value.upper()


Url = Annotated[str, Field(max_length=2048, json_schema_extra={"format": "uri"}), AfterValidator(_http_url)]
ThemeUrl = Annotated[Url, AfterValidator(_csp_safe)]
Brand = Annotated[
    str, Field(max_length=2048, description="Text, or an http(s) image URL"), AfterValidator(_brand)
]
Email = Annotated[str, Field(max_length=320, json_schema_extra={"format": "email"}), AfterValidator(_email)]
Base32Secret = Annotated[
    str, Field(max_length=128, description="base32, at least 128 bits"), AfterValidator(_base32_secret)
]


class Document(StrictBody):
    """What every resource may carry besides its own attributes."""

    id: str | None = Field(None, max_length=128, description="The id in the URL, when given")
    meta: dict[str, Any] | None = Field(None, description="Accepted and not stored")


class Webhook(StrictBody):
    endpoint: Url
    headers: dict[str, Annotated[str, Field(max_length=4096)]] | None = None
    timeout: int | None = Field(None, ge=1, le=60_000, description="Milliseconds")


class TwoFactorSettings(StrictBody):
    issuerName: str | None = Field(None, max_length=128, description="Shown in the authenticator app")
    validPastTokensCount: int | None = Field(
        None, ge=0, le=10, description="Previous 30 s steps still accepted"
    )
    webhook: Webhook | None = None
    trustBrowserDays: int | None = Field(
        None, ge=0, le=365, description="How long a trusted browser skips the code (30 days); 0: never"
    )
    required: bool | None = Field(
        None, description="Every user sets up a second factor before an OAuth flow finishes"
    )
    gracePeriodDays: int | None = Field(
        None, ge=0, le=365, description="With required: days after signup without one (0: none)"
    )


class Theme(StrictBody):
    """The login forms' look."""

    title: str | None = Field(None, max_length=200)
    brand: Brand | None = None
    styleUrl: ThemeUrl | None = None


class AuthConfig(Document):
    resourceType: Literal["AuthConfig"] | None = None
    twoFactor: TwoFactorSettings | None = None
    theme: Theme | None = None


class ImplicitGrant(StrictBody):
    redirect_uri: Url | None = None


class CodeGrant(StrictBody):
    redirect_uri: Url | None = None
    pkce: bool | None = None
    refresh_token: bool | None = None


class ClientAuth(StrictBody):
    implicit: ImplicitGrant | None = None
    authorization_code: CodeGrant | None = None


class Client(Document):
    resourceType: Literal["Client"] | None = None
    secret: str | None = Field(None, max_length=512)
    first_party: bool | None = None
    grant_types: list[Annotated[str, Field(max_length=64)]] | None = None
    auth: ClientAuth | None = None


class ConsoleProvider(StrictBody):
    type: Literal["console"]


class SmtpProvider(StrictBody):
    type: Literal["smtp"]
    host: str = Field(max_length=255)
    port: int = Field(ge=1, le=65535)
    sender: str = Field(alias="from", max_length=320)
    username: str | None = Field(None, max_length=255)
    password: str | None = Field(None, max_length=512)
    tls: bool | None = None


class ProviderType(BaseModel):
    type: Literal["console", "smtp"]


def _as_its_type(value: Any, _union: Any) -> ConsoleProvider | SmtpProvider:
    """The entry checked as the class its ``type`` names. The tagged union's own check would name
    ``provider.smtp.smtp.port`` (the tag in the path) and, for an unknown type, not name ``type``."""
    kind = ProviderType.model_validate(value).type
    return (SmtpProvider if kind == "smtp" else ConsoleProvider).model_validate(value)


Provider = Annotated[ConsoleProvider | SmtpProvider, Field(discriminator="type"), WrapValidator(_as_its_type)]


class Providers(StrictBody):
    """Email providers by name, and ``default``: the name of the one that sends."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Provider]

    default: str | None = Field(None, max_length=128)

    @model_validator(mode="after")
    def _default_names_a_provider(self) -> Providers:
        if self.default is not None and self.default not in self.__pydantic_extra__:
            problem = PydanticCustomError("value_error", "must be the name of a provider in this object")
            raise ValidationError.from_exception_data(
                "Providers", [InitErrorDetails(type=problem, loc=("default",), input=self.default)]
            )
        return self


class AidboxConfig(Document):
    resourceType: Literal["AidboxConfig"] | None = None
    provider: Providers | None = None


class UserTwoFactor(StrictBody):
    enabled: bool | None = None
    transport: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="Codes sent by the webhook, which delivers them: email and sms in the bundled app,"
        " any other name is passed on as it is (as Aidbox does)",
    )
    secretKey: Base32Secret | None = None

    @model_validator(mode="after")
    def _secret_when_enabled(self) -> UserTwoFactor:
        if self.enabled and not self.secretKey:
            raise ValueError("'secretKey' is required when enabled")
        return self


class User(Document):
    resourceType: Literal["User"] | None = None
    email: Email
    password: str | None = Field(None, max_length=1024, description="Write only: stored as a hash")
    phoneNumber: str | None = Field(None, max_length=32)
    twoFactor: UserTwoFactor | None = None


DOCUMENTS: dict[str, type[Document]] = {
    "AuthConfig": AuthConfig,
    "Client": Client,
    "AidboxConfig": AidboxConfig,
    "User": User,
}


def check_id(resource_id: str) -> None:
    """A resource id is 1 to 64 letters, digits, '-' or '.'; anything else is a 422 naming ``id``."""
    if not _ID.fullmatch(resource_id):
        raise _invalid_id("1 to 64 letters, digits, '-' or '.'")


def validate(resource_type: str, resource_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The checked document with ``resourceType`` and ``id`` set; raises ApiError 422."""
    check_id(resource_id)
    if body.get("id", resource_id) != resource_id:
        raise _invalid_id(f"'{resource_id}' (the id in the URL)")
    document = parse_object(DOCUMENTS[resource_type], body)
    attributes = document.model_dump(exclude_none=True, by_alias=True, exclude={"meta"})
    return {"resourceType": resource_type, "id": resource_id, **attributes}


def _invalid_id(expected: str) -> ApiError:
    return ApiError(422, "invalid_field", f"'id' must be {expected}.", field="id")


class PublicTwoFactor(BaseModel):
    enabled: bool
    transport: str | None = None
    passkey: Literal[True] | None = Field(
        None,
        description="Only while two-factor codes are off and the step after the password asks for one of"
        " the user's passkeys instead (AuthConfig.twoFactor.required)",
    )


class PublicUser(BaseModel):
    """What a user's own token may see of their User: no secretKey, no password hash."""

    id: str
    email: str
    phoneNumber: str | None = None
    twoFactor: PublicTwoFactor
    twoFactorRequired: Literal[True] | None = Field(
        None,
        description="Only while AuthConfig.twoFactor.required applies and the user has no second factor"
        " yet (within the grace period too)",
    )
