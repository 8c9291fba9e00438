"""Signup says when an email already has an account, so it is throttled per client address and per email."""

from __future__ import annotations

import pytest

from backend.authserver import create_app

from .test_signup_notify import sign_up

TAKEN = "An account with this email already exists"


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_signups_from_one_address_are_throttled(app, clock):
    client = from_address(app, "203.0.113.7")
    statuses = [sign_up(client, email=f"probe{number}@example.com").status_code for number in range(21)]
    assert statuses == [303] * 20 + [429]
    refused = sign_up(client, email="ann@example.com")
    assert refused.status_code == 429
    assert "Too many sign-up attempts. Try again in" in refused.get_data(as_text=True)
    assert TAKEN not in refused.get_data(as_text=True)
    assert sign_up(from_address(app, "198.51.100.1"), email="other@example.com").status_code == 303
    clock.advance(int(refused.headers["Retry-After"]))
    assert sign_up(client, email="later@example.com").status_code == 303


def test_one_email_probed_from_many_addresses_is_throttled(app, user, clock):
    answers = [sign_up(from_address(app, f"192.0.2.{n}"), email="ann@example.com") for n in range(6)]
    assert [answer.status_code for answer in answers] == [422] * 5 + [429]
    assert TAKEN in answers[0].get_data(as_text=True) and TAKEN not in answers[5].get_data(as_text=True)
    assert int(answers[5].headers["Retry-After"]) <= 3600


def test_the_limits_come_from_the_environment(app, config, monkeypatch, clock):
    """An operator behind one NAT address (or a test suite) raises the per-address signup limit."""
    monkeypatch.setenv("THROTTLE_SIGNUP_IP_LIMITS", "2/hour")
    client = from_address(create_app(config), "203.0.113.9")
    statuses = [sign_up(client, email=f"nat{number}@example.com").status_code for number in range(3)]
    assert statuses == [303, 303, 429]


def test_limits_that_cannot_be_read_refuse_to_start(config, monkeypatch):
    monkeypatch.setenv("THROTTLE_CODE_LIMITS", "five a minute")
    with pytest.raises(RuntimeError, match="THROTTLE_CODE_LIMITS"):
        create_app(config)
