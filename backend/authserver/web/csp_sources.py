"""A theme URL as a Content-Security-Policy source: its plain origin, or nothing.

A CSP header separates directives with ';', sources with whitespace and policies with ','; a quote
starts a keyword such as 'unsafe-inline'. A URL holding any of them would write directives of its own
(``https://x.example; script-src 'unsafe-inline' *``), so only ``http(s)://host[:port]`` goes in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SEPARATOR_OR_QUOTE = re.compile(r"[\s;,'\"]")
_HOST_AND_PORT = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def csp_origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL that is safe in a CSP header, else None."""
    if _SEPARATOR_OR_QUOTE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not _HOST_AND_PORT.fullmatch(parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}"
