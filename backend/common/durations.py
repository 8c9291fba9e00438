"""A wait in words, as lockout messages say it: "7 minutes 52 seconds", "45 seconds", "1 hour 5 minutes"."""

from __future__ import annotations

_UNITS = (("hour", 3600), ("minute", 60), ("second", 1))


def in_words(seconds: int) -> str:
    """``seconds`` (at least 1) in hours, minutes and seconds, leaving out the units that are zero."""
    parts = []
    remaining = max(1, seconds)
    for unit, size in _UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count} {unit}" if count == 1 else f"{count} {unit}s")
    return " ".join(parts)
