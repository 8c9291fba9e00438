"""Setting up a second factor before an OAuth flow may finish, where ``AuthConfig.twoFactor.required``
asks for one (two_factor/policy.py): an authenticator app (QR code and a first code), codes sent by
email or text message (a first code sent through the webhook, as at the code step), or a passkey.

``?method=app|email|sms|passkey`` picks the way; the flow's query string rides along. A good code
turns two-factor on and rotates the login session (its assurance changed), as the code step does; the
next page shows a new set of recovery codes, once, and its Continue link takes the flow back to the
client. A new passkey rotates the session too and goes on to the same page: the codes are the way back
in when the passkey's device is lost.

Every POST is answered with a redirect (post/redirect/get, see post_redirect_get.py).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request, session

from backend.common.masking import mask_email
from backend.common.qr import qr_png_data_url

from .. import audit, store
from ..accounts import login_session
from ..extensions import db
from ..models import LoginSession, User
from ..oauth.flow import continue_url, url_with_flow
from ..two_factor import code_sends, passkeys, policy, recovery_codes, setup
from ..two_factor.attempts import attempt_code
from ..two_factor.passkeys import PasskeyRefused
from ..two_factor.verify import send_code
from .forms import EnrolForm, PasskeyForm, PhoneForm, ResendForm
from .pages import render_page
from .post_redirect_get import Notice, form_refused, render_form_page, see_other, take_notice
from .two_factor import refusal

bp = Blueprint("enrolment", __name__)

#: The ways offered, in the page's order, with their labels.
METHODS = {"app": "Authenticator app", "email": "Email", "sms": "Text message", "passkey": "Passkey"}
#: The methods whose codes are sent, and the transport they take.
TRANSPORTS = {"email": "email", "sms": "sms"}
NOT_SENT = "We could not send your code. Try again in a moment."
#: The Flask session's key for the login session that has just enrolled and is owed its recovery codes.
_CODES_DUE = "recovery_codes_due"


def _signed_in_without_second_factor() -> LoginSession | Response:
    """The login session that must set up a second factor, or where the request goes instead: the
    login form, the code step, or on with the flow when there is nothing to set up."""
    login = login_session.current()
    if login is None:
        return see_other(url_with_flow("login.login"))
    if login.second_factor_pending:
        return see_other(url_with_flow("two_factor.step"))
    if not policy.enrolment_required(login.user):
        return see_other(continue_url())
    return login


def _method() -> str:
    """The method asked for; anything else is the authenticator app, the first one offered."""
    method = request.args.get("method")
    return method if method in METHODS else "app"


def _page_url(method: str, **values: str) -> str:
    return url_with_flow("enrolment.enrol_page", method=method, **values)


@bp.get("/auth/two-factor/enrol")
def enrol_page() -> Response:
    """Two-factor is required: a choice of method, then for the authenticator app the QR code of a new
    secret (and the secret as text) and a field for its first code, the same secret until confirmed;
    for email or text message a button that sends a first code (a number field first for text
    messages), then a field for that code and a Resend button."""
    login = _signed_in_without_second_factor()
    if isinstance(login, Response):
        return login
    method = _method()
    context = {
        "methods": [(name, label, _page_url(name)) for name, label in METHODS.items()],
        "method": method,
        "action": url_with_flow("enrolment.enrol", method=method),
        "send_action": url_with_flow("enrolment.send", method=method),
    }
    if method == "app":
        return _app_page(login.user, context)
    if method == "passkey":
        return _passkey_page(login, context)
    transport = TRANSPORTS[method]
    user = login.user
    changing_number = transport == "sms" and request.args.get("change") == "1"
    if setup.pending_secret(user, transport) is None or changing_number:
        form = (
            PhoneForm(phone_number=user.document.get("phoneNumber")) if transport == "sms" else ResendForm()
        )
        if changing_number:
            context["send_action"] = url_with_flow("enrolment.send", method=method, change="1")
        return render_form_page(
            "enrol.html", take_notice(), form, sending=True, to=mask_email(user.email), **context
        )
    return render_form_page(
        "enrol.html",
        take_notice(),
        EnrolForm(),
        resend_form=ResendForm(),
        sent_to=code_sends.destination(user),
        change_number_url=_page_url(method, change="1") if transport == "sms" else None,
        **context,
    )


def _app_page(user: User, context: dict) -> Response:
    secret = setup.pending_secret(user)
    if secret is None:
        user = setup.start(user)
        secret = user.two_factor["secretKey"]
    return render_form_page(
        "enrol.html",
        take_notice(),
        EnrolForm(),
        secret=secret,
        qr_data_url=qr_png_data_url(setup.provisioning_uri(user, secret)),
        issuer=setup.issuer_name(),
        **context,
    )


def _passkey_page(login: LoginSession, context: dict) -> Response:
    """ "Add a passkey": the options for the browser to create one (passkey.js), made for this page."""
    offered = passkeys.registration_options(login.user, login.id)
    return render_form_page(
        "enrol.html",
        take_notice(),
        PasskeyForm(challenge_id=offered["challengeId"]),
        passkey_action=url_with_flow("enrolment.add_passkey"),
        passkey_options=json.dumps(offered["publicKey"]),
        **context,
    )


@bp.post("/auth/two-factor/enrol/passkey")
def add_passkey() -> Response:
    """Keep the passkey the browser just created (user-verified) and go on to the recovery codes (303),
    as after a first code; a refused answer goes back to the page (303) with why."""
    login = _signed_in_without_second_factor()
    if isinstance(login, Response):
        return login
    again = _page_url("passkey")
    form = PasskeyForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    user = login.user
    try:
        passkeys.register(
            user, login.id, form.challenge_id.data, form.credential_object(), passkeys.DEFAULT_NAME
        )
    except PasskeyRefused as refused:
        return see_other(again, Notice(422, refused.message))
    return _go_on_to_recovery_codes(login)


@bp.post("/auth/two-factor/enrol/send")
def send() -> Response:
    """Email or text message: a new pending secret (for text messages with the number entered) and its
    first code through the webhook; then back to the page (303), which asks for the code. Refused while
    a code went out moments ago or too many were sent (429), or when the number is not one (422)."""
    login = _signed_in_without_second_factor()
    if isinstance(login, Response):
        return login
    method = _method()
    transport = TRANSPORTS.get(method)
    page = _page_url(method)
    if transport is None:
        return see_other(page)
    form = PhoneForm() if transport == "sms" else ResendForm()
    if not form.validate_on_submit():
        changing = {"change": "1"} if request.args.get("change") == "1" else {}
        return form_refused(_page_url(method, **changing), form)
    user = login.user
    too_soon = code_sends.resend_refusal(user, code_sends.SETUP)
    if too_soon:
        return see_other(page, Notice(429, too_soon))
    user = setup.start(user, transport, form.phone_number.data if transport == "sms" else None)
    if not send_code(user, code_sends.SETUP):
        return see_other(page, Notice(502, NOT_SENT))
    return see_other(page)


@bp.post("/auth/two-factor/enrol")
def enrol() -> Response:
    """A right first code turns two-factor on (with the method's transport) and goes on to the recovery
    codes (303); a refused one goes back to the page (303) with why."""
    login = _signed_in_without_second_factor()
    if isinstance(login, Response):
        return login
    method = _method()
    again = _page_url(method)
    form = EnrolForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    user = login.user
    if setup.pending_secret(user, TRANSPORTS.get(method)) is None:  # reset or changed meanwhile: start again
        return see_other(again)
    outcome = attempt_code(user, form.token.data, commit=False)
    if not outcome.ok:
        return see_other(again, refusal(user, outcome))
    store.set_two_factor_enabled(user, True)  # commits the code's time step with it
    return _go_on_to_recovery_codes(login)


def _go_on_to_recovery_codes(login: LoginSession) -> Response:
    """The login session rotated (its assurance changed) and owed its recovery codes: on to them."""
    signed_in = login_session.complete_second_factor(login)
    if signed_in is None:  # another tab ended this login meanwhile
        db.session.commit()
        return see_other(url_with_flow("login.login"))
    db.session.commit()
    session[_CODES_DUE] = signed_in.id
    return see_other(url_with_flow("enrolment.recovery_codes_page"))


@bp.get("/auth/two-factor/enrol/recovery-codes")
def recovery_codes_page() -> Response:
    """Right after enrolling: ten new recovery codes, shown this once (a reload shows none and keeps
    them), and a Continue link that takes the flow on to the client."""
    login = login_session.current()
    due = session.pop(_CODES_DUE, None)
    owed = login is not None and not login.second_factor_pending and due == login.id
    if not owed or not policy.has_second_factor(login.user):
        return see_other(continue_url())
    codes = recovery_codes.generate(login.user_id)
    audit.record(audit.RECOVERY_CODES_GENERATED, login.user_id)
    passkey_only = not login.user.two_factor_enabled
    return render_page(
        "recovery_codes.html", codes=codes, continue_url=continue_url(), passkey_only=passkey_only
    )
