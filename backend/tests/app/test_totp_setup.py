"""Authenticator-app setup: secret + otpauth URL + QR (decoded by zbarimg), confirmed with oathtool."""

from __future__ import annotations

import base64
import json
import subprocess
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from backend.app import totp_setup
from backend.common import totp

from .fake_authserver import USER_ID


def oathtool(secret: str, now: float) -> str:
    result = subprocess.run(
        ["oathtool", "--totp", "-b", f"--now=@{int(now)}", secret],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def zbarimg(png: bytes, tmp_path) -> str:
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    result = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, check=True)
    return result.stdout.decode().rstrip("\n")


def start_setup(client) -> dict:
    response = client.post("/api/user/two-factor", json={})
    assert response.status_code == 200, response.json
    return response.json


def test_setup_returns_secret_url_and_a_qr_code_of_the_url(signed_in, fake_auth, tmp_path):
    setup = start_setup(signed_in)
    secret = setup["secret"]
    assert len(secret) == 32

    url = urlsplit(setup["otpauthUrl"])
    assert (url.scheme, url.netloc) == ("otpauth", "totp")
    assert unquote(url.path) == "/Demo:ann@example.com"
    assert parse_qs(url.query) == {"secret": [secret], "issuer": ["Demo"]}

    prefix = "data:image/png;base64,"
    assert setup["qrDataUrl"].startswith(prefix)
    png = base64.b64decode(setup["qrDataUrl"][len(prefix) :], validate=True)
    assert zbarimg(png, tmp_path) == setup["otpauthUrl"]

    # Pending at the auth server: secret stored, not enabled, no transport.
    assert fake_auth.user["twoFactor"] == {"enabled": False, "secretKey": secret}
    assert signed_in.get("/api/user/two-factor").json == {
        "enabled": False,
        "method": None,
        "pendingSetup": "totp",
        "recoveryCodesRemaining": 0,
    }


def test_issuer_comes_from_auth_config(signed_in, fake_auth):
    fake_auth.auth_config["twoFactor"]["issuerName"] = "Acme Health"
    assert start_setup(signed_in)["otpauthUrl"].startswith("otpauth://totp/Acme%20Health:ann%40example.com?")


def test_issuer_defaults_to_demo_without_auth_config(signed_in, fake_auth):
    fake_auth.auth_config = None
    assert "issuer=Demo" in start_setup(signed_in)["otpauthUrl"]


def test_oathtool_code_enables_two_factor(signed_in, fake_auth, clock):
    secret = start_setup(signed_in)["secret"]
    code = oathtool(secret, clock())
    response = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "totp", "code": code})
    assert response.status_code == 200
    assert response.json == {
        "enabled": True,
        "method": "totp",
        "recoveryCodes": fake_auth.recovery_codes[USER_ID],
        "issuer": "Demo",
        "account": "ann@example.com",
    }
    assert fake_auth.user["twoFactor"] == {"enabled": True, "secretKey": secret}
    assert signed_in.get("/api/user/two-factor").json == {
        "enabled": True,
        "method": "totp",
        "recoveryCodesRemaining": 10,
    }
    assert signed_in.get("/api/me").json["twoFactor"] == {"enabled": True, "method": "totp"}


def test_wrong_code_does_not_enable(signed_in, fake_auth, clock):
    secret = start_setup(signed_in)["secret"]
    wrong = f"{(int(totp.code_at(secret, clock())) + 1) % 1_000_000:06d}"
    response = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "totp", "code": wrong})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_code"
    assert response.json["error"]["field"] == "code"
    assert fake_auth.user["twoFactor"]["enabled"] is False


def test_a_code_the_auth_server_saw_used_says_so(signed_in, fake_auth, clock):
    secret = start_setup(signed_in)["secret"]
    fake_auth.last_steps[USER_ID] = totp.current_step(clock())  # e.g. sent from another tab a moment ago
    body = {"enabled": True, "method": "totp", "code": totp.code_at(secret, clock())}
    response = signed_in.put("/api/user/two-factor", json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "code_already_used"
    assert (
        response.json["error"]["message"] == "This code was already used. Wait for the next one in your app."
    )
    assert fake_auth.user["twoFactor"]["enabled"] is False


def test_past_window_follows_valid_past_tokens_count(signed_in, fake_auth, clock):
    fake_auth.auth_config["twoFactor"]["validPastTokensCount"] = 1
    secret = start_setup(signed_in)["secret"]
    two_steps_old = totp.code_at(secret, clock() - 60)
    body = {"enabled": True, "method": "totp", "code": two_steps_old}
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 422
    body["code"] = totp.code_at(secret, clock() - 30)
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 200


def test_code_expires_as_the_clock_moves(signed_in, clock):
    secret = start_setup(signed_in)["secret"]
    code = totp.code_at(secret, clock())
    clock.advance(30 * 7)
    body = {"enabled": True, "method": "totp", "code": code}
    assert signed_in.put("/api/user/two-factor", json=body).json["error"]["code"] == "invalid_code"


@pytest.mark.parametrize("code", ["１２３４５６", "12345", "1234567", " 123456", 123456])
def test_malformed_codes_are_422(signed_in, code):
    start_setup(signed_in)
    response = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "totp", "code": code})
    assert response.status_code == 422


def test_confirm_without_pending_setup(signed_in):
    body = {"enabled": True, "method": "totp", "code": "123456"}
    response = signed_in.put("/api/user/two-factor", json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "nothing_pending"


def test_already_enabled_refuses_setup_and_confirm(signed_in, clock):
    secret = start_setup(signed_in)["secret"]
    code = totp.code_at(secret, clock())
    body = {"enabled": True, "method": "totp", "code": code}
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 200
    again = signed_in.put("/api/user/two-factor", json=body)
    assert again.status_code == 422 and again.json["error"]["code"] == "already_enabled"
    restart = signed_in.post("/api/user/two-factor", json={})
    assert restart.status_code == 422 and restart.json["error"]["code"] == "already_enabled"


@pytest.mark.parametrize("method", ["push", "SMS", None, 1])
def test_unknown_method_is_422(signed_in, method):
    response = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": method, "code": "1"})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_field" and response.json["error"]["field"] == "method"


def test_no_endpoint_shows_the_secret_after_confirmation(signed_in, clock):
    secret = start_setup(signed_in)["secret"]
    confirm = signed_in.put(
        "/api/user/two-factor",
        json={"enabled": True, "method": "totp", "code": totp.code_at(secret, clock())},
    )
    answers = [
        confirm,
        signed_in.get("/api/me"),
        signed_in.get("/api/user/two-factor"),
        signed_in.post("/api/user/two-factor", json={}),
        signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "totp", "code": "000000"}),
    ]
    for answer in answers:
        assert secret not in answer.get_data(as_text=True)
        assert "secretKey" not in json.dumps(answer.json)


def test_two_factor_api_needs_sign_in(client):
    assert client.get("/api/user/two-factor").status_code == 401
    assert client.post("/api/user/two-factor", json={}).status_code == 401
    response = client.put("/api/user/two-factor", json={"enabled": True, "method": "totp", "code": "1"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_a_reload_shows_the_same_secret_so_the_scanned_code_still_works(signed_in, fake_auth, clock):
    first = start_setup(signed_in)
    clock.advance(totp_setup.LIFETIME - 60)
    again = start_setup(signed_in)
    assert again["secret"] == first["secret"] and again["otpauthUrl"] == first["otpauthUrl"]
    assert again["expired"] is False
    body = {"enabled": True, "method": "totp", "code": totp.code_at(first["secret"], clock())}
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 200


def test_after_it_expires_the_code_is_refused_with_why_and_a_new_secret_follows(signed_in, clock):
    first = start_setup(signed_in)["secret"]
    clock.advance(totp_setup.LIFETIME + 1)
    body = {"enabled": True, "method": "totp", "code": totp.code_at(first, clock())}
    refused = signed_in.put("/api/user/two-factor", json=body)
    assert refused.status_code == 422
    assert refused.json["error"] == {
        "code": "setup_expired",
        "message": "This setup expired; scan the new QR code.",
    }
    assert "pendingSetup" not in signed_in.get("/api/user/two-factor").json

    renewed = start_setup(signed_in)
    assert renewed["secret"] != first and renewed["expired"] is True
    assert start_setup(signed_in)["expired"] is False
    body["code"] = totp.code_at(renewed["secret"], clock())
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 200


def test_cancel_drops_the_pending_secret(signed_in, fake_auth):
    first = start_setup(signed_in)["secret"]
    cancelled = signed_in.delete("/api/user/two-factor/setup", json={})
    assert cancelled.status_code == 200 and cancelled.json == {"enabled": False, "method": None}
    assert "secretKey" not in fake_auth.user["twoFactor"]
    assert "pendingSetup" not in signed_in.get("/api/user/two-factor").json
    renewed = start_setup(signed_in)
    assert renewed["secret"] != first and renewed["expired"] is False


def test_an_email_setup_started_meanwhile_is_not_shown_as_a_qr_code(signed_in, fake_auth):
    first = start_setup(signed_in)["secret"]
    signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "email"})
    assert "pendingSetup" not in signed_in.get("/api/user/two-factor").json
    emailed_secret = fake_auth.user["twoFactor"]["secretKey"]
    renewed = start_setup(signed_in)
    assert renewed["secret"] not in (first, emailed_secret) and renewed["expired"] is False


@pytest.mark.parametrize("spaced", ["{0} {1}", "{0}-{1}", "  {0}{1}  ", "\t{0} {1}\n", "{0}\u00a0{1}"])
def test_a_pasted_code_with_spaces_or_dashes_is_read_as_its_digits(signed_in, clock, spaced):
    secret = start_setup(signed_in)["secret"]
    code = totp.code_at(secret, clock())
    body = {"enabled": True, "method": "totp", "code": spaced.format(code[:3], code[3:])}
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 200
