"""The JSON request bodies of the app's API, each declared once: the view reads its body with
``parse_body(Model)`` and /openapi.json describes the same class (openapi.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from backend.common.json_body import OneTimeCode, StrictBody

from .phone import PhoneNumber

Method = Literal["totp", "email", "sms"]
Password = Annotated[str, Field(min_length=1, max_length=1024)]


class EmptyBody(StrictBody):
    """``{}``: the JSON body a mutation carries even when it needs no fields (the CSRF defence)."""


class EnableBody(StrictBody):
    """PUT /api/user/two-factor: confirm a setup with its code; email or sms without one: send a code."""

    enabled: Literal[True] = Field(description="Only true: DELETE turns two-factor off")
    method: Method
    code: OneTimeCode | None = Field(None, description="6 digits, of the setup")
    phoneNumber: PhoneNumber | None = Field(None, description="sms without code: the mobile number")


class PasswordBody(StrictBody):
    """DELETE /api/user/two-factor: the account password again."""

    password: Password


class CodeBody(StrictBody):
    """A current code of the method that is on (new recovery codes), or of the new one (a change)."""

    code: OneTimeCode = Field(description="6 digits")


class OpenChangeBody(StrictBody):
    """POST /api/user/two-factor/change: the password, or a current code of the method that is on."""

    password: Password | None = None
    code: OneTimeCode | None = Field(None, description="6 digits, of the method that is on")


class NewMethodBody(StrictBody):
    """PUT /api/user/two-factor/change: the method to set up beside the one that is on."""

    method: Method
    phoneNumber: PhoneNumber | None = Field(None, description="Method sms: the new mobile number")


class PhoneChangeBody(StrictBody):
    """PUT /api/user/phone: start with ``phoneNumber`` and ``currentCode``, confirm with ``code``."""

    phoneNumber: PhoneNumber | None = Field(None, description="The new number")
    currentCode: OneTimeCode | None = Field(None, description="Sent by POST /api/user/phone/current-code")
    code: OneTimeCode | None = Field(None, description="Sent to the new number")
