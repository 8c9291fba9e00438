"""The HTML forms (Flask-WTF: every form carries and checks a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import AnyOf, EqualTo, InputRequired, Length, Regexp


def _no_spaces(value: str | None) -> str | None:
    return "".join(value.split()) if isinstance(value, str) else value


def _clean_email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


_EMAIL = {"autocomplete": "email", "inputmode": "email", "autofocus": True}
# [0-9], not \d: Python's \d also matches other scripts' digits.
_CODE_ONLY = Regexp(r"[0-9]{6}\Z", message="Enter the 6-digit code (numbers only).")
# At the login step a recovery code (xxxx-xxxx) may stand in for the 6-digit code.
_CODE_OR_RECOVERY = Regexp(
    r"([0-9]{6}|[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})\Z",
    message="Enter the 6-digit code, or a recovery code like abcd-2345.",
)
_CODE_INPUT = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "maxlength": 9,
    "autofocus": True,
}


class LoginForm(FlaskForm):
    email = StringField(
        "Email",
        filters=[_clean_email],
        validators=[InputRequired("Enter your email."), Length(max=320)],
        render_kw=_EMAIL,
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
        validators=[
            InputRequired("Choose a password."),
            Length(min=8, message="Use at least 8 characters for your password."),
            Length(max=1024, message="Use at most 1024 characters for your password."),
        ],
        render_kw={"autocomplete": "new-password", "minlength": 8, "aria-describedby": "password-hint"},
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
    token = StringField(
        "Code",
        filters=[_no_spaces],
        validators=[InputRequired("Enter the 6-digit code."), _CODE_OR_RECOVERY],
        # No numeric keyboard: a recovery code has letters.
        render_kw={**_CODE_INPUT, "inputmode": "text", "aria-describedby": "recovery-hint"},
    )
    submit = SubmitField("Verify")


class DisableForm(FlaskForm):
    token = StringField(
        "Code",
        filters=[_no_spaces],
        validators=[InputRequired("Enter the 6-digit code."), _CODE_ONLY],
        render_kw=_CODE_INPUT,
    )
    submit = SubmitField("Disable two-factor authentication")


class ResendForm(FlaskForm):
    """A button only (CSRF-protected)."""

    submit = SubmitField("Resend code")


class ConsentForm(FlaskForm):
    """Allow or Deny: the page's two submit buttons both carry ``decision``."""

    decision = StringField(validators=[InputRequired(), AnyOf(("allow", "deny"))])
