"""The two operations the original Aidbox demo's frontend calls to turn two-factor on, with the user's
Bearer token (Aidbox/two-factor-auth-template, where its backend serves them through Aidbox):

- ``POST /app/auth/two-factor/request {"transport"?}``: a new pending secret (``twoFactor.enabled``
  false). Without a transport the answer is ``{"uri": "otpauth://..."}`` for the authenticator app;
  with ``"email"`` or ``"sms"`` a code goes out through the webhook and the answer is ``{}``.
- ``POST /app/auth/two-factor/confirm {"token"}``: a code of that secret turns two-factor on; ``{}``.

Unlike the rest of this server, errors here have the original's shape, ``{"error": code,
"error_description": message}``, and its status 422 for ``already_enabled``, ``not_requested`` and
``wrong_token`` (plus ``code_already_used``, refused like a wrong code). Otherwise these are ordinary
code checks: the same verifier, replay store and throttle as the login (429 + Retry-After), the same
webhook and Resend limit. Only tokens of first-party clients (the user's own apps) are accepted: a
third-party app the user signed in to must not choose their second factor.
"""

from __future__ import annotations

from typing import Literal

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, jsonify

from backend.common.errors import ApiError
from backend.common.json_body import OneTimeCode, StrictBody, parse_body

from .. import store
from ..extensions import require_oauth
from ..models import User
from ..two_factor import code_sends, setup
from ..two_factor.attempts import attempt_code
from ..two_factor.throttle import wait_message
from ..two_factor.verify import already_used_message, send_code

bp = Blueprint("app_two_factor", __name__, url_prefix="/app/auth/two-factor")


class TwoFactorRequest(StrictBody):
    #: None: an authenticator app; "email" or "sms": codes sent through the webhook.
    transport: Literal["email", "sms"] | None = None


class TwoFactorConfirm(StrictBody):
    token: OneTimeCode


class OriginalError(Exception):
    """An answer in the original demo's error shape."""

    def __init__(
        self, status: int, code: str, description: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(description)
        self.status, self.code, self.description, self.headers = status, code, description, headers or {}


@bp.errorhandler(OriginalError)
def _original_error(error: OriginalError) -> Response:
    response = jsonify(error=error.code, error_description=error.description)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


@bp.errorhandler(ApiError)
def _bad_body(error: ApiError) -> Response:
    """A body parse_body refused, in the same shape."""
    return _original_error(OriginalError(error.status, error.code, error.message))


def _token_user() -> User:
    """The user of the request's Bearer token (as /auth/userinfo reads it), issued to a first-party client."""
    try:
        token = require_oauth.acquire_token()
    except OAuth2Error:
        token = None
    if token is None or token.user is None:
        raise OriginalError(
            401,
            "invalid_token",
            "The access token is missing, unknown, expired or revoked.",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    client = store.get_document("Client", token.client_id) or {}
    if client.get("first_party") is not True:
        raise OriginalError(
            403, "unauthorized_client", "Tokens of this client cannot change two-factor settings."
        )
    return token.user


def _already_enabled() -> OriginalError:
    return OriginalError(422, "already_enabled", "Two-factor authentication is already enabled.")


@bp.post("/request")
def request_two_factor() -> Response:
    """A new pending secret: its ``otpauth://`` URI, or (email, SMS) a code sent to the user."""
    user = _token_user()
    transport = parse_body(TwoFactorRequest).transport
    if user.two_factor_enabled:
        raise _already_enabled()
    if transport == "sms" and not user.document.get("phoneNumber"):
        raise OriginalError(422, "invalid_transport", "Text messages need the user's phoneNumber.")
    if transport is not None and (refusal := code_sends.resend_refusal(user, code_sends.SETUP)):
        raise OriginalError(429, "too_many_requests", refusal)
    user = setup.start(user, transport)
    if transport is None:
        return jsonify(uri=setup.provisioning_uri(user, user.two_factor["secretKey"]))
    if not send_code(user, code_sends.SETUP):
        raise OriginalError(502, "not_sent", "The code could not be sent. Try again in a moment.")
    return jsonify({})


@bp.post("/confirm")
def confirm_two_factor() -> Response:
    """Turn two-factor on with a code of the pending secret."""
    user = _token_user()
    code = parse_body(TwoFactorConfirm).token
    if not user.two_factor.get("secretKey"):
        raise OriginalError(422, "not_requested", "Two-factor authentication was not requested.")
    if user.two_factor_enabled:
        raise _already_enabled()
    outcome = attempt_code(user, code)
    if outcome.retry_after is not None:
        wait = outcome.retry_after
        raise OriginalError(429, "too_many_attempts", wait_message(wait), {"Retry-After": str(wait)})
    if outcome.already_used:
        raise OriginalError(422, "code_already_used", already_used_message(user))
    if not outcome.ok:
        raise OriginalError(422, "wrong_token", "Wrong token.")
    store.set_two_factor_enabled(user, True)
    return jsonify({})
