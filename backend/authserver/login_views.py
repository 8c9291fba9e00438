"""The login and signup forms, and the page a user sees when signed in outside an OAuth flow."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, redirect

from backend.common.durations import in_words
from backend.common.errors import ApiError

from . import login_session, notify, store
from .attempts import attempt_password, count_signup
from .flow import client_problem, finish, flow_args, url_with_flow
from .forms import LoginForm, SignupForm, TokenForm
from .pages import error_page, render_page
from .second_factor import start_second_factor
from .throttle import wait_message
from .two_factor_views import step_page

bp = Blueprint("login", __name__)


def render_login(form: LoginForm | None = None, status: int = 200, error: str | None = None) -> Response:
    """The login form; it posts to /auth/login with the flow's query string."""
    return render_page(
        "login.html",
        status,
        form=form or LoginForm(),
        action=url_with_flow("login.login"),
        signup_url=url_with_flow("login.signup"),
        error=error,
    )


def _flow_problem() -> str | None:
    """A broken client request is refused before anyone types a password into it."""
    return client_problem() if flow_args().get("client_id") else None


@bp.route("/auth/login", methods=["GET", "POST"])
def login() -> Response:
    """Email and password; then the code form (200) when the user has 2FA on, else straight back to the
    client with the code or token (302 to its redirect_uri), a local ``next`` or the done page."""
    problem = _flow_problem()
    if problem:
        return error_page(problem)
    form = LoginForm()
    if not form.validate_on_submit():
        return render_login(form, 422 if form.is_submitted() else 200)
    user = store.user_by_email(form.email.data)
    outcome = attempt_password(user, form.email.data, form.password.data)
    if outcome.retry_after is not None:
        page = render_login(form, 429, wait_message(outcome.retry_after))
        page.headers["Retry-After"] = str(outcome.retry_after)
        return page
    if not outcome.ok:
        return render_login(form, 401, "The email or password is not correct.")
    login = login_session.start(user)
    if login.second_factor_pending:
        # The code form right away (as Keycloak does); it posts to /auth/two-factor with the flow.
        start_second_factor(login, user)
        return step_page(login, form=TokenForm(formdata=None))
    return finish(login)


@bp.route("/auth/signup", methods=["GET", "POST"])
def signup() -> Response:
    """Create an account (email, password twice), send the welcome notification, sign in, and finish
    the flow (302 to the client's redirect_uri). Says when the email already has an account (as GitHub
    and Keycloak do), so signups are throttled per client address and per email."""
    problem = _flow_problem()
    if problem:
        return error_page(problem)
    form = SignupForm()
    action = url_with_flow("login.signup")
    login_url = url_with_flow("login.login")
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_page("signup.html", status, form=form, action=action, login_url=login_url)
    email = form.email.data
    wait = count_signup(email)
    if wait is not None:
        error = f"Too many sign-up attempts. Try again in {in_words(wait)}."
        page = render_page("signup.html", 429, form=form, action=action, login_url=login_url, error=error)
        page.headers["Retry-After"] = str(wait)
        return page
    try:
        store.put_document("User", str(uuid.uuid4()), {"email": email, "password": form.password.data})
    except ApiError as error:
        message = (
            "An account with this email already exists. Log in instead."
            if error.code == "email_taken"
            else error.message
        )
        return render_page("signup.html", 422, form=form, action=action, login_url=login_url, error=message)
    title = (store.auth_config().get("theme") or {}).get("title") or "Two-factor demo"
    notify.send_welcome(store.get_document("AidboxConfig", "provider"), email, title)
    return finish(login_session.start(store.user_by_email(email)))


@bp.get("/auth/done")
def done() -> Response:
    """Signed in, with no application to go back to."""
    user = login_session.signed_in_user()
    if user is None:
        return redirect(url_with_flow("login.login"))
    return render_page("message.html", heading="You are signed in", message=f"Signed in as {user.email}.")
