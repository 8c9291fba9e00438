"""Turning two-factor off re-checks the password at the auth server."""

from __future__ import annotations

import pytest

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def with_totp(signed_in, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    return signed_in


def test_right_password_disables(with_totp, fake_auth):
    response = with_totp.delete("/api/user/two-factor", json={"password": "correct horse battery"})
    assert response.status_code == 200
    assert response.json == {"enabled": False, "method": None}
    assert fake_auth.user["twoFactor"] == {"enabled": False}
    assert with_totp.get("/api/user/two-factor").json == {
        "enabled": False,
        "method": None,
        "recoveryCodesRemaining": 0,
    }


def test_disable_drops_the_email_transport(signed_in, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET, "transport": "email"}
    assert signed_in.get("/api/user/two-factor").json["method"] == "email"
    assert signed_in.get("/api/me").json["twoFactor"] == {"enabled": True, "method": "email"}
    signed_in.delete("/api/user/two-factor", json={"password": "correct horse battery"})
    assert fake_auth.user["twoFactor"] == {"enabled": False}
    assert signed_in.get("/api/me").json["twoFactor"] == {"enabled": False, "method": None}


def test_wrong_password_is_422_and_two_factor_stays_on(with_totp, fake_auth):
    response = with_totp.delete("/api/user/two-factor", json={"password": "wrong"})
    assert response.status_code == 422
    assert response.json["error"] == {
        "code": "invalid_password",
        "message": response.json["error"]["message"],
        "field": "password",
    }
    assert fake_auth.user["twoFactor"] == {"enabled": True, "secretKey": SECRET}
    assert with_totp.get("/api/user/two-factor").json["enabled"] is True
    assert with_totp.get("/api/me").json["twoFactor"] == {"enabled": True, "method": "totp"}


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password": 5}, {"password": None}])
def test_missing_or_bad_password_is_422(with_totp, fake_auth, body):
    response = with_totp.delete("/api/user/two-factor", json=body)
    assert response.status_code == 422
    assert response.json["error"]["field"] == "password"
    assert fake_auth.user["twoFactor"]["enabled"] is True


def test_sms_transport_reads_as_sms(signed_in, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET, "transport": "sms"}
    assert signed_in.get("/api/user/two-factor").json == {
        "enabled": True,
        "method": "sms",
        "recoveryCodesRemaining": 0,
    }
