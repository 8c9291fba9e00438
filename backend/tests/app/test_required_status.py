"""GET /api/user/two-factor says ``required: true`` while two-factor is off and the auth server's
AuthConfig.twoFactor.required asks every user to turn it on (the prompt then offers no Skip)."""

from __future__ import annotations

from .test_disable import SECRET


def test_required_while_off_under_the_policy(signed_in, fake_auth):
    assert "required" not in signed_in.get("/api/user/two-factor").json
    fake_auth.auth_config["twoFactor"]["required"] = True
    assert signed_in.get("/api/user/two-factor").json["required"] is True


def test_not_required_once_on(signed_in, fake_auth):
    fake_auth.auth_config["twoFactor"]["required"] = True
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    assert "required" not in signed_in.get("/api/user/two-factor").json


def test_not_required_with_a_passkey(signed_in, fake_auth):
    fake_auth.auth_config["twoFactor"]["required"] = True
    fake_auth.passkeys[fake_auth.user["id"]] = [{"resourceType": "Passkey", "id": "1", "name": "Laptop"}]
    assert "required" not in signed_in.get("/api/user/two-factor").json
