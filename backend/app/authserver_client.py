"""Every call the app makes to the auth server, over HTTP (the two servers never import each other).

Resource calls use the admin client's Basic credentials; user calls use the user's Bearer token.
Network trouble and unexpected answers become a 502 ApiError, never a 500.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import requests
from flask import current_app, has_request_context, request

from backend.common.durations import in_words
from backend.common.errors import ApiError, error_response

log = logging.getLogger("app.authserver_client")


class Throttled(ApiError):
    """Refused for now (by default: the auth server refuses more guesses); 429 with Retry-After."""

    def __init__(self, retry_after: str, message: str = "", code: str = "too_many_attempts") -> None:
        seconds = retry_after if retry_after.isdigit() else "60"
        super().__init__(
            429, code, message or f"Too many wrong attempts. Try again in {in_words(int(seconds))}."
        )
        self.retry_after = seconds


CODES_LOCKED = (
    "Too many wrong codes: your two-factor codes are locked. "
    "Sign in with a recovery code to unlock them, or ask an administrator."
)


class CodeAlreadyUsed(ApiError):
    """The code was right, but it was used a moment ago (a code works once): 422 code_already_used."""

    def __init__(self, message: str) -> None:
        super().__init__(422, "code_already_used", message, field="code")


DEFAULT_ISSUER = "Demo"
DEFAULT_PAST_STEPS = 5


class AuthServerClient:
    def __init__(
        self,
        base_url: str,
        admin_id: str,
        admin_secret: str,
        client_id: str,
        client_secret: str,
        timeout: float | tuple[float, float] = (3.05, 10),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._admin_auth = (admin_id, admin_secret)
        self._client_auth = (client_id, client_secret)
        self.http = requests.Session()
        # A service-to-service call: no proxy or ~/.netrc look-ups from the environment on every call.
        self.http.trust_env = False

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("allow_redirects", False)
        if has_request_context() and request.remote_addr and "auth" in kwargs:
            # The auth server's audit log and throttle see the end user's address, not ours.
            kwargs["headers"] = {**kwargs.get("headers", {}), "X-Forwarded-For": request.remote_addr}
        try:
            return self.http.request(method, self.base_url + path, **kwargs)
        except requests.RequestException as error:
            log.warning("auth server unreachable: %s %s (%s)", method, path, type(error).__name__)
            raise ApiError(502, "auth_server_unavailable", "The auth server could not be reached.") from None

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ApiError(502, "auth_server_error", "The auth server sent an unexpected answer.")
        return body

    def _unexpected(self, response: requests.Response, what: str) -> ApiError:
        log.warning("auth server answered %s to %s", response.status_code, what)
        return ApiError(502, "auth_server_error", "The auth server sent an unexpected answer.")

    # Resource API (admin)

    def get_user(self, user_id: str) -> dict[str, Any] | None:
        """The User document (admin view, with secretKey), or None when it no longer exists."""
        response = self._call("GET", f"/User/{quote(user_id, safe='')}", auth=self._admin_auth)
        if response.status_code in (404, 410):
            return None
        if response.status_code != 200:
            raise self._unexpected(response, "GET /User")
        return self._json(response)

    def patch_user(self, user_id: str, patch: dict[str, Any]) -> dict[str, Any]:
        """JSON merge patch (RFC 7396) of a User; ``None`` values remove keys."""
        response = self._call(
            "PATCH",
            f"/User/{quote(user_id, safe='')}",
            json=patch,
            auth=self._admin_auth,
        )
        if response.status_code != 200:
            raise self._unexpected(response, "PATCH /User")
        return self._json(response)

    def check_password(self, user_id: str, password: str) -> bool:
        return self._user_operation(user_id, "$check-password", {"password": password})

    def verify_totp(self, user_id: str, code: str) -> bool:
        """True once for a valid code: the auth server checks it and records its step (no replay).

        A right code that was already used raises CodeAlreadyUsed, with the auth server's message."""
        return self._user_operation(user_id, "$verify-totp", {"code": code})

    def _user_operation(self, user_id: str, operation: str, body: dict[str, str]) -> bool:
        """An admin check on a user: True (200 valid), False (422), Throttled (429), CodeAlreadyUsed, 423
        second_factor_locked once the daily cap of wrong codes locked the user's codes."""
        response = self._call(
            "POST", f"/User/{quote(user_id, safe='')}/{operation}", json=body, auth=self._admin_auth
        )
        if response.status_code == 200:
            return self._json(response).get("valid") is True
        if response.status_code == 422:
            error = self._json(response).get("error")
            if isinstance(error, dict) and error.get("code") == "code_already_used":
                message = error.get("message")
                raise CodeAlreadyUsed(message if isinstance(message, str) else "This code was already used.")
            return False
        if response.status_code == 429:
            raise Throttled(response.headers.get("Retry-After", ""))
        if response.status_code == 423:
            raise ApiError(423, "second_factor_locked", CODES_LOCKED)
        raise self._unexpected(response, f"POST /User/{operation}")

    def password_is_right(self, username: str, password: str) -> bool:
        """Aidbox's way to check a password: a Resource Owner Password token request with the app's
        client credentials. A token it buys is revoked at once; 403 ``mfa_required`` (the password was
        right, two-factor is on) counts as right. 409 unavailable_with_aidbox when the app's Client
        may not use the password grant."""
        response = self._call(
            "POST",
            "/auth/token",
            data={"grant_type": "password", "username": username, "password": password},
            auth=self._client_auth,
        )
        if response.status_code == 200:
            token = self._json(response).get("access_token")
            if isinstance(token, str):
                self.end_session(token)
            return True
        if response.status_code == 429:
            raise Throttled(response.headers.get("Retry-After", ""))
        error = self._json(response).get("error") if response.status_code in (400, 401, 403) else None
        if response.status_code == 403 and error == "mfa_required":
            return True
        if error in ("invalid_grant", "invalid_request"):
            return False
        if error in ("unauthorized_client", "unsupported_grant_type"):
            raise ApiError(
                409,
                "unavailable_with_aidbox",
                "The auth server does not let this app check passwords (its Client lacks the password"
                " grant): turn two-factor off on the auth server's page instead.",
            )
        raise self._unexpected(response, "POST /auth/token (password)")

    def new_recovery_codes(self, user_id: str) -> list[str]:
        """A fresh set of single-use recovery codes (the earlier set stops working)."""
        response = self._call(
            "POST", f"/User/{quote(user_id, safe='')}/$recovery-codes", json={}, auth=self._admin_auth
        )
        codes = self._json(response).get("recoveryCodes") if response.status_code == 200 else None
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise self._unexpected(response, "POST /User/$recovery-codes")
        return codes

    def recovery_codes_remaining(self, user_id: str) -> int:
        response = self._call(
            "GET", f"/User/{quote(user_id, safe='')}/$recovery-codes", auth=self._admin_auth
        )
        remaining = self._json(response).get("remaining") if response.status_code == 200 else None
        if not isinstance(remaining, int) or isinstance(remaining, bool):
            raise self._unexpected(response, "GET /User/$recovery-codes")
        return remaining

    # Passkeys (the auth server checks every WebAuthn answer; ``session`` binds its challenges)

    def passkeys(self, user_id: str) -> list[dict[str, Any]]:
        """The user's passkeys as the auth server lists them (name, dates; no key material)."""
        response = self._call("GET", "/Passkey", params={"user": user_id}, auth=self._admin_auth)
        entries = self._json(response).get("entry") if response.status_code == 200 else None
        if not isinstance(entries, list):
            raise self._unexpected(response, "GET /Passkey")
        return [entry["resource"] for entry in entries if isinstance(entry, dict) and "resource" in entry]

    def passkey(self, passkey_id: str) -> dict[str, Any] | None:
        response = self._call("GET", f"/Passkey/{quote(passkey_id, safe='')}", auth=self._admin_auth)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._unexpected(response, "GET /Passkey/<id>")
        return self._json(response)

    def passkey_options(self, user_id: str, purpose: str, session: str) -> dict[str, Any]:
        """``{challengeId, publicKey}`` for the browser's create() (register) or get() (authenticate)."""
        body = {"purpose": purpose, "session": session}
        return self._passkey_operation(user_id, "$passkey-options", body, 200)

    def add_passkey(self, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The new Passkey, once the auth server accepted the browser's answer (``session``,
        ``challengeId``, ``credential``, ``name``); its refusal (422) as an ApiError with its message."""
        return self._passkey_operation(user_id, "$add-passkey", body, 201)

    def verify_passkey(self, user_id: str, body: dict[str, Any]) -> None:
        """A fresh second factor by passkey (``session``, ``challengeId``, ``credential``); refusals
        raise (422 with the auth server's reason, 429 Throttled, 423 when codes are locked)."""
        self._passkey_operation(user_id, "$verify-passkey", body, 200)

    def _passkey_operation(
        self, user_id: str, operation: str, body: dict[str, Any], ok: int
    ) -> dict[str, Any]:
        response = self._call(
            "POST", f"/User/{quote(user_id, safe='')}/{operation}", json=body, auth=self._admin_auth
        )
        if response.status_code == ok:
            return self._json(response)
        if response.status_code == 429:
            raise Throttled(response.headers.get("Retry-After", ""))
        if response.status_code == 423:
            raise ApiError(423, "second_factor_locked", CODES_LOCKED)
        error = self._json(response).get("error") if response.status_code == 422 else None
        if (
            isinstance(error, dict)
            and isinstance(error.get("code"), str)
            and isinstance(error.get("message"), str)
        ):
            raise ApiError(422, error["code"], error["message"], field="credential")
        raise self._unexpected(response, f"POST /User/{operation}")

    def rename_passkey(self, passkey_id: str, name: str) -> dict[str, Any]:
        response = self._call(
            "PATCH", f"/Passkey/{quote(passkey_id, safe='')}", json={"name": name}, auth=self._admin_auth
        )
        if response.status_code != 200:
            raise self._unexpected(response, "PATCH /Passkey/<id>")
        return self._json(response)

    def remove_passkey(self, passkey_id: str) -> None:
        response = self._call("DELETE", f"/Passkey/{quote(passkey_id, safe='')}", auth=self._admin_auth)
        if response.status_code not in (204, 404):
            raise self._unexpected(response, "DELETE /Passkey/<id>")

    def trusted_browsers(self, user_id: str) -> list[dict[str, Any]]:
        """The browsers that skip the user's second factor now: id, label, created, lastUsed, expires."""
        response = self._call(
            "GET", f"/User/{quote(user_id, safe='')}/$trusted-browsers", auth=self._admin_auth
        )
        browsers = self._json(response).get("trustedBrowsers") if response.status_code == 200 else None
        if not isinstance(browsers, list) or not all(isinstance(browser, dict) for browser in browsers):
            raise self._unexpected(response, "GET /User/$trusted-browsers")
        return browsers

    def revoke_trusted_browser(self, user_id: str, browser_id: int) -> bool:
        """That browser asks for the second factor again; False when the user has no such browser."""
        response = self._call(
            "DELETE",
            f"/User/{quote(user_id, safe='')}/$trusted-browsers/{browser_id}",
            auth=self._admin_auth,
        )
        if response.status_code not in (204, 404):
            raise self._unexpected(response, "DELETE /User/$trusted-browsers/<id>")
        return response.status_code == 204

    def end_trusted_browsers(self, user_id: str) -> None:
        """Every browser the user trusted asks for the second factor again."""
        response = self._call(
            "DELETE", f"/User/{quote(user_id, safe='')}/$trusted-browsers", auth=self._admin_auth
        )
        if response.status_code != 204:
            raise self._unexpected(response, "DELETE /User/$trusted-browsers")

    def two_factor_config(self) -> dict[str, Any]:
        """AuthConfig ``app``'s ``twoFactor`` with the documented defaults filled in."""
        response = self._call("GET", "/AuthConfig/app", auth=self._admin_auth)
        if response.status_code == 404:
            config: dict[str, Any] = {}
        elif response.status_code == 200:
            config = self._json(response).get("twoFactor") or {}
        else:
            raise self._unexpected(response, "GET /AuthConfig/app")
        issuer = config.get("issuerName")
        past = config.get("validPastTokensCount")
        return {
            "required": config.get("required") is True,
            "issuerName": issuer if isinstance(issuer, str) and issuer else DEFAULT_ISSUER,
            "validPastTokensCount": past
            if isinstance(past, int) and not isinstance(past, bool) and 0 <= past <= 100
            else DEFAULT_PAST_STEPS,
        }

    # User tokens

    def userinfo(self, access_token: str) -> dict[str, Any] | None:
        """The user a token belongs to, or None when the auth server refuses the token."""
        response = self._call("GET", "/auth/userinfo", headers={"Authorization": f"Bearer {access_token}"})
        if response.status_code in (401, 403):
            return None
        if response.status_code != 200:
            raise self._unexpected(response, "GET /auth/userinfo")
        return userinfo_of(self._json(response))

    def introspect(self, access_token: str) -> dict[str, Any] | None:
        """RFC 7662 with the app's client credentials: the auth server's answer for an active token
        (``client_id``: whose it is, ``sub``: its user), or None when the token is not active."""
        response = self._call(
            "POST",
            "/auth/introspect",
            data={"token": access_token, "token_type_hint": "access_token"},
            auth=self._client_auth,
        )
        if response.status_code != 200:
            raise self._unexpected(response, "POST /auth/introspect")
        answer = self._json(response)
        return answer if answer.get("active") is True else None

    def end_session(self, access_token: str) -> bool:
        """DELETE /Session: revoke the token and its auth-server login. False when the token is refused."""
        response = self._call("DELETE", "/Session", headers={"Authorization": f"Bearer {access_token}"})
        if response.status_code in (200, 204):
            return True
        if response.status_code in (401, 403):
            return False
        raise self._unexpected(response, "DELETE /Session")

    def refresh(self, refresh_token: str) -> dict[str, Any] | None:
        """A new token set for ``refresh_token``, or None when it is refused."""
        response = self._call(
            "POST",
            "/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": refresh_token},
            auth=self._client_auth,
        )
        if response.status_code in (400, 401):
            return None
        if response.status_code != 200:
            raise self._unexpected(response, "POST /auth/token")
        token = self._json(response)
        return token if isinstance(token.get("access_token"), str) else None


def userinfo_of(info: Any) -> dict[str, Any]:
    """``info`` checked as a /auth/userinfo body (at least a string id and email); 502 ApiError if not."""
    if not isinstance(info, dict) or not all(isinstance(info.get(key), str) for key in ("id", "email")):
        raise ApiError(502, "auth_server_error", "The auth server sent an unexpected answer.")
    return info


def init_authserver_client(app) -> None:
    config = app.config

    @app.errorhandler(Throttled)
    def _throttled(error: Throttled):
        response = error_response(error.status, error.code, error.message)
        response.headers["Retry-After"] = error.retry_after
        return response

    app.extensions["authserver_client"] = AuthServerClient(
        config["AUTH_SERVER_URL"],
        config["ADMIN_CLIENT_ID"],
        config["ADMIN_CLIENT_SECRET"],
        config["APP_CLIENT_ID"],
        config["APP_CLIENT_SECRET"],
        timeout=config["AUTH_SERVER_TIMEOUT"],
    )


def authserver() -> AuthServerClient:
    """The current app's auth-server client."""
    return current_app.extensions["authserver_client"]
