"""The terminal client backend/examples/api_login.py against a served auth server (typed input patched)."""

from __future__ import annotations

import pytest
import requests

from backend.common import totp
from backend.examples import api_login
from backend.tests.support import ServedApp

from .helpers import PASSWORD


@pytest.fixture
def served(app):
    served = ServedApp(app)
    yield served.url
    served.close()


def typed(monkeypatch, *lines: str) -> list[str]:
    """Answer input() with ``lines`` in order and getpass() with the password; returns the prompts seen."""
    prompts: list[str] = []
    answers = iter(lines)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr(api_login.getpass, "getpass", lambda prompt="": PASSWORD)
    return prompts


def test_logs_in_with_a_code_from_the_prompt(served, totp_user, clock, monkeypatch, capsys):
    code = totp.code_at(totp_user["secret"], clock())
    prompts = typed(monkeypatch, "bob@example.com", code)
    assert api_login.main(["--server", served, "--application", "web", "--print-token"]) == 0
    assert prompts == ["Email: ", "Code from your authenticator app: "]
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Signed in as bob@example.com (two-factor on)."
    userinfo = requests.get(
        f"{served}/auth/userinfo", headers={"Authorization": f"Bearer {out[1]}"}, timeout=5
    )
    assert userinfo.json()["email"] == "bob@example.com"


def test_a_wrong_code_is_asked_again(served, totp_user, clock, monkeypatch, capsys):
    good = totp.code_at(totp_user["secret"], clock())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    typed(monkeypatch, wrong, good)
    assert api_login.main(["--server", served, "--email", "bob@example.com"]) == 0
    out = capsys.readouterr().out
    assert "That code is not valid. Try again." in out and "Signed in as bob@example.com" in out


def test_no_code_asked_when_two_factor_is_off(served, user, monkeypatch, capsys):
    prompts = typed(monkeypatch)
    assert api_login.main(["--server", served, "--email", "ann@example.com"]) == 0
    assert prompts == []
    assert capsys.readouterr().out == "Signed in as ann@example.com (two-factor off).\n"


def test_wrong_password_fails_with_the_servers_reason(served, user, monkeypatch, capsys):
    typed(monkeypatch)
    monkeypatch.setattr(api_login.getpass, "getpass", lambda prompt="": "wrong")
    assert api_login.main(["--server", served, "--email", "ann@example.com"]) == 1
    assert "Login failed: The login id or the password is not correct." in capsys.readouterr().err
