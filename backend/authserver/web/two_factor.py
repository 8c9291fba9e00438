"""The TOTP step of the login, resending a code, and the page that turns two-factor off.

Every POST is answered with a redirect (post/redirect/get, see post_redirect_get.py).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request, url_for

from .. import store
from ..accounts import login_session, trusted_browsers
from ..extensions import db
from ..models import LoginSession, User
from ..oauth.flow import continue_url, finish, registered_return_url, url_with_flow
from ..two_factor import code_sends, passkeys, recovery_codes
from ..two_factor.attempts import Outcome, attempt_code, attempt_passkey
from ..two_factor.passkeys import PasskeyRefused
from ..two_factor.throttle import LOCKED_MESSAGE, wait_message
from ..two_factor.verify import already_used_message, deliver_code
from .forms import DisableForm, PasskeyStepForm, RecoveryCodeForm, ResendForm, TokenForm
from .pages import render_page
from .post_redirect_get import Notice, form_refused, render_form_page, see_other, take_notice

bp = Blueprint("two_factor", __name__)

INVALID_CODE = "That code is not valid. Try again."
PASSKEY_ONLY = "Use your passkey to finish signing in."


def refusal(user: User, outcome: Outcome) -> Notice:
    """What a refused code shows: 423 while the user's codes are locked, 429 + Retry-After while
    throttled, else 401 and why."""
    if outcome.locked:
        return Notice(423, LOCKED_MESSAGE)
    if outcome.retry_after is not None:
        message = wait_message(outcome.retry_after, recovery_code_works=outcome.recovery_code_works)
        return Notice(429, message, retry_after=outcome.retry_after)
    return Notice(401, already_used_message(user) if outcome.already_used else INVALID_CODE)


def _recovery_wanted() -> bool:
    """``?recovery=1``: the step asks for a recovery code in a text field (no numeric keypad)."""
    return request.args.get("recovery") == "1"


def _step_url(recovery: bool) -> str:
    return url_with_flow("two_factor.step", **({"recovery": "1"} if recovery else {}))


def _not_pending() -> Response | None:
    """Where a request without a pending code step goes instead: the login, or on with the flow."""
    login = login_session.current()
    if login is None:
        return see_other(url_with_flow("login.login"))
    if not login.second_factor_pending:
        return see_other(continue_url())
    return None


@bp.get("/auth/two-factor")
def step_page() -> Response:
    """The second login step's form: the code from the authenticator app (or the email/SMS), or with
    ``?recovery=1`` a recovery code; it posts to /auth/two-factor with the flow. A user whose only
    second factor is a passkey (two-factor required by policy) gets "Use a passkey" alone."""
    elsewhere = _not_pending()
    if elsewhere is not None:
        return elsewhere
    login = login_session.current()
    user = login.user
    recovery = _recovery_wanted()
    return render_form_page(
        "two_factor.html",
        take_notice(),
        RecoveryCodeForm() if recovery else TokenForm(),
        action=_step_url(recovery),
        recovery=recovery,
        passkey_only=not user.two_factor_enabled,
        recovery_codes_left=user.two_factor_enabled or recovery_codes.remaining(user.id) > 0,
        switch_url=_step_url(not recovery),
        resend_action=url_with_flow("two_factor.resend"),
        resend_form=ResendForm(),
        transport=user.two_factor.get("transport") if user.two_factor_enabled else None,
        delivered=login.code_delivered,
        sent_to=code_sends.destination(user),
        **_passkey_choice(login, recovery),
        trust_days=trusted_browsers.trust_days(),
    )


def _passkey_choice(login: LoginSession, recovery: bool) -> dict:
    """ "Use a passkey" for a user who has one: the form passkey.js completes, with fresh options."""
    if recovery or not passkeys.has_passkey(login.user_id):
        return {}
    offered = passkeys.authentication_options(login.user, login.id)
    return {
        "passkey_form": PasskeyStepForm(challenge_id=offered["challengeId"]),
        "passkey_action": url_with_flow("two_factor.passkey_step"),
        "passkey_options": json.dumps(offered["publicKey"]),
    }


@bp.post("/auth/two-factor")
def step() -> Response:
    """Check the code; a good one ends the flow in this response (303 to the client's redirect_uri with
    the code or token), a refused one goes back to the form (303) with why."""
    elsewhere = _not_pending()
    if elsewhere is not None:
        return elsewhere
    login = login_session.current()
    recovery = _recovery_wanted()
    again = _step_url(recovery)
    form = RecoveryCodeForm() if recovery else TokenForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    if not recovery and not login.user.two_factor_enabled:
        # A secret left from when two-factor was on is no second factor now: only the passkey is.
        return see_other(again, Notice(401, PASSKEY_ONLY))
    # The used TOTP step, the session's new id and the code for the client: one transaction.
    outcome = attempt_code(login.user, form.token.data, recovery_allowed=True, commit=False)
    if not outcome.ok:
        return see_other(again, refusal(login.user, outcome))
    signed_in = login_session.complete_second_factor(login)
    if signed_in is None:
        db.session.commit()  # the code stays used
        return see_other(url_with_flow("login.login"))
    response = finish(signed_in)
    db.session.commit()  # when finishing did not commit itself (an error page, a local next)
    # Not after a recovery code: that ended every trust, the device may be lost.
    if form.trust_browser.data and not recovery_codes.looks_like_one(form.token.data):
        trusted_browsers.trust(response, signed_in.user)
    return response


@bp.post("/auth/two-factor/passkey")
def passkey_step() -> Response:
    """A user-verified passkey instead of the code: the flow ends as with a good code (the browser is
    trusted when the box was ticked); a refused answer goes back to the code step with why (and counts
    toward the codes' throttle)."""
    elsewhere = _not_pending()
    if elsewhere is not None:
        return elsewhere
    login = login_session.current()
    again = _step_url(recovery=False)
    form = PasskeyStepForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    credential = form.credential_object()
    user = login.user
    try:
        outcome = attempt_passkey(
            user, lambda: passkeys.check_assertion(user, login.id, form.challenge_id.data, credential)
        )
    except PasskeyRefused as refused:
        return see_other(again, Notice(401, refused.message))
    if not outcome.ok:
        return see_other(again, refusal(user, outcome))
    signed_in = login_session.complete_second_factor(login)
    if signed_in is None:
        db.session.commit()
        return see_other(url_with_flow("login.login"))
    response = finish(signed_in)
    db.session.commit()
    if form.trust_wanted:
        trusted_browsers.trust(response, signed_in.user)
    return response


@bp.post("/auth/two-factor/resend")
def resend() -> Response:
    """Send the code through the webhook again, then back to the TOTP step."""
    return _send_code(login_session.pending_user(), code_sends.LOGIN, url_with_flow("two_factor.step"))


def _send_code(user: User | None, purpose: str, back: str) -> Response:
    """Email/SMS users: a code through the webhook, unless ``purpose``'s last one went out too recently
    (429); then back to ``back``."""
    if (
        user is not None
        and ResendForm().validate_on_submit()
        and user.two_factor_enabled
        and user.two_factor.get("transport")
    ):
        too_soon = code_sends.resend_refusal(user, purpose)
        if too_soon:
            return see_other(back, Notice(429, too_soon))
        deliver_code(login_session.current(), user, purpose)
    return see_other(back)


def _disable_url(endpoint: str) -> str:
    redirect_uri = request.args.get("redirect_uri")
    return url_for(endpoint, redirect_uri=redirect_uri) if redirect_uri else url_for(endpoint)


def _sign_in_first() -> Response:
    return see_other(url_for("login.login", next=_disable_url("two_factor.disable_page")))


@bp.get("/auth/two-factor/disable")
def disable_page() -> Response:
    """The steps to turn two-factor off: (email/SMS users) send a code, enter it, Disable; or Cancel,
    back to a registered client URL."""
    user = login_session.signed_in_user()
    if user is None:
        return _sign_in_first()
    back = registered_return_url(request.args.get("redirect_uri"))
    notice = take_notice()
    if not user.two_factor_enabled:
        return render_page(
            "message.html",
            heading="Two-factor authentication is off",
            message=notice.message or "Nothing to disable.",
            back=back,
        )
    return render_form_page(
        "disable.html",
        notice,
        DisableForm(),
        action=_disable_url("two_factor.disable"),
        send_action=_disable_url("two_factor.send_disable_code"),
        resend_form=ResendForm(),
        transport=user.two_factor.get("transport"),
        delivered=login_session.current().code_delivered,
        cancel_url=back or url_for("login.done"),
    )


@bp.post("/auth/two-factor/disable")
def disable() -> Response:
    """Turn two-factor off after a current code; then back to a registered client URL, or a page that
    says it is off."""
    user = login_session.signed_in_user()
    if user is None:
        return _sign_in_first()
    again = _disable_url("two_factor.disable_page")
    if not user.two_factor_enabled:
        return see_other(again)
    form = DisableForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    outcome = attempt_code(user, form.token.data)
    if not outcome.ok:
        return see_other(again, refusal(user, outcome))
    store.set_two_factor_enabled(user, False)
    back = registered_return_url(request.args.get("redirect_uri"))
    if back:
        return see_other(back)
    return see_other(again, Notice(message="You will sign in with your password only."))


@bp.post("/auth/two-factor/disable/send")
def send_disable_code() -> Response:
    """Email/SMS users: send a code for the disable page."""
    # Only this page's sends count here (the login's code does not make the first one wait); its own
    # limit keeps the button from becoming a way to flood a phone.
    return _send_code(
        login_session.signed_in_user(), code_sends.DISABLE, _disable_url("two_factor.disable_page")
    )
