"""The page that changes the password: on the auth server, which holds it (as Keycloak's account
console and GitHub's settings do), so the app never sees a password. The current password, the second
factor the login asks for (a current code or a recovery code when two-factor is on; the passkey where
it is the user's only second factor under the required policy), the new password twice. Every POST is
answered with a redirect (post/redirect/get, see post_redirect_get.py).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, url_for

from ..accounts import login_session
from ..accounts.hash_pool import PasswordCheckUnavailable
from ..accounts.password_change import change_password
from ..models import LoginSession, User
from ..two_factor import passkeys, policy
from ..two_factor.attempts import Outcome, attempt_code, attempt_passkey, attempt_password
from ..two_factor.passkeys import PasskeyRefused
from ..two_factor.throttle import wait_message
from .forms import PasswordChangeForm, PasswordChangeWithCodeForm, PasswordChangeWithPasskeyForm
from .post_redirect_get import Notice, form_refused, render_form_page, see_other, take_notice
from .two_factor import refusal

bp = Blueprint("password", __name__)

CHANGED = "Your password was changed. You were signed out everywhere else, trusted browsers included."


def _form(user: User) -> PasswordChangeForm:
    if user.two_factor_enabled:
        return PasswordChangeWithCodeForm()
    if policy.second_factor_asked(user):
        return PasswordChangeWithPasskeyForm()
    return PasswordChangeForm()


def _passkey_options(form: PasswordChangeForm, login: LoginSession) -> dict:
    """The options passkey.js asks the browser with, for a form that needs the passkey (fresh ones)."""
    if not isinstance(form, PasswordChangeWithPasskeyForm):
        return {}
    offered = passkeys.authentication_options(login.user, login.id)
    form.challenge_id.data = offered["challengeId"]
    return {"passkey_options": json.dumps(offered["publicKey"])}


def _second_factor(user: User, form: PasswordChangeForm, login: LoginSession) -> Outcome:
    """The second factor this form carries (none where the login asks for none)."""
    if isinstance(form, PasswordChangeWithCodeForm):
        return attempt_code(user, form.token.data, recovery_allowed=True)
    if isinstance(form, PasswordChangeWithPasskeyForm):
        credential = form.credential_object()
        return attempt_passkey(
            user, lambda: passkeys.check_assertion(user, login.id, form.challenge_id.data, credential)
        )
    return Outcome(True)


def _sign_in_first() -> Response:
    return see_other(url_for("login.login", next=url_for("password.page")))


@bp.get("/auth/password")
def page() -> Response:
    """The password change form (the login first when not signed in)."""
    user = login_session.signed_in_user()
    if user is None:
        return _sign_in_first()
    form = _form(user)
    options = _passkey_options(form, login_session.current())
    action = url_for("password.change")
    return render_form_page("password.html", take_notice(), form, action=action, **options)


@bp.post("/auth/password")
def change() -> Response:
    """Check the current password (throttled like logins) and the second factor the login asks for; then
    store the new password and end every other sign-in. Back to the form (303) with what happened."""
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
        login = login_session.current()
        second_factor = _second_factor(user, form, login)
        if not second_factor.ok:
            return see_other(again, refusal(user, second_factor))
        change_password(user, form.new_password.data, keep=login)
    except PasskeyRefused as refused:
        return see_other(again, Notice(401, refused.message))
    except PasswordCheckUnavailable as busy:
        return see_other(again, Notice(503, busy.description, retry_after=busy.retry_after))
    return see_other(again, Notice(message=CHANGED))
