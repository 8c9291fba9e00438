"""Post/redirect/get for the HTML forms: a POST is answered with a 303 to a page, never with a page.

Back and Reload then repeat a GET, not the POST: no "Confirm Form Resubmission", and a wrong code is
never sent (and counted) twice. What the next GET shows waits in the session cookie for that one GET:
the message, the status it stands for (401, 422, 429 with Retry-After), the field errors and the
email typed, never a password or a code. The cookie is signed, so a browser cannot make up a notice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from flask import Response, redirect, session
from flask_wtf import FlaskForm

from .pages import render_page

_KEY = "form_notice"


@dataclass
class Notice:
    """What the page after a POST says about it."""

    status: int = 200
    error: str | None = None
    #: Information rather than an error (e.g. "You will sign in with your password only.").
    message: str | None = None
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    email: str | None = None
    retry_after: int | None = None


def see_other(url: str, notice: Notice | None = None) -> Response:
    """303 to ``url`` (a GET, whatever the POST was), with ``notice`` kept for that page."""
    if notice is not None:
        session[_KEY] = asdict(notice)
    return redirect(url, 303)


def form_refused(url: str, form: FlaskForm, email: str | None = None) -> Response:
    """Back to the form with the errors of its fields (422)."""
    return see_other(url, Notice(422, field_errors=dict(form.errors), email=email))


def take_notice() -> Notice:
    """The notice left by the POST before this GET (once), or an empty one."""
    saved = session.pop(_KEY, None)
    if not isinstance(saved, dict):
        return Notice()
    known = {item.name for item in fields(Notice)}
    return Notice(**{name: value for name, value in saved.items() if name in known})


def render_form_page(template: str, notice: Notice, form: FlaskForm, **context: Any) -> Response:
    """``template`` with ``form`` showing the notice's field errors, its message and its status."""
    for name, messages in notice.field_errors.items():
        if name in form:
            form[name].errors = list(messages)
    page = render_page(
        template,
        notice.status,
        form=form,
        error=notice.error,
        message=notice.message,
        **context,
    )
    if notice.retry_after is not None:
        page.headers["Retry-After"] = str(notice.retry_after)
    return page
