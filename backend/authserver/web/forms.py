"""The HTML forms (Flask-WTF: every form carries and checks a CSRF token)."""

from __future__ import annotations

import json
from typing import Any

import phonenumbers
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, PasswordField, StringField, SubmitField, TelField
from wtforms.validators import AnyOf, EqualTo, InputRequired, Length, Regexp, ValidationError

from backend.common import totp


def _normalised_code(value: str | None) -> str | None:
    """A pasted ``806 056`` or `` 806-056 `` before the checks (see totp.normalise_code)."""
    return totp.normalise_code(value) if isinstance(value, str) else value


def _clean_email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


_EMAIL = {"autocomplete": "email", "inputmode": "email", "autofocus": True}
# "webauthn": the browser offers this site's passkeys in the field's autofill (conditional mediation).
_LOGIN_EMAIL = {**_EMAIL, "autocomplete": "username webauthn"}
# [0-9], not \d: Python's \d also matches other scripts' digits.
_CODE_ONLY = Regexp(r"[0-9]{6}\Z", message="Enter the 6-digit code (numbers only).")
# At the login step a recovery code (xxxx-xxxx, its dash removed by now) may stand in for the code.
_CODE_OR_RECOVERY = Regexp(
    r"([0-9]{6}|[A-Za-z0-9]{8})\Z",
    message="Enter the 6-digit code, or a recovery code like abcd-2345.",
)
# A numeric keypad on phones; no maxlength or pattern, which would cut or refuse a pasted "806 056".
_CODE_INPUT = {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
_RECOVERY_INPUT = {
    "autocomplete": "off",
    "autocapitalize": "none",
    "spellcheck": "false",
    "autofocus": True,
}


def _code_field(label: str, missing: str, check: Regexp, render_kw: dict[str, Any]) -> StringField:
    """A field for a one-time code, read without the spaces and dashes people paste with it."""
    return StringField(
        label, filters=[_normalised_code], validators=[InputRequired(missing), check], render_kw=render_kw
    )


_NEW_PASSWORD = [
    Length(min=8, message="Use at least 8 characters for your password."),
    Length(max=1024, message="Use at most 1024 characters for your password."),
]
_NEW_PASSWORD_INPUT = {"autocomplete": "new-password", "minlength": 8, "aria-describedby": "password-hint"}


class LoginForm(FlaskForm):
    email = StringField(
        "Email",
        filters=[_clean_email],
        validators=[InputRequired("Enter your email."), Length(max=320)],
        render_kw=_LOGIN_EMAIL,
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Log in")


class SignupForm(FlaskForm):
    email = StringField(
        "Email",
        filters=[_clean_email],
        validators=[
            InputRequired("Enter your email."),
            Length(max=320),
            Regexp(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z", message="Enter an email address like ann@example.com."),
        ],
        render_kw=_EMAIL,
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Choose a password."), *_NEW_PASSWORD],
        render_kw=_NEW_PASSWORD_INPUT,
    )
    password_confirm = PasswordField(
        "Confirm password",
        validators=[
            InputRequired("Type the password again."),
            EqualTo("password", message="The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Sign up")


class TokenForm(FlaskForm):
    """The login's code step. Either field accepts either kind of code; they differ in the keyboard."""

    token = _code_field("Code", "Enter the 6-digit code.", _CODE_OR_RECOVERY, _CODE_INPUT)
    #: Its label names the days (the view sets it from AuthConfig).
    trust_browser = BooleanField("Don't ask again on this browser")
    submit = SubmitField("Verify")


class RecoveryCodeForm(TokenForm):
    """ "Use a recovery code": a text field, since recovery codes have letters."""

    token = _code_field(
        "Recovery code", "Enter one of your recovery codes.", _CODE_OR_RECOVERY, _RECOVERY_INPUT
    )


class EnrolForm(FlaskForm):
    """The first code of a new authenticator-app secret (a recovery code cannot stand in for it)."""

    token = _code_field("Code", "Enter the 6-digit code.", _CODE_ONLY, _CODE_INPUT)
    submit = SubmitField("Turn on and continue")


INVALID_PHONE = "Enter a mobile number in international format: + and the country code, e.g. +1 415 555 0100."


def _e164(form: FlaskForm, field: Field) -> None:
    """A valid number, kept in E.164 form (``+14155550100``) as the webhook and the app expect it."""
    try:
        number = phonenumbers.parse(field.data, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID_PHONE) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE)
    field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneForm(FlaskForm):
    """The mobile number a first code goes to by text message."""

    phone_number = TelField(
        "Mobile number",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[InputRequired("Enter your mobile number."), Length(max=40, message=INVALID_PHONE), _e164],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "autofocus": True},
    )
    submit = SubmitField("Send code")


class DisableForm(FlaskForm):
    token = _code_field("Code", "Enter the 6-digit code.", _CODE_ONLY, _CODE_INPUT)
    submit = SubmitField("Disable two-factor authentication")


class PasskeyForm(FlaskForm):
    """A passkey's answer: passkey.js fills both fields from the browser (``credential.toJSON()``)."""

    challenge_id = HiddenField(validators=[InputRequired("Use your passkey first."), Length(max=64)])
    credential = HiddenField(validators=[InputRequired("Use your passkey first."), Length(max=16 * 1024)])

    def credential_object(self) -> dict[str, Any]:
        """The posted credential; an empty object (refused as unreadable by the check) when not JSON."""
        try:
            value = json.loads(self.credential.data)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class PasskeyStepForm(PasskeyForm):
    """A passkey at the code step; passkey.js copies the "Don't ask again" box into ``trust_browser``."""

    trust_browser = HiddenField()

    @property
    def trust_wanted(self) -> bool:
        return self.trust_browser.data == "y"


class ResendForm(FlaskForm):
    """A button only (CSRF-protected)."""

    submit = SubmitField("Resend code")


class ConsentForm(FlaskForm):
    """Allow or Deny: the page's two submit buttons both carry ``decision``."""

    decision = StringField(validators=[InputRequired(), AnyOf(("allow", "deny"))])


class PasswordChangeForm(FlaskForm):
    """The current password, then the new one twice."""

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=1024)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    new_password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a new password."), *_NEW_PASSWORD],
        render_kw=_NEW_PASSWORD_INPUT,
    )
    new_password_confirm = PasswordField(
        "Confirm new password",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("new_password", message="The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Change password")


class PasswordChangeWithCodeForm(PasswordChangeForm):
    """With two-factor on, a current code (or a recovery code) too: a stolen password alone is not enough."""

    token = _code_field(
        "Code",
        "Enter the 6-digit code, or a recovery code.",
        _CODE_OR_RECOVERY,
        {"autocomplete": "one-time-code"},
    )


class PasswordChangeWithPasskeyForm(PasswordChangeForm, PasskeyForm):
    """Where the user's only second factor is a passkey asked for at every login: its answer too
    (passkey.js fills it when "Change password" is pressed)."""
