"""The authorize request a user is in the middle of, carried through login, signup and the TOTP step."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Payload, FlaskOAuth2Request
from authlib.oauth2 import OAuth2Error
from flask import Response, redirect, request, url_for

from .. import store
from ..extensions import authorization
from ..models import LoginSession
from ..two_factor import policy
from ..web.forms import ConsentForm
from ..web.pages import error_page, render_page
from .server import Client, query_client

#: Query parameters of /auth/authorize passed along from form to form.
FLOW_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "nonce",
    "next",
)


def flow_args() -> dict[str, str]:
    """The flow parameters of the current request's query string (first value of each)."""
    return {name: request.args[name] for name in FLOW_PARAMS if request.args.get(name)}


def url_with_flow(endpoint: str, **values: str) -> str:
    return url_for(endpoint, **{**flow_args(), **values})


def safe_next(value: str | None) -> str | None:
    """A local path to continue to, or None: never another host (``//host`` or ``scheme:``)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def continue_url() -> str:
    """Where a user goes once signed in: back to /auth/authorize, a local ``next``, or the done page."""
    args = flow_args()
    if args.get("client_id"):
        args.pop("next", None)
        return url_for("oauth.authorize") + "?" + urlencode(args)
    return safe_next(args.get("next")) or url_for("login.done")


class _QueryPayload(FlaskOAuth2Payload):
    @property
    def data(self) -> Any:
        return self._request.args


def authorize_request() -> FlaskOAuth2Request:
    """The authorize request for Authlib, read from the query string only.

    The login and code forms post to URLs that carry the flow in their query string; their fields
    (csrf_token, email, password, token) are not OAuth parameters and must not be taken for them.
    """
    oauth_request = FlaskOAuth2Request(request)
    oauth_request.payload = _QueryPayload(request)
    return oauth_request


class FlowRefused(Exception):
    """The authorize request cannot go on; ``response`` is what the browser gets instead."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


def consent_grant(login: LoginSession | None) -> Any:
    """Authlib's grant for the authorize request in the query string, or FlowRefused.

    An unknown client or redirect_uri gets an error page; other errors go back to the client's
    (checked) redirect_uri, as RFC 6749 4.1.2.1 says.
    """
    problem = client_problem()
    if problem:
        raise FlowRefused(error_page(problem))
    oauth_request = None
    try:
        # Authlib refuses plain http to other hosts than localhost here (InsecureTransportError).
        oauth_request = authorize_request()
        return authorization.get_consent_grant(oauth_request, end_user=login)
    except OAuth2Error as error:
        if error.redirect_uri:
            raise FlowRefused(authorization.handle_error_response(oauth_request, error)) from error
        raise FlowRefused(error_page(error.description or error.error)) from error


def authorization_response(login: LoginSession, grant: Any = None) -> Response:
    """The end of the flow: the redirect to the client's redirect_uri with the code (or the token).

    A user who must set up a second factor first (two_factor/policy.py) is sent to do so. A client that
    is not ``first_party`` gets the consent page first (Aidbox: first-party clients skip consent); its
    Allow button posts to ``consent_answer``.
    """
    try:
        grant = grant or consent_grant(login)
    except FlowRefused as refused:
        return refused.response
    if policy.must_enrol_now(login.user):
        return redirect(url_with_flow("enrolment.enrol_page"))
    if not grant.client.first_party:
        return consent_page(login, grant.client)
    return _back_to_client(grant, login)


def consent_answer(login: LoginSession) -> Response:
    """The consent page's answer: Allow gives the code (or token); Deny sends ``error=access_denied``
    (with ``state``) to the client's redirect_uri. Consent is asked for every time, never stored."""
    try:
        grant = consent_grant(login)
    except FlowRefused as refused:
        return refused.response
    form = ConsentForm()
    if not form.validate_on_submit():
        return consent_page(login, grant.client, form, 422)
    if form.decision.data == "allow" and policy.must_enrol_now(login.user):
        return redirect(url_with_flow("enrolment.enrol_page"), 303)
    return answer_to_a_post(_back_to_client(grant, login if form.decision.data == "allow" else None))


def consent_page(
    login: LoginSession, client: Client, form: ConsentForm | None = None, status: int = 200
) -> Response:
    """The page "<client> wants to sign you in as <email>" with Allow and Deny (posts to /auth/authorize)."""
    return render_page(
        "consent.html",
        status,
        form=form or ConsentForm(formdata=None),
        action=url_with_flow("oauth.consent"),
        client_id=client.client_id,
        email=login.user.email,
    )


def _back_to_client(grant: Any, user: LoginSession | None) -> Response:
    """The redirect to the client: the code or token for ``user``, ``error=access_denied`` for None."""
    try:
        return authorization.create_authorization_response(grant.request, grant_user=user, grant=grant)
    except OAuth2Error as error:
        return error_page(error.description or error.error)


def finish(login: LoginSession) -> Response:
    """Where a fully signed-in user goes, in this same response: back to the client with the code or
    token when the request carries an authorize request, else a local ``next`` or the done page."""
    if flow_args().get("client_id"):
        response = authorization_response(login)
    else:
        response = redirect(safe_next(request.args.get("next")) or url_for("login.done"))
    return answer_to_a_post(response) if request.method == "POST" else response


def answer_to_a_post(response: Response) -> Response:
    """After a form (post/redirect/get): never a page, and a 303 so the next request is a GET for sure
    (RFC 9700 section 4.12). The consent page is shown by the GET of the authorize request instead."""
    if response.status_code == 200:
        return redirect(continue_url(), 303)
    if response.status_code == 302:
        response.status_code = 303
    return response


def client_problem() -> str | None:
    """Why the current authorize request cannot go back to its client, or None.

    An unknown client or a redirect_uri that is not registered must never be redirected to.
    """
    client_id = request.args.get("client_id")
    if not client_id:
        return "The request does not name a client (client_id is missing)."
    client = query_client(client_id)
    if client is None:
        return "This application is not registered with the sign-in server."
    redirect_uri = request.args.get("redirect_uri")
    if redirect_uri is None and client.get_default_redirect_uri() is None:
        return "The request has no redirect_uri."
    if redirect_uri is not None and not client.check_redirect_uri(redirect_uri):
        return "The redirect_uri is not registered for this application."
    if len(request.args.getlist("redirect_uri")) > 1 or len(request.args.getlist("client_id")) > 1:
        return "The request repeats client_id or redirect_uri."
    return None


def registered_return_url(url: str | None) -> str | None:
    """``url`` when it is a registered redirect_uri of some Client, or has the same origin as one."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    for resource in store.all_documents("Client"):
        for registered in Client(resource).redirect_uris:
            known = urlsplit(registered)
            if url == registered or (known.scheme, known.netloc) == (parts.scheme, parts.netloc):
                return url
    return None
