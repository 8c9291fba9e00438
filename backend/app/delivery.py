"""Sending a one-time code to a person: console line, email (SMTP) or SMS (Twilio Messages API shape).

The console line (logger ``app.delivery``) is the demo's development delivery: it is used when no
SMTP host or SMS gateway is configured. It shows the code only in demo mode (APP_MODE=demo), where every
message sent is also kept in the dev outbox (outbox.py); in production a log is no place for a code, so
the line says only where it would have gone, masked. Error logs never contain the code.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

import requests

from backend.common.errors import ApiError
from backend.common.masking import mask_email, mask_phone

from . import outbox

log = logging.getLogger("app.delivery")

TIMEOUT_SECONDS = 10
#: Below the auth server's default webhook timeout (5 s), so a slow gateway still gets a clear answer.
SMS_TIMEOUT_SECONDS = 4
SMS_FAILED = "The text message with the code could not be sent. Check the number or try again later."
#: The setting that names each transport's gateway; without it, codes go to the console line.
GATEWAY_SETTINGS = {"email": "SMTP_HOST", "sms": "SMS_GATEWAY_URL"}


class DeliveryError(ApiError):
    """The code could not be handed to the mail server or the SMS gateway: a 502 ``delivery_failed``
    wherever it is raised (its message is safe to show)."""

    def __init__(self, message: str) -> None:
        super().__init__(502, "delivery_failed", message)


def _text(code: str) -> str:
    return f"Your verification code is {code}. It is valid for a few minutes."


def deliver_code(
    config: Mapping[str, Any], *, transport: str, email: str, phone_number: str | None, code: str
) -> str:
    """Send ``code`` by ``transport`` ("email" or "sms"); returns the channel used (smtp, sms, console)."""
    if transport not in GATEWAY_SETTINGS:
        raise ValueError(f"unknown transport {transport!r}")
    if transport == "sms" and not phone_number:
        raise DeliveryError("The user has no phone number for SMS.")
    to = phone_number if transport == "sms" else email
    if not config.get(GATEWAY_SETTINGS[transport]):
        channel = _console(config, transport, email, phone_number, code)
    elif transport == "email":
        _send_email(config, email, code)
        channel = "smtp"
    else:
        _send_sms(config, to, code)
        channel = "sms"
    if config.get("APP_MODE") == "demo":
        outbox.keep(transport, to, _text(code))
    return channel


def _console(
    config: Mapping[str, Any], transport: str, email: str, phone_number: str | None, code: str
) -> str:
    if config.get("APP_MODE") == "demo":
        to = f" ({phone_number})" if transport == "sms" and phone_number else ""
        log.info("two-factor code for %s%s by %s: %s", email, to, transport, code)
    else:
        to = mask_phone(phone_number) if transport == "sms" and phone_number else mask_email(email)
        missing = GATEWAY_SETTINGS[transport]
        log.warning(
            "two-factor code for %s by %s not sent: set %s (the console shows codes only when APP_MODE=demo)",
            to,
            transport,
            missing,
        )
    return "console"


def _send_email(config: Mapping[str, Any], email: str, code: str) -> None:
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = email
    message["Subject"] = "Your verification code"
    message.set_content(_text(code))
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.error("email delivery to %s via %s:%s failed: %s", email, host, port, type(error).__name__)
        raise DeliveryError("The email with the code could not be sent.") from None


def _send_sms(config: Mapping[str, Any], phone_number: str, code: str) -> None:
    sid = config.get("SMS_ACCOUNT_SID") or ""
    url = f"{config['SMS_GATEWAY_URL']}/2010-04-01/Accounts/{sid}/Messages.json"
    try:
        response = requests.post(
            url,
            data={"To": phone_number, "From": config.get("SMS_FROM") or "", "Body": _text(code)},
            auth=(sid, config.get("SMS_AUTH_TOKEN") or ""),
            timeout=config.get("SMS_TIMEOUT_SECONDS", SMS_TIMEOUT_SECONDS),
            allow_redirects=False,
        )
    except requests.RequestException as error:
        log.error("SMS delivery to %s failed: %s", phone_number, type(error).__name__)
        raise DeliveryError(SMS_FAILED) from None
    if not 200 <= response.status_code < 300:
        log.error("SMS delivery to %s failed: gateway answered HTTP %s", phone_number, response.status_code)
        raise DeliveryError(SMS_FAILED)
