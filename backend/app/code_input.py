"""A one-time code as people submit it: pasted with spaces or dashes ("806 056", "806-056") or with
whitespace around it. Read here, in one place, so the ASCII ``[0-9]{6}`` check that follows
(totp.is_well_formed) sees only the digits."""

from __future__ import annotations

import re
from typing import Any

from backend.common.jsonbody import optional_str

#: Grouping an authenticator app or an email shows, and whitespace a paste brings along.
_SEPARATORS = re.compile(r"[\s-]+")


def submitted_code(body: dict[str, Any], name: str = "code") -> str | None:
    """``body[name]`` without spaces and dashes; None when it is absent. 422 when not a short string."""
    value = optional_str(body, name, max_length=32)
    return None if value is None else _SEPARATORS.sub("", value)
