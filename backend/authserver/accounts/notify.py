"""Notifications through the AidboxConfig ``provider``: a console log line or real mail over SMTP."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

log = logging.getLogger("authserver.notify")


def default_provider(aidbox_config: dict[str, Any] | None) -> dict[str, Any]:
    """The provider named by ``provider.default`` (console when nothing is configured)."""
    providers = (aidbox_config or {}).get("provider") or {}
    chosen = providers.get(providers.get("default", ""))
    return chosen if isinstance(chosen, dict) else {"type": "console"}


def send_welcome(aidbox_config: dict[str, Any] | None, email: str, title: str = "Two-factor demo") -> bool:
    """Tell a new user their account exists; False (and a warning) when delivery failed."""
    subject = f"Welcome to {title}"
    body = f"Hello,\n\nyour account {email} has been created.\n"
    provider = default_provider(aidbox_config)
    if provider.get("type") == "smtp":
        return _send_smtp(provider, email, subject, body)
    log.info("Welcome email to %s", email)
    return True


def _send_smtp(provider: dict[str, Any], to: str, subject: str, body: str) -> bool:
    message = EmailMessage()
    message["From"] = provider["from"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(provider["host"], provider["port"], timeout=10) as smtp:
            if provider.get("tls"):
                smtp.starttls()
            if provider.get("username"):
                smtp.login(provider["username"], provider.get("password", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Could not send the welcome email to %s over SMTP: %s", to, error)
        return False
    log.info("Welcome email to %s sent over SMTP", to)
    return True
