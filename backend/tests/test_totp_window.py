"""The shared verifier: RFC 6238 vectors, the past-only window, replay and strict code format."""

import shutil
import subprocess

import pytest

from backend.common import totp

# RFC 6238 appendix B uses the ASCII secret "12345678901234567890" (SHA-1), 8 digits; its last 6
# digits are the 6-digit codes.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_VECTORS = [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924")]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_700_000_015.0


@pytest.mark.parametrize(("unix_time", "code"), RFC_VECTORS)
def test_rfc6238_vectors(unix_time, code):
    assert totp.code_at(RFC_SECRET, unix_time) == code


@pytest.mark.parametrize("steps_back", range(0, 6))
def test_current_and_five_past_steps_accepted(steps_back):
    code = totp.code_at(SECRET, NOW - 30 * steps_back)
    assert totp.matching_step(SECRET, code, now=NOW, past_steps=5) == totp.current_step(NOW) - steps_back


def test_sixth_past_step_refused():
    code = totp.code_at(SECRET, NOW - 30 * 6)
    assert totp.matching_step(SECRET, code, now=NOW, past_steps=5) is None


def test_one_future_step_allowed_two_refused():
    assert totp.matching_step(SECRET, totp.code_at(SECRET, NOW + 30), now=NOW, past_steps=5) is not None
    assert totp.matching_step(SECRET, totp.code_at(SECRET, NOW + 60), now=NOW, past_steps=5) is None


def test_code_at_or_below_last_used_step_refused():
    code = totp.code_at(SECRET, NOW)
    step = totp.matching_step(SECRET, code, now=NOW, past_steps=5)
    assert totp.matching_step(SECRET, code, now=NOW, past_steps=5, last_used_step=step) is None
    earlier = totp.code_at(SECRET, NOW - 30)
    assert totp.matching_step(SECRET, earlier, now=NOW, past_steps=5, last_used_step=step) is None


def test_a_used_code_is_told_apart_from_a_wrong_one():
    code = totp.code_at(SECRET, NOW)
    step = totp.matching_step(SECRET, code, now=NOW, past_steps=5)
    assert totp.check(SECRET, code, now=NOW, past_steps=5, last_used_step=step) == totp.Match(None, True)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert totp.check(SECRET, wrong, now=NOW, past_steps=5, last_used_step=step) == totp.Match(None, False)


@pytest.mark.parametrize(
    ("pasted", "normalised"),
    [
        ("806 056", "806056"),
        (" 806-056 ", "806056"),
        ("806\u00a0056", "806056"),  # a no-break space, as some apps copy it
        ("806\u2009056\n", "806056"),
        ("806\u2013056", "806056"),  # an en dash
        ("abcd-2345", "abcd2345"),
    ],
)
def test_pasted_separators_are_dropped(pasted, normalised):
    assert totp.normalise_code(pasted) == normalised


@pytest.mark.parametrize("pasted", ["１２３ ４５６", "١٢٣-٤٥٦", "806 05"])
def test_dropping_separators_makes_nothing_well_formed_that_was_not(pasted):
    assert not totp.is_well_formed(totp.normalise_code(pasted))


@pytest.mark.parametrize(
    "code", ["", "12345", "1234567", "12345a", " 123456", "１２３４５６", "١٢٣٤٥٦", None, 123456]
)
def test_malformed_codes_refused(code):
    assert not totp.is_well_formed(code)
    assert totp.matching_step(SECRET, code, now=NOW, past_steps=5) is None


def test_fullwidth_digits_of_the_right_code_refused():
    code = totp.code_at(SECRET, NOW)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert totp.matching_step(SECRET, fullwidth, now=NOW, past_steps=5) is None


def test_provisioning_uri_names_issuer_and_account():
    uri = totp.provisioning_uri(SECRET, "ann@example.com", "Demo")
    assert uri.startswith("otpauth://totp/Demo:ann%40example.com?")
    assert f"secret={SECRET}" in uri and "issuer=Demo" in uri


@pytest.mark.skipif(shutil.which("oathtool") is None, reason="oathtool not installed")
def test_code_matches_oathtool():
    secret = totp.new_secret()
    code = subprocess.run(
        ["oathtool", "--totp", "-b", secret], capture_output=True, text=True, check=True
    ).stdout.strip()
    import time

    assert totp.matching_step(secret, code, now=time.time(), past_steps=1) is not None
