"""The admin operations Aidbox does not have (``$check-password``, ``$verify-totp``,
``$recovery-codes``, ``$lockout``, ``$reset-two-factor``, ``$passkey-*``, ``$trusted-browsers``,
``/Passkey``), and the ``AUTH_BUNDLED_OPERATIONS=off`` switch that answers them 404 as Aidbox would,
so that a client meant for a real Aidbox (the backend app with ``AUTH_SERVER_KIND=aidbox``) is tested
against this server."""

from __future__ import annotations

from flask import Flask, request

from backend.common.errors import ApiError

BLUEPRINTS = frozenset({"admin_two_factor", "admin_trusted_browsers", "admin_passkeys"})
ENDPOINTS = frozenset({"resources.check_password"})


def init_bundled_operations(app: Flask) -> None:
    if app.config["AUTH_BUNDLED_OPERATIONS"] == "on":
        return

    @app.before_request
    def _as_aidbox() -> None:
        if request.blueprint in BLUEPRINTS or request.endpoint in ENDPOINTS:
            raise ApiError(404, "not_found", "This operation is switched off (AUTH_BUNDLED_OPERATIONS=off).")
