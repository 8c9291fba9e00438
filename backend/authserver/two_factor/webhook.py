"""Sends a user's one-time code to the configured webhook (AuthConfig app twoFactor.webhook).

No redirects are followed, ``timeout`` (milliseconds) bounds the whole call, and the code is never
logged: log lines name the user and the outcome only.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from urllib3.util import Timeout

from ..models import User

log = logging.getLogger("authserver.webhook")

DEFAULT_TIMEOUT_MS = 5000


def send_code(webhook: dict[str, Any] | None, user: User, code: str) -> bool:
    """POST ``{"user", "token", "transport"}`` to the webhook; True when it answered 2xx."""
    if not webhook or not webhook.get("endpoint"):
        log.warning("No AuthConfig app twoFactor.webhook.endpoint: cannot send a code to user %s", user.id)
        return False
    user_part = {"id": user.id, "email": user.email}
    if user.document.get("phoneNumber"):
        user_part["phoneNumber"] = user.document["phoneNumber"]
    payload = {"user": user_part, "token": code, "transport": user.two_factor.get("transport")}
    seconds = (webhook.get("timeout") or DEFAULT_TIMEOUT_MS) / 1000
    try:
        # urllib3's total timeout covers connecting and waiting for the answer together.
        response = requests.post(
            webhook["endpoint"],
            json=payload,
            headers=webhook.get("headers") or {},
            timeout=Timeout(total=seconds),
            allow_redirects=False,
            stream=True,
        )
        response.close()
    except requests.RequestException as error:
        log.warning("Webhook for user %s failed: %s", user.id, type(error).__name__)
        return False
    if not 200 <= response.status_code < 300:
        log.warning("Webhook for user %s answered HTTP %s", user.id, response.status_code)
        return False
    return True
