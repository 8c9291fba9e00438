"""Where a code went, shown without giving the address away: "+1 ••• ••• 1234", "a•••@example.com"."""

from __future__ import annotations

import phonenumbers

DOTS = "•••"


def mask_phone(e164: str) -> str:
    """The country code and the last four digits of an E.164 number: ``+1 ••• ••• 0100``."""
    try:
        country = f"+{phonenumbers.parse(e164, None).country_code}"
    except phonenumbers.NumberParseException:
        country = ""
    last_four = "".join(ch for ch in e164 if ch.isascii() and ch.isdigit())[-4:]
    return " ".join(filter(None, [country, DOTS, DOTS, last_four]))


def mask_email(email: str) -> str:
    """The first letter of the local part and the domain: ``a•••@example.com``."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}{DOTS}{at}{domain}"
