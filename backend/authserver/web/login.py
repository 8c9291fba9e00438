"""The login and signup forms, and the page a user sees when signed in outside an OAuth flow.

Every POST is answered with a redirect (post/redirect/get, see post_redirect_get.py).
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable

from flask import Blueprint, Response, jsonify, redirect, request, session, url_for
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from backend.common.durations import in_words
from backend.common.errors import ApiError, error_response

from .. import store
from ..accounts import login_session, notify, recent_signups, trusted_browsers
from ..accounts.hash_pool import PasswordCheckUnavailable
from ..extensions import db
from ..models import LoginSession, User
from ..oauth.flow import client_problem, finish, flow_args, url_with_flow
from ..two_factor import passkeys
from ..two_factor.attempts import attempt_password, attempt_passwordless, count_signup
from ..two_factor.passkeys import PasskeyRefused
from ..two_factor.throttle import wait_message
from ..two_factor.verify import start_second_factor
from .forms import LoginForm, PasskeyForm, SignupForm
from .pages import error_page, render_page
from .post_redirect_get import Notice, form_refused, render_form_page, see_other, take_notice

bp = Blueprint("login", __name__)


def _refusing_a_broken_flow(view: Callable[[], Response]) -> Callable[[], Response]:
    """A broken client request is refused (an error page) before anyone types a password into it."""

    @functools.wraps(view)
    def checked() -> Response:
        problem = client_problem() if flow_args().get("client_id") else None
        return error_page(problem) if problem else view()

    return checked


def _form_page(template: str, form_class: type, **context) -> Response:
    """The form as the last POST left it: its message and status, the email typed (never a password)."""
    notice = take_notice()
    return render_form_page(template, notice, form_class(email=notice.email), **context)


def _busy_notice(busy: PasswordCheckUnavailable, email: str) -> Notice:
    """The form again, saying to retry: the password was not looked at, nothing was counted or saved."""
    return Notice(503, busy.description, email=email, retry_after=busy.retry_after)


#: The Flask session's key for this browser's random id, which binds the login page's passkey challenge.
_BROWSER_KEY = "passkey_browser"


def _browser_key() -> str:
    """Who asks before anyone has signed in: a random id in this browser's signed session cookie."""
    if not isinstance(session.get(_BROWSER_KEY), str):
        session[_BROWSER_KEY] = secrets.token_urlsafe(24)
    return session[_BROWSER_KEY]


def render_login() -> Response:
    """The login form (as the last POST left it); it posts to /auth/login with the flow's query string.
    Beside it "Sign in with a passkey" (also offered in the email field's autofill), whose options
    passkey.js asks for: showing the form writes nothing, and only browsers that can use a passkey
    make a challenge."""
    return _form_page(
        "login.html",
        LoginForm,
        action=url_with_flow("login.login"),
        signup_url=url_with_flow("login.signup_page"),
        passkey_form=PasskeyForm(),
        passkey_action=url_with_flow("login.passkey_login"),
        passkey_options_url=url_for("login.passkey_options"),
    )


@bp.post("/auth/login/passkey/options")
def passkey_options() -> Response:
    """``{challengeId, publicKey}`` for a passkey sign-in from this browser (the login page's CSRF token
    in ``X-CSRFToken``): no passkeys named, the browser offers this site's own."""
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        return error_response(400, "csrf_failed", "Reload the page and try again.")
    return jsonify(passkeys.authentication_options(None, _browser_key()))


@bp.get("/auth/login")
@_refusing_a_broken_flow
def login_page() -> Response:
    """The login form."""
    return render_login()


@bp.post("/auth/login")
@_refusing_a_broken_flow
def login() -> Response:
    """Email and password; then the code form (303 to /auth/two-factor) when the user has 2FA on, else
    straight back to the client with the code or token (303 to its redirect_uri), a local ``next`` or
    the done page. A refusal is a 303 back to the form."""
    form = LoginForm()
    again = url_with_flow("login.login")
    if not form.validate_on_submit():
        return form_refused(again, form, form.email.data)
    user = store.user_by_email(form.email.data)
    try:
        outcome = attempt_password(user, form.email.data, form.password.data)
    except PasswordCheckUnavailable as busy:
        return see_other(again, _busy_notice(busy, form.email.data))
    if outcome.retry_after is not None:
        message = wait_message(outcome.retry_after)
        return see_other(again, Notice(429, message, email=form.email.data, retry_after=outcome.retry_after))
    if not outcome.ok:
        return see_other(again, Notice(401, "The email or password is not correct.", email=form.email.data))
    login = login_session.start(user)
    if login.second_factor_pending and trusted_browsers.is_trusted(user):
        return _finish_trusted(login)
    if login.second_factor_pending:
        start_second_factor(login, user)
        return see_other(url_with_flow("two_factor.step"))
    return finish(login)


@bp.post("/auth/login/passkey")
@_refusing_a_broken_flow
def passkey_login() -> Response:
    """Sign in with a passkey alone: a user-verified passkey is something the user has and something
    they are (or know: the device PIN), both factors at once. The flow then ends as after the code step.
    A refusal is a 303 back to the login form with why."""
    again = url_with_flow("login.login")
    form = PasskeyForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    credential = form.credential_object()
    try:
        outcome, passkey = attempt_passwordless(
            lambda: passkeys.check_assertion(None, _browser_key(), form.challenge_id.data, credential)
        )
    except PasskeyRefused as refused:
        return see_other(again, Notice(401, refused.message))
    if passkey is None:
        return see_other(
            again, Notice(429, wait_message(outcome.retry_after), retry_after=outcome.retry_after)
        )
    login = login_session.start(db.session.get(User, passkey.user_id))
    if login.second_factor_pending:
        login = login_session.complete_second_factor(login)
        if login is None:  # another tab ended it this very moment
            return see_other(again)
    response = finish(login)
    db.session.commit()
    return response


def _finish_trusted(login: LoginSession) -> Response:
    """The password was right on a browser this user trusted: signed in without the code."""
    signed_in = login_session.complete_second_factor(login)
    if signed_in is None:
        return see_other(url_with_flow("login.login"))
    response = finish(signed_in)
    db.session.commit()  # when finishing did not commit itself (an error page, a local next)
    return response


@bp.get("/auth/signup")
@_refusing_a_broken_flow
def signup_page() -> Response:
    """The signup form (email, password twice); it posts to /auth/signup with the flow's query string."""
    return _form_page(
        "signup.html",
        SignupForm,
        action=url_with_flow("login.signup"),
        login_url=url_with_flow("login.login_page"),
    )


@bp.post("/auth/signup")
@_refusing_a_broken_flow
def signup() -> Response:
    """Create an account, send the welcome notification, sign in, and finish the flow (303 to the
    client's redirect_uri). The same form posted twice (a double click) signs in to the one account.
    Says when the email already has an account (as GitHub and Keycloak do), so signups are throttled
    per client address and per email."""
    form = SignupForm()
    again = url_with_flow("login.signup")
    if not form.validate_on_submit():
        signed_in_by_this_form = _signed_in_by_this_very_form(form)
        if signed_in_by_this_form is not None:
            return finish(signed_in_by_this_form)
        return form_refused(again, form, form.email.data)
    email, password, form_token = form.email.data, form.password.data, form.csrf_token.data
    wait = count_signup(email)
    if wait is not None:
        error = f"Too many sign-up attempts. Try again in {in_words(wait)}."
        return see_other(again, Notice(429, error, email=email, retry_after=wait))
    try:
        recent_signups.create_account(email, password, form_token)
    except PasswordCheckUnavailable as busy:
        return see_other(again, _busy_notice(busy, email))
    except ApiError as error:
        if error.code != "email_taken":
            return see_other(again, Notice(422, error.message, email=email))
        same_form_again = recent_signups.account_made_by_this_form(email, password, form_token)
        if same_form_again is not None:
            return finish(login_session.start(same_form_again))
        return see_other(
            again, Notice(422, "An account with this email already exists. Log in instead.", email=email)
        )
    recent_signups.forget_expired()
    title = (store.auth_config().get("theme") or {}).get("title") or "Two-factor demo"
    notify.send_welcome(store.get_document("AidboxConfig", "provider"), email, title)
    return finish(login_session.start(store.user_by_email(email)))


def _signed_in_by_this_very_form(form: SignupForm) -> LoginSession | None:
    """The second POST of a double click that the browser sent after the first answer arrived: the
    session was rotated at sign-in, so only the form's CSRF check failed. This browser's login
    session, when it is the one this very form's account (same token, same password) just started."""
    login = login_session.current()
    if login is None or set(form.errors) != {"csrf_token"} or not isinstance(form.csrf_token.data, str):
        return None
    user = recent_signups.account_made_by_this_form(form.email.data, form.password.data, form.csrf_token.data)
    return login if user is not None and user.id == login.user_id else None


@bp.get("/auth/done")
def done() -> Response:
    """Signed in, with no application to go back to."""
    user = login_session.signed_in_user()
    if user is None:
        return redirect(url_with_flow("login.login"))
    return render_page("message.html", heading="You are signed in", message=f"Signed in as {user.email}.")
