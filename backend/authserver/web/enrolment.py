"""Setting up a second factor before an OAuth flow may finish, where ``AuthConfig.twoFactor.required``
asks for one (two_factor/policy.py): an authenticator app, by QR code and a first code.

The flow's query string rides along, so a good code ends the flow as the code step does: the login
session is rotated (its assurance changed) and the browser goes back to the client.

Every POST is answered with a redirect (post/redirect/get, see post_redirect_get.py).
"""

from __future__ import annotations

from flask import Blueprint, Response

from backend.common.qr import qr_png_data_url

from .. import store
from ..accounts import login_session
from ..extensions import db
from ..models import LoginSession
from ..oauth.flow import continue_url, finish, url_with_flow
from ..two_factor import policy, setup
from ..two_factor.attempts import attempt_code
from .forms import EnrolForm
from .post_redirect_get import form_refused, render_form_page, see_other, take_notice
from .two_factor import refusal

bp = Blueprint("enrolment", __name__)


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


@bp.get("/auth/two-factor/enrol")
def enrol_page() -> Response:
    """Two-factor is required: the QR code of a new authenticator-app secret (and the secret as text),
    and a field for its first code. The same secret is shown again until a code of it is confirmed."""
    login = _signed_in_without_second_factor()
    if isinstance(login, Response):
        return login
    user = login.user
    secret = setup.pending_secret(user)
    if secret is None:
        user = setup.start(user)
        secret = user.two_factor["secretKey"]
    return render_form_page(
        "enrol.html",
        take_notice(),
        EnrolForm(),
        action=url_with_flow("enrolment.enrol"),
        secret=secret,
        qr_data_url=qr_png_data_url(setup.provisioning_uri(user, secret)),
        issuer=setup.issuer_name(),
    )


@bp.post("/auth/two-factor/enrol")
def enrol() -> Response:
    """A right first code turns two-factor on and ends the flow in this response (303 to the client's
    redirect_uri); a refused one goes back to the page (303) with why."""
    login = _signed_in_without_second_factor()
    if isinstance(login, Response):
        return login
    again = url_with_flow("enrolment.enrol_page")
    form = EnrolForm()
    if not form.validate_on_submit():
        return form_refused(again, form)
    user = login.user
    if setup.pending_secret(user) is None:  # reset or set up elsewhere meanwhile: show a fresh one
        return see_other(again)
    outcome = attempt_code(user, form.token.data, commit=False)
    if not outcome.ok:
        return see_other(again, refusal(user, outcome))
    store.set_two_factor_enabled(user, True)  # commits the code's time step with it
    signed_in = login_session.complete_second_factor(login)
    if signed_in is None:  # another tab ended this login meanwhile
        db.session.commit()
        return see_other(url_with_flow("login.login"))
    response = finish(signed_in)
    db.session.commit()  # when finishing did not commit itself (an error page, a local next)
    return response
