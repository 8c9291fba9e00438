"""Is this the user's password, is this a current code of theirs (once only)?

With the bundled auth server (``AUTH_SERVER_KIND=bundled``) its admin operations answer
(``$check-password``, ``$verify-totp``: one throttle and one replay store for the login form and the
app). Aidbox has neither, so with ``AUTH_SERVER_KIND=aidbox`` the app asks only what Aidbox answers: a
password grant token request for the password, and the User's ``twoFactor.secretKey`` (resource API)
for a code, checked with the same verifier (backend/common/totp.py) against the app's own record of
spent steps and wrong codes (used_totp_steps.py). The auth server's login step keeps a record of its own.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from backend.common import totp

from . import used_totp_steps
from .authserver_client import CodeAlreadyUsed, Throttled, authserver
from .features import with_aidbox

ALREADY_USED = "This code was already used. Wait for the next one, or send yourself a new one."


def password_is_right(user_id: str, password: str) -> bool:
    if not with_aidbox():
        return authserver().check_password(user_id, password)
    user = authserver().get_user(user_id) or {}
    email = user.get("email")
    return isinstance(email, str) and bool(email) and authserver().password_is_right(email, password)


def code_is_right(user_id: str, code: str) -> bool:
    """True once for a current code of the user's secret (pending or enabled); a right code that was
    already used raises CodeAlreadyUsed (422 code_already_used)."""
    if not with_aidbox():
        return authserver().verify_totp(user_id, code)
    now = current_app.config["CLOCK"]()
    wait = used_totp_steps.retry_after(user_id, now)
    if wait is not None:
        raise Throttled(str(wait))
    secret = _secret_of(authserver().get_user(user_id) or {})
    if secret is None:
        return False
    match = totp.check(
        secret,
        code,
        now=now,
        past_steps=authserver().two_factor_config()["validPastTokensCount"],
        last_used_step=used_totp_steps.last_step(user_id),
    )
    if match.step is not None and used_totp_steps.claim(user_id, match.step):
        return True
    # A right code used before counts as a wrong guess, as at the bundled auth server.
    used_totp_steps.count_wrong_code(user_id, now)
    if match.step is not None or match.already_used:
        raise CodeAlreadyUsed(ALREADY_USED)
    return False


def _secret_of(user: dict[str, Any]) -> str | None:
    two_factor = user.get("twoFactor")
    secret = two_factor.get("secretKey") if isinstance(two_factor, dict) else None
    return secret if isinstance(secret, str) and secret else None
