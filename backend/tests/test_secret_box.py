"""The encryption at rest both servers use: one key per label, a prefix on what it wrote, and errors that
name the setting to check."""

from __future__ import annotations

import pytest

from backend.common.secret_box import PREFIX, SecretBox

KEY = "a-random-string-of-some-length-0123456789"


def box(key: str = KEY, info: bytes = b"label") -> SecretBox:
    return SecretBox(key, info=info, setting="SOME_KEY")


def test_a_value_round_trips_and_is_stored_with_the_prefix():
    stored = box().encrypt("the secret")
    assert stored.startswith(PREFIX) and "the secret" not in stored
    assert box().decrypt(stored) == "the secret"


@pytest.mark.parametrize("other", [box(key=KEY + "x"), box(info=b"another label")], ids=["key", "label"])
def test_another_key_or_label_cannot_decrypt(other):
    with pytest.raises(RuntimeError, match="does not decrypt: was SOME_KEY changed"):
        other.decrypt(box().encrypt("the secret"))


def test_a_value_without_the_prefix_is_refused():
    with pytest.raises(RuntimeError, match="not encrypted"):
        box().decrypt("the secret")
