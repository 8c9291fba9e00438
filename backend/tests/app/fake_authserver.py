"""A small stand-in for the auth server: just the contract endpoints the app calls.

It signs a fixed test user in without a form, checks PKCE S256 at the token endpoint and keeps
everything in memory, so app tests run without (and independently of) backend.authserver.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request

from backend.authserver.store import merge_patch
from backend.common import totp

ADMIN = ("admin", "admin-secret")
CLIENT = ("two-factor-app", "app-secret")
USER_ID = "0b6f2f5e-1111-4a2b-9c3d-000000000001"
EMAIL = "ann@example.com"
PASSWORD = "correct horse battery"


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class FakeAuthServer:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    auth_config: dict[str, Any] | None = None
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # access token -> user id
    token_clients: dict[str, str] = field(default_factory=dict)  # access token -> the client it was issued to
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    ended_sessions: list[str] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    # The error the next /auth/authorize answers with (e.g. "access_denied"), once.
    next_authorize_error: str | None = None
    clock: Any = None  # the test's clock, for $verify-totp
    last_steps: dict[str, int] = field(default_factory=dict)
    recovery_codes: dict[str, list[str]] = field(default_factory=dict)
    # user id -> its passkeys as GET /Passkey?user= lists them.
    passkeys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # user id -> its trusted browsers as $trusted-browsers lists them.
    trusted_browsers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Seconds the next $verify-totp asks to wait (answers 429 once), like the real throttle.
    throttle_next_verify: int | None = None
    # The token response carries the user's /auth/userinfo body (as the real auth server's does).
    userinfo_in_token: bool = True
    # Where the discovery document says the authorize endpoint is.
    authorize_path: str = "/auth/authorize"
    # The token endpoint it names instead of this server's own (e.g. where nothing listens).
    token_endpoint: str | None = None
    # "METHOD /path" of every request the fake answered, in order.
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.users[USER_ID] = {
            "resourceType": "User",
            "id": USER_ID,
            "email": EMAIL,
            "twoFactor": {"enabled": False},
        }
        self.passwords[USER_ID] = PASSWORD
        self.auth_config = {
            "resourceType": "AuthConfig",
            "id": "app",
            "twoFactor": {"issuerName": "Demo", "validPastTokensCount": 5},
        }
        self.app = self._make_app()

    @property
    def user(self) -> dict[str, Any]:
        return self.users[USER_ID]

    def issue_token(self, user_id: str = USER_ID, client_id: str = "web") -> str:
        """An access token as the implicit flow (Client web, unless ``client_id`` says) would hand out."""
        token = secrets.token_urlsafe(24)
        self.tokens[token] = user_id
        self.token_clients[token] = client_id
        return token

    def _make_app(self) -> Flask:
        app = Flask("fake_authserver")
        server = self

        @app.before_request
        def record() -> None:
            server.seen.append(f"{request.method} {request.path}")

        def admin() -> bool:
            auth = request.authorization
            return auth is not None and (auth.username, auth.password) == ADMIN

        def unauthorized():
            body = jsonify(error={"code": "unauthorized", "message": "no"})
            return body, 401, {"WWW-Authenticate": "Basic"}

        def bearer_user() -> str | None:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            return server.tokens.get(token) if scheme == "Bearer" else None

        @app.get("/.well-known/openid-configuration")
        def discovery():
            base = request.url_root.rstrip("/")
            return jsonify(
                issuer=base,
                authorization_endpoint=base + server.authorize_path,
                token_endpoint=server.token_endpoint or base + "/auth/token",
                jwks_uri=base + "/.well-known/jwks.json",
                response_types_supported=["code"],
                subject_types_supported=["public"],
                id_token_signing_alg_values_supported=["RS256"],
            )

        @app.get("/User/<user_id>")
        def get_user(user_id):
            if not admin():
                return unauthorized()
            if user_id not in server.users:
                return jsonify(error={"code": "not_found", "message": "no"}), 404
            return jsonify(server.users[user_id])

        @app.patch("/User/<user_id>")
        def patch_user(user_id):
            if not admin():
                return unauthorized()
            if user_id not in server.users:
                return jsonify(error={"code": "not_found", "message": "no"}), 404
            patch = request.get_json()
            server.users[user_id] = merge_patch(server.users[user_id], patch)
            return jsonify(server.users[user_id])

        @app.post("/User/<user_id>/$check-password")
        def check_password(user_id):
            if not admin():
                return unauthorized()
            given = (request.get_json() or {}).get("password", "")
            if hmac.compare_digest(given.encode(), server.passwords.get(user_id, "").encode()):
                return jsonify(valid=True)
            error = {"code": "invalid_password", "message": "Wrong password.", "field": "password"}
            return jsonify(error=error), 422

        @app.post("/User/<user_id>/$verify-totp")
        def verify_totp(user_id):
            if not admin():
                return unauthorized()
            if server.throttle_next_verify is not None:
                wait, server.throttle_next_verify = server.throttle_next_verify, None
                error = {"code": "too_many_attempts", "message": "Wait."}
                return jsonify(error=error), 429, {"Retry-After": str(wait)}
            secret = server.users[user_id].get("twoFactor", {}).get("secretKey")
            match = totp.check(
                secret,
                (request.get_json() or {}).get("code"),
                now=server.clock(),
                past_steps=server.auth_config["twoFactor"]["validPastTokensCount"],
                last_used_step=server.last_steps.get(user_id),
            )
            if match.already_used:
                message = "This code was already used. Wait for the next one in your app."
                return jsonify(error={"code": "code_already_used", "message": message, "field": "code"}), 422
            if not secret or match.step is None:
                return jsonify(error={"code": "invalid_code", "message": "no", "field": "code"}), 422
            server.last_steps[user_id] = match.step
            return jsonify(valid=True)

        @app.post("/User/<user_id>/$recovery-codes")
        def new_recovery_codes(user_id):
            if not admin():
                return unauthorized()
            codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(10)]
            server.recovery_codes[user_id] = codes
            return jsonify(recoveryCodes=codes)

        @app.get("/User/<user_id>/$recovery-codes")
        def remaining_recovery_codes(user_id):
            if not admin():
                return unauthorized()
            return jsonify(remaining=len(server.recovery_codes.get(user_id, [])))

        @app.get("/User/<user_id>/$trusted-browsers")
        def list_trusted_browsers(user_id):
            if not admin():
                return unauthorized()
            return jsonify(trustedBrowsers=server.trusted_browsers.get(user_id, []))

        @app.delete("/User/<user_id>/$trusted-browsers/<int:browser_id>")
        def revoke_trusted_browser(user_id, browser_id):
            if not admin():
                return unauthorized()
            browsers = server.trusted_browsers.get(user_id, [])
            kept = [browser for browser in browsers if browser["id"] != browser_id]
            if len(kept) == len(browsers):
                return jsonify(error={"code": "not_found", "message": "no"}), 404
            server.trusted_browsers[user_id] = kept
            return "", 204

        @app.delete("/User/<user_id>/$trusted-browsers")
        def end_trusted_browsers(user_id):
            if not admin():
                return unauthorized()
            server.trusted_browsers.pop(user_id, None)
            return "", 204

        @app.get("/Passkey")
        def list_passkeys():
            if not admin():
                return unauthorized()
            found = server.passkeys.get(request.args.get("user", ""), [])
            entries = [{"resource": passkey} for passkey in found]
            return jsonify(resourceType="Bundle", type="searchset", total=len(found), entry=entries)

        @app.get("/AuthConfig/<config_id>")
        def get_auth_config(config_id):
            if not admin():
                return unauthorized()
            if config_id != "app" or server.auth_config is None:
                return jsonify(error={"code": "not_found", "message": "no"}), 404
            return jsonify(server.auth_config)

        def authorize():
            args = request.args.to_dict()
            server.authorize_requests.append({"path": request.path, **args})
            redirect_uri = args.get("redirect_uri", "")
            back = {"state": args.get("state", "")}
            error = server.next_authorize_error
            server.next_authorize_error = None
            if args.get("client_id") != CLIENT[0] or args.get("response_type") != "code":
                error = error or "unauthorized_client"
            if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
                error = error or "invalid_request"
            if error:
                return redirect(f"{redirect_uri}?{urlencode({'error': error, **back})}")
            code = secrets.token_urlsafe(16)
            server.codes[code] = {
                "user_id": USER_ID,
                "redirect_uri": redirect_uri,
                "challenge": args["code_challenge"],
            }
            return redirect(f"{redirect_uri}?{urlencode({'code': code, **back})}")

        app.add_url_rule("/auth/authorize", "authorize", authorize)
        app.add_url_rule("/auth/signup", "signup", authorize)

        @app.post("/auth/token")
        def token():
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != CLIENT:
                return jsonify(error="invalid_client"), 401
            form = request.form
            if form.get("grant_type") == "refresh_token":
                user_id = server.refresh_tokens.pop(form.get("refresh_token", ""), None)
                if user_id is None:
                    return jsonify(error="invalid_grant"), 400
                return jsonify(server._token_response(user_id))
            if form.get("grant_type") != "authorization_code":
                return jsonify(error="unsupported_grant_type"), 400
            grant = server.codes.pop(form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                return jsonify(error="invalid_grant"), 400
            if s256(form.get("code_verifier", "")) != grant["challenge"]:
                return jsonify(error="invalid_grant", error_description="PKCE verifier mismatch"), 400
            return jsonify(server._token_response(grant["user_id"]))

        @app.post("/auth/introspect")
        def introspect():
            auth = request.authorization
            if auth is None or (auth.username, auth.password) != CLIENT:
                return jsonify(error="invalid_client"), 401
            token = request.form.get("token", "")
            if token not in server.tokens:
                return jsonify(active=False)
            return jsonify(active=True, client_id=server.token_clients[token], sub=server.tokens[token])

        @app.get("/auth/userinfo")
        def userinfo():
            user_id = bearer_user()
            if user_id is None:
                return jsonify(error={"code": "unauthorized", "message": "no"}), 401
            return jsonify(server.userinfo(user_id))

        @app.delete("/Session")
        def end_session():
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme != "Bearer" or server.tokens.pop(token, None) is None:
                return jsonify(error={"code": "unauthorized", "message": "no"}), 401
            server.ended_sessions.append(token)
            return "", 204

        return app

    def userinfo(self, user_id: str) -> dict[str, Any]:
        """The user as /auth/userinfo shows them: no secretKey."""
        user = self.users[user_id]
        two_factor = {k: v for k, v in user.get("twoFactor", {}).items() if k != "secretKey"}
        # As the real one: the step after the password asks for a passkey (codes off, policy on).
        required = ((self.auth_config or {}).get("twoFactor") or {}).get("required") is True
        if two_factor.get("enabled") is not True and required and self.passkeys.get(user_id):
            two_factor["passkey"] = True
        info = {"id": user["id"], "email": user["email"], "twoFactor": two_factor}
        if "phoneNumber" in user:
            info["phoneNumber"] = user["phoneNumber"]
        return info

    def _token_response(self, user_id: str) -> dict[str, Any]:
        access = self.issue_token(user_id, client_id=CLIENT[0])
        refresh = secrets.token_urlsafe(24)
        self.refresh_tokens[refresh] = user_id
        token = {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "refresh_token": refresh}
        if self.userinfo_in_token:
            token["userinfo"] = self.userinfo(user_id)
        return token
