"""The TOTP step of the login, resending a code, and the page that turns two-factor off."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from . import code_sends, login_session, store
from .attempts import Outcome, attempt_code
from .extensions import db
from .flow import continue_url, finish, registered_return_url, url_with_flow
from .forms import DisableForm, ResendForm, TokenForm
from .models import LoginSession, User
from .pages import render_page
from .second_factor import deliver_code
from .throttle import LOCKED_MESSAGE, wait_message

bp = Blueprint("two_factor", __name__)

INVALID_CODE = "That code is not valid. Try again."


def refusal(outcome: Outcome) -> tuple[int, str, dict[str, str]]:
    """Status, message and headers for a refused code: 423 while the user's codes are locked, 429 +
    Retry-After while throttled, else 401."""
    if outcome.locked:
        return 423, LOCKED_MESSAGE, {}
    if outcome.retry_after is not None:
        message = wait_message(outcome.retry_after, recovery_code_works=outcome.recovery_code_works)
        return 429, message, {"Retry-After": str(outcome.retry_after)}
    return 401, INVALID_CODE, {}


def step_page(login: LoginSession, status: int = 200, **context) -> Response:
    """The code form of the login's pending TOTP step; it posts to /auth/two-factor with the flow."""
    user = login.user
    return render_page(
        "two_factor.html",
        status,
        action=url_with_flow("two_factor.step"),
        resend_action=url_with_flow("two_factor.resend"),
        resend_form=ResendForm(),
        transport=user.two_factor.get("transport"),
        delivered=login.code_delivered,
        sent_to=code_sends.destination(user),
        **context,
    )


@bp.route("/auth/two-factor", methods=["GET", "POST"])
def step() -> Response:
    """The second login step: the code from the authenticator app (or the email/SMS); a good code
    ends the flow in this response (302 to the client's redirect_uri with the code or token)."""
    login = login_session.current()
    if login is None:
        return redirect(url_with_flow("login.login"))
    if not login.second_factor_pending:
        return redirect(continue_url())
    form = TokenForm()
    if not form.validate_on_submit():
        return step_page(login, 422 if form.is_submitted() else 200, form=form)
    # The used TOTP step, the session's new id and the code for the client: one transaction.
    outcome = attempt_code(login.user, form.token.data, recovery_allowed=True, commit=False)
    if not outcome.ok:
        status, error, headers = refusal(outcome)
        page = step_page(login, status, form=form, error=error)
        page.headers.update(headers)
        return page
    signed_in = login_session.complete_second_factor(login)
    if signed_in is None:
        db.session.commit()  # the code stays used
        return redirect(url_with_flow("login.login"))
    response = finish(signed_in)
    db.session.commit()  # when finishing did not commit itself (an error page, a local next)
    return response


@bp.post("/auth/two-factor/resend")
def resend() -> Response:
    """Send the code through the webhook again, then back to the TOTP step."""
    user = login_session.pending_user()
    if user is not None and ResendForm().validate_on_submit() and user.two_factor.get("transport"):
        too_soon = code_sends.resend_refusal(user)
        if too_soon:
            return step_page(login_session.current(), 429, form=TokenForm(formdata=None), error=too_soon)
        deliver_code(login_session.current(), user)
    return redirect(url_with_flow("two_factor.step"))


def _disable_url(endpoint: str) -> str:
    redirect_uri = request.args.get("redirect_uri")
    return url_for(endpoint, redirect_uri=redirect_uri) if redirect_uri else url_for(endpoint)


@bp.route("/auth/two-factor/disable", methods=["GET", "POST"])
def disable() -> Response:
    """Turn two-factor off after a current code; then back to a registered client URL or a done page."""
    user = login_session.signed_in_user()
    if user is None:
        return redirect(url_for("login.login", next=request.full_path))
    back = registered_return_url(request.args.get("redirect_uri"))
    if not user.two_factor_enabled:
        return render_page(
            "message.html",
            heading="Two-factor authentication is off",
            message="Nothing to disable.",
            back=back,
        )
    form = DisableForm()
    status = 200
    error = None
    headers: dict[str, str] = {}
    if form.validate_on_submit():
        outcome = attempt_code(user, form.token.data)
        if outcome.ok:
            store.set_two_factor_enabled(user, False)
            if back:
                return redirect(back)
            return render_page(
                "message.html",
                heading="Two-factor authentication is off",
                message="You will sign in with your password only.",
            )
        status, error, headers = refusal(outcome)
    elif form.is_submitted():
        status = 422
    page = _disable_page(user, form, status, error)
    page.headers.update(headers)
    return page


def _disable_page(user: User, form: DisableForm, status: int = 200, error: str | None = None) -> Response:
    return render_page(
        "disable.html",
        status,
        form=form,
        error=error,
        action=_disable_url("two_factor.disable"),
        send_action=_disable_url("two_factor.send_disable_code"),
        resend_form=ResendForm(),
        transport=user.two_factor.get("transport"),
        delivered=login_session.current().code_delivered,
    )


@bp.post("/auth/two-factor/disable/send")
def send_disable_code() -> Response:
    """Email/SMS users: send a code for the disable page."""
    user = login_session.signed_in_user()
    if user is not None and ResendForm().validate_on_submit() and user.two_factor.get("transport"):
        # The same limit as Resend at login: this button must not become a way to flood a phone.
        too_soon = code_sends.resend_refusal(user)
        if too_soon:
            return _disable_page(user, DisableForm(formdata=None), 429, too_soon)
        deliver_code(login_session.current(), user)
    return redirect(_disable_url("two_factor.disable"))
