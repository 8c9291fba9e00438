"""The JSON login API for non-browser clients (FusionAuth's shape): password, then a code when 2FA is on.

``POST /api/login`` answers 200 with tokens, or 242 with a ``twoFactorId`` that
``POST /api/two-factor/login`` completes with a code. Tokens are the server's ordinary OAuth tokens
(stored with a login session of their own), so /auth/userinfo and DELETE /Session accept them.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Annotated, Literal

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel, Field

from backend.common.errors import ApiError, error_response
from backend.common.json_body import OneTimeCode, StrictBody, parse_body

from .. import store
from ..accounts import login_session
from ..extensions import authorization, db
from ..models import User, now
from ..oauth.server import Client, query_client, save_token
from ..two_factor import pending_logins, policy
from ..two_factor.attempts import Outcome, attempt_code, attempt_password
from ..two_factor.throttle import LOCKED_MESSAGE, wait_message
from ..two_factor.verify import already_used_message, deliver_code
from .schemas import PublicUser

log = logging.getLogger("authserver.api_login")

bp = Blueprint("api_login", __name__)

#: FusionAuth's statuses: 242 "two-factor required", 421 "the code was not valid".
TWO_FACTOR_REQUIRED = 242
INVALID_CODE = 421
DEFAULT_TOKEN_SECONDS = 3600


#: The grants by which a client signs a user in. ``basic`` and ``client_credentials`` authenticate the
#: client itself and ``refresh_token`` only continues a sign-in: such a client gets no user's token here.
USER_SIGN_IN_GRANTS = ("password", "authorization_code", "implicit")

ApplicationId = Annotated[str, Field(min_length=1, max_length=128, description="A Client id")]


class LoginBody(StrictBody):
    loginId: str = Field(min_length=1, max_length=320, description="The user's email")
    password: str = Field(min_length=1, max_length=1024)
    applicationId: ApplicationId


class TwoFactorLoginBody(StrictBody):
    twoFactorId: str = Field(min_length=1, max_length=128)
    code: OneTimeCode
    applicationId: ApplicationId
    ipAddress: str | None = Field(None, max_length=64, description="The end user's address, for the log")


class LoginResponse(BaseModel):
    token: str = Field(description="Bearer access token")
    tokenType: Literal["Bearer"]
    refreshToken: str | None = Field(None, description="Only for clients with the refresh_token grant")
    tokenExpirationInstant: int = Field(description="Unix time in milliseconds")
    user: PublicUser


class LoginMethod(BaseModel):
    method: str = Field(
        description='"authenticator" (the app, no transport), else the User\'s twoFactor.transport as it'
        ' is ("email", "sms" or any other name): the code went to the webhook'
    )


class TwoFactorRequired(BaseModel):
    twoFactorId: str = Field(description="Single use, 5 minutes, bound to the application")
    methods: list[LoginMethod]
    codeSent: bool | None = Field(None, description="email/sms users: whether the webhook took the code")


def _application(client_id: str) -> Client:
    client = query_client(client_id)
    if client is None:
        raise ApiError(422, "unknown_application", "No application has this id.", field="applicationId")
    if not any(client.check_grant_type(grant) for grant in USER_SIGN_IN_GRANTS):
        raise ApiError(
            403,
            "unauthorized_client",
            "This application cannot sign users in (it has none of the grant types "
            f"{', '.join(USER_SIGN_IN_GRANTS)}).",
            field="applicationId",
        )
    return client


def _throttled(outcome: Outcome) -> Response:
    """429 with Retry-After: the attempt was not looked at (the same throttle as the forms); 423 while
    the user's codes are locked."""
    if outcome.locked:
        return error_response(423, "second_factor_locked", LOCKED_MESSAGE, field="code")
    message = wait_message(outcome.retry_after, recovery_code_works=outcome.recovery_code_works)
    response = error_response(429, "too_many_attempts", message)
    response.headers["Retry-After"] = str(outcome.retry_after)
    return response


def issue_tokens(user: User, client: Client) -> Response:
    """A fresh login session and an access token (refresh token too when the client may refresh)."""
    login = login_session.new(user)
    db.session.commit()
    lifetimes = current_app.config.get("OAUTH2_TOKEN_EXPIRES_IN") or {}
    expires_in = lifetimes.get("password", DEFAULT_TOKEN_SECONDS)
    token = authorization.generate_token(
        "password",
        client,
        user=login,
        expires_in=expires_in,
        include_refresh_token=client.check_grant_type("refresh_token"),
    )
    save_token(token, SimpleNamespace(user=login, client=client))
    answer = LoginResponse(
        token=token["access_token"],
        tokenType="Bearer",
        refreshToken=token.get("refresh_token"),
        tokenExpirationInstant=int((now() + expires_in) * 1000),
        user=store.public_user(user),
    )
    return jsonify(answer.model_dump(exclude_none=True))


def _method(user: User) -> LoginMethod:
    """As Aidbox treats ``transport``: any name means the code is sent through the webhook, so only a
    user without one uses the authenticator app, even when the name is "totp" or "authenticator"."""
    transport = user.two_factor.get("transport")
    return LoginMethod(method=transport if transport else "authenticator")


@bp.post("/api/login")
def login() -> tuple[Response, int] | Response:
    """Email and password: 200 with tokens, or 242 with a twoFactorId when the user has 2FA on."""
    body = parse_body(LoginBody)
    client = _application(body.applicationId)
    user = store.user_by_email(body.loginId)
    outcome = attempt_password(user, body.loginId, body.password)
    if outcome.retry_after is not None:
        return _throttled(outcome)
    if not outcome.ok:
        raise ApiError(404, "invalid_credentials", "The login id or the password is not correct.")
    if policy.must_enrol_now(user):
        raise ApiError(
            403,
            "two_factor_setup_required",
            "Two-factor authentication is required: set it up by signing in on the web first.",
        )
    if not user.two_factor_enabled and policy.second_factor_asked(user):
        raise ApiError(
            403,
            "passkey_required",
            "This account's second factor is a passkey, which only the sign-in page can use.",
        )
    if not user.two_factor_enabled:
        return issue_tokens(user, client)
    pending = pending_logins.start(user, client.client_id)
    # deliver_code keeps its outcome on whatever login it is given: the pending row has that field too.
    code_sent = deliver_code(pending, user) if user.two_factor.get("transport") else None
    answer = TwoFactorRequired(twoFactorId=pending.id, methods=[_method(user)], codeSent=code_sent)
    return jsonify(answer.model_dump(exclude_none=True)), TWO_FACTOR_REQUIRED


@bp.post("/api/two-factor/login")
def two_factor_login() -> tuple[Response, int] | Response:
    """Complete a 242 login with the code: 200 with tokens; the twoFactorId is then used up."""
    body = parse_body(TwoFactorLoginBody)
    client = _application(body.applicationId)
    gone = ApiError(
        404,
        "two_factor_id_not_found",
        "This twoFactorId is unknown, used, expired or for another application: log in again.",
        field="twoFactorId",
    )
    pending = pending_logins.find(body.twoFactorId, client.client_id)
    user = db.session.get(User, pending.user_id) if pending else None
    if pending is None or user is None:
        raise gone
    outcome = attempt_code(user, body.code, recovery_allowed=True)
    if outcome.retry_after is not None or outcome.locked:
        return _throttled(outcome)
    if not outcome.ok:
        pending_logins.record_failure(pending)
        if outcome.already_used:
            return error_response(INVALID_CODE, "code_already_used", already_used_message(user), "code")
        return error_response(INVALID_CODE, "invalid_code", "The code is not valid.", field="code")
    if not pending_logins.consume(pending):
        raise gone
    log.info(
        "API two-factor login of user %s (application %s, ip %s)", user.id, client.client_id, body.ipAddress
    )
    return issue_tokens(user, client)
