"""The Resource Owner Password grant (``grant_type=password`` at /auth/token), as Aidbox has it, for
Clients whose ``grant_types`` list ``password``.

A password alone never buys a token for a user with two-factor on: the answer is 403 ``mfa_required``
(Auth0's error for the same case), which also tells a first-party client re-checking a signed-in user's
password that it was right. Wrong passwords count toward the same throttle as the login form.
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidGrantError, OAuth2Error, grants

from .. import store
from ..accounts import login_session
from ..models import LoginSession
from ..two_factor.attempts import attempt_password


class MfaRequired(OAuth2Error):
    error = "mfa_required"
    status_code = 403
    description = "The password is right, but this user signs in with a second factor as well."


class TooManyAttempts(OAuth2Error):
    error = "too_many_attempts"
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many wrong passwords: try again in {retry_after} seconds.")
        self.retry_after = retry_after

    def get_headers(self) -> list[tuple[str, str]]:
        return [*super().get_headers(), ("Retry-After", str(self.retry_after))]


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def authenticate_user(self, username: str, password: str) -> LoginSession:
        """A new login session when ``password`` is that of the account ``username`` (its email);
        otherwise ``invalid_grant`` (RFC 6749 section 5.2), ``mfa_required`` or ``too_many_attempts``."""
        user = store.user_by_email(username)
        outcome = attempt_password(user, username, password)
        if outcome.retry_after is not None:
            raise TooManyAttempts(outcome.retry_after)
        if not outcome.ok or user is None:
            raise InvalidGrantError("The username or the password is not correct.")
        if user.two_factor_enabled:
            raise MfaRequired()
        return login_session.new(user)
