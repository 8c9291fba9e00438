"""A passkey as the only second factor: while AuthConfig.twoFactor.required makes the auth server ask
for it after the password, /api/me and GET /api/user/two-factor say so (``passkey: true``); without
the policy the password alone signs in, and two-factor stays off."""

from __future__ import annotations

import requests

from backend.common import totp

from .conftest import follow_sign_in
from .test_me_snapshot import refreshes_done
from .test_passkeys import add_passkey, authenticator_for, passkey_answer, signed_in
from .test_with_real_authserver import ADMIN, PASSWORD, admin_put, api, servers  # noqa: F401 (fixture)

OFF = {"enabled": False, "method": None}
PASSKEY = {**OFF, "passkey": True}
PASSKEY_ONLY = {"resourceType": "Passkey", "id": "1", "name": "Laptop"}


def require_two_factor(auth_url: str, required: bool = True) -> None:
    config = requests.get(f"{auth_url}/AuthConfig/app", auth=ADMIN, timeout=10).json()
    admin_put(
        auth_url, "/AuthConfig/app", {**config, "twoFactor": {**config["twoFactor"], "required": required}}
    )


def me(browser, app_url: str) -> dict:
    return api(browser, app_url, "GET", "/api/me").json()["twoFactor"]


def test_adding_and_removing_the_only_passkey_under_the_policy_shows_at_once(servers):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    require_two_factor(auth_url)
    authenticator = authenticator_for(auth_url)

    passkey = add_passkey(browser, app_url, authenticator).json()
    assert me(browser, app_url) == PASSKEY, "the snapshot, written by the add"
    status = api(browser, app_url, "GET", "/api/user/two-factor").json()
    assert status["passkey"] is True and "required" not in status

    answer = passkey_answer(browser, app_url, authenticator)
    assert api(browser, app_url, "DELETE", f"/api/user/passkeys/{passkey['id']}", answer).status_code == 200
    assert me(browser, app_url) == OFF
    status = api(browser, app_url, "GET", "/api/user/two-factor").json()
    assert "passkey" not in status and status["required"] is True


def test_without_the_policy_a_passkey_does_not_turn_two_factor_on(servers):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    add_passkey(browser, app_url, authenticator_for(auth_url))
    assert me(browser, app_url) == OFF, "the password alone signs this user in"
    assert "passkey" not in api(browser, app_url, "GET", "/api/user/two-factor").json()


def test_the_settings_read_finds_a_policy_turned_on_elsewhere(servers):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    add_passkey(browser, app_url, authenticator_for(auth_url))
    require_two_factor(auth_url)
    assert api(browser, app_url, "GET", "/api/user/two-factor").json()["passkey"] is True
    assert me(browser, app_url) == PASSKEY


def test_turning_codes_off_leaves_the_passkey_as_the_second_factor(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    add_passkey(browser, app_url, authenticator_for(auth_url))
    require_two_factor(auth_url)
    secret = api(browser, app_url, "POST", "/api/user/two-factor").json()["secret"]
    enabled = api(
        browser,
        app_url,
        "PUT",
        "/api/user/two-factor",
        {"enabled": True, "method": "totp", "code": totp.code_at(secret, clock())},
    )
    assert enabled.status_code == 200, enabled.text
    assert me(browser, app_url) == {"enabled": True, "method": "totp"}

    disabled = api(browser, app_url, "DELETE", "/api/user/two-factor", {"password": PASSWORD})
    assert disabled.status_code == 200, disabled.text
    assert disabled.json() == PASSKEY
    assert me(browser, app_url) == PASSKEY


def test_sign_in_takes_the_passkey_from_the_userinfo_and_skips_the_prompt(client, fake_auth):
    fake_auth.auth_config["twoFactor"]["required"] = True
    fake_auth.passkeys[fake_auth.user["id"]] = [PASSKEY_ONLY]
    response = follow_sign_in(client)
    assert response.location.endswith("/app"), "not the 'enable two-factor now?' prompt"
    fake_auth.seen.clear()
    assert client.get("/api/me").json["twoFactor"] == PASSKEY
    assert fake_auth.seen == []


def test_a_bearer_token_user_sees_the_passkey_its_userinfo_names(client, fake_auth):
    fake_auth.auth_config["twoFactor"]["required"] = True
    fake_auth.passkeys[fake_auth.user["id"]] = [PASSKEY_ONLY]
    token = fake_auth.issue_token()
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json["twoFactor"] == PASSKEY


def test_a_stale_snapshot_is_refreshed_with_the_policy_and_passkeys(signed_in, fake_auth, clock):  # noqa: F811
    fake_auth.auth_config["twoFactor"]["required"] = True
    fake_auth.passkeys[fake_auth.user["id"]] = [PASSKEY_ONLY]  # e.g. added on the auth server's page
    clock.advance(31)
    assert signed_in.get("/api/me").json["twoFactor"] == OFF, "the old snapshot, refreshed meanwhile"
    refreshes_done(signed_in)
    assert signed_in.get("/api/me").json["twoFactor"] == PASSKEY

    fake_auth.auth_config["twoFactor"]["required"] = False  # the password alone signs in again
    clock.advance(31)
    signed_in.get("/api/me")
    refreshes_done(signed_in)
    assert signed_in.get("/api/me").json["twoFactor"] == OFF
