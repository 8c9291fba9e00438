"""Lockout waits in words (the auth server's and the app's messages)."""

import pytest

from backend.common.durations import in_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (61, "1 minute 1 second"),
        (472, "7 minutes 52 seconds"),
        (3600, "1 hour"),
        (3725, "1 hour 2 minutes 5 seconds"),
        (0, "1 second"),
    ],
)
def test_in_words(seconds, words):
    assert in_words(seconds) == words
