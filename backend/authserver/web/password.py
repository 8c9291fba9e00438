"""The page that changes the password: on the auth server, which holds it (as Keycloak's account
console and GitHub's settings do), so the app never sees a password. The current password, a current
code (or a recovery code) when two-factor is on, the new password twice. Every POST is answered with a
redirect (post/redirect/get, see post_redirect_get.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from ..accounts import login_session
from ..accounts.hash_pool import PasswordCheckUnavailable
from ..accounts.password_change import change_password
from ..models import User
from ..two_factor.attempts import attempt_code, attempt_password
from ..two_factor.throttle import wait_message
from .forms import PasswordChangeForm, PasswordChangeWithCodeForm
from .post_redirect_get import Notice, form_refused, render_form_page, see_other, take_notice
from .two_factor import refusal

bp = Blueprint("password", __name__)

CHANGED = "Your password was changed. You were signed out everywhere else, trusted browsers included."


def _form(user: User) -> PasswordChangeForm:
    return PasswordChangeWithCodeForm() if user.two_factor_enabled else PasswordChangeForm()


def _sign_in_first() -> Response:
    return see_other(url_for("login.login", next=url_for("password.page")))


@bp.get("/auth/password")
def page() -> Response:
    """The password change form (the login first when not signed in)."""
    user = login_session.signed_in_user()
    if user is None:
        return _sign_in_first()
    return render_form_page("password.html", take_notice(), _form(user), action=url_for("password.change"))


@bp.post("/auth/password")
def change() -> Response:
    """Check the current password (throttled like logins) and, with two-factor on, a code; then store the
    new password and end every other sign-in. Back to the form (303) with what happened."""
    user = login_session.signed_in_user()
    if user is None:
        return _sign_in_first()
    again = url_for("password.page")
    form = _form(user)
    if not form.validate_on_submit():
        return form_refused(again, form)
    try:
        outcome = attempt_password(user, user.email, form.current_password.data)
        if outcome.retry_after is not None:
            message = wait_message(outcome.retry_after)
            return see_other(again, Notice(429, message, retry_after=outcome.retry_after))
        if not outcome.ok:
            return see_other(again, Notice(401, "Your current password is not correct."))
        if user.two_factor_enabled:
            code_outcome = attempt_code(user, form.token.data, recovery_allowed=True)
            if not code_outcome.ok:
                return see_other(again, refusal(user, code_outcome))
        change_password(user, form.new_password.data, keep=login_session.current())
    except PasswordCheckUnavailable as busy:
        return see_other(again, Notice(503, busy.description, retry_after=busy.retry_after))
    return see_other(again, Notice(message=CHANGED))
