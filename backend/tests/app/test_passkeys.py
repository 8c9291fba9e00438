"""Passkeys on the settings page's API, against the real auth server: add, list, rename, and remove
only after a fresh second factor (a passkey's answer or a current code)."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from backend.common import totp
from backend.tests.software_authenticator import SoftwareAuthenticator

from .test_with_real_authserver import ADMIN, api, browse, create_user, servers  # noqa: F401 (fixture)


def signed_in(auth_url: str, app_url: str, code=None, **user) -> requests.Session:
    create_user(auth_url, **user)
    browser = requests.Session()
    browse(browser, f"{app_url}/login", code=code)
    return browser


def authenticator_for(auth_url: str) -> SoftwareAuthenticator:
    """A passkey used on the auth server's own pages (the test servers listen on 127.0.0.1)."""
    return SoftwareAuthenticator(rp_id=urlsplit(auth_url).hostname, origin=auth_url)


def add_passkey(browser, app_url: str, authenticator: SoftwareAuthenticator, name: str = "Laptop"):
    offered = api(browser, app_url, "POST", "/api/user/passkeys/options", {"purpose": "register"})
    assert offered.status_code == 200, offered.text
    body = {"challengeId": offered.json()["challengeId"], "credential": authenticator.create(offered.json())}
    return api(browser, app_url, "POST", "/api/user/passkeys", {**body, "name": name})


def passkey_answer(browser, app_url: str, authenticator: SoftwareAuthenticator) -> dict:
    offered = api(browser, app_url, "POST", "/api/user/passkeys/options", {"purpose": "authenticate"}).json()
    return {"challengeId": offered["challengeId"], "credential": authenticator.get(offered)}


def test_add_list_rename_and_remove_with_a_passkey(servers):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    authenticator = authenticator_for(auth_url)

    added = add_passkey(browser, app_url, authenticator)
    assert added.status_code == 201, added.text
    passkey = added.json()
    assert passkey["name"] == "Laptop" and passkey["lastUsed"] is None
    assert set(passkey) == {"id", "name", "created", "lastUsed"}
    listed = api(browser, app_url, "GET", "/api/user/passkeys").json()
    assert listed == {"passkeys": [passkey]}

    renamed = api(browser, app_url, "PUT", f"/api/user/passkeys/{passkey['id']}", {"name": "Work laptop"})
    assert renamed.json()["name"] == "Work laptop"

    unconfirmed = api(browser, app_url, "DELETE", f"/api/user/passkeys/{passkey['id']}", {})
    assert unconfirmed.status_code == 422
    answer = passkey_answer(browser, app_url, authenticator)
    removed = api(browser, app_url, "DELETE", f"/api/user/passkeys/{passkey['id']}", answer)
    assert removed.status_code == 200, removed.text
    assert removed.json() == {"passkeys": []}


def test_a_challenge_is_bound_to_the_sign_in_that_asked_for_it(servers):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    offered = api(browser, app_url, "POST", "/api/user/passkeys/options", {"purpose": "register"}).json()
    credential = authenticator_for(auth_url).create(offered)

    other_tab = requests.Session()  # the same user, signed in again elsewhere
    browse(other_tab, f"{app_url}/login")
    body = {"challengeId": offered["challengeId"], "credential": credential}
    refused = api(other_tab, app_url, "POST", "/api/user/passkeys", body)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "passkey_challenge_expired"


def test_removing_with_a_code_needs_two_factor_on_and_a_right_code(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    secret = totp.new_secret()
    browser = signed_in(
        auth_url,
        app_url,
        twoFactor={"enabled": True, "secretKey": secret},
        code=lambda: totp.code_at(secret, clock()),
    )
    passkey = add_passkey(browser, app_url, authenticator_for(auth_url)).json()
    path = f"/api/user/passkeys/{passkey['id']}"

    clock.advance(30)
    wrong = api(browser, app_url, "DELETE", path, {"code": "000000"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_code"
    removed = api(browser, app_url, "DELETE", path, {"code": totp.code_at(secret, clock())})
    assert removed.status_code == 200, removed.text
    assert removed.json() == {"passkeys": []}


def test_a_pending_authenticator_setup_is_no_second_factor(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser = signed_in(auth_url, app_url)
    passkey = add_passkey(browser, app_url, authenticator_for(auth_url)).json()
    secret = api(browser, app_url, "POST", "/api/user/two-factor").json()["secret"]
    body = {"code": totp.code_at(secret, clock())}
    refused = api(browser, app_url, "DELETE", f"/api/user/passkeys/{passkey['id']}", body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "two_factor_off"
    assert len(api(browser, app_url, "GET", "/api/user/passkeys").json()["passkeys"]) == 1


def bobs_passkey(auth_url: str) -> str:
    """A passkey of another user, added through the admin API: its id."""
    bob = create_user(auth_url, email="bob@example.com")
    operation = f"{auth_url}/User/{bob['id']}"
    session = "bobs-own-session-0123456789"
    offered = requests.post(
        f"{operation}/$passkey-options",
        json={"purpose": "register", "session": session},
        auth=ADMIN,
        timeout=10,
    ).json()
    credential = authenticator_for(auth_url).create(offered)
    body = {"session": session, "challengeId": offered["challengeId"], "credential": credential}
    return requests.post(f"{operation}/$add-passkey", json=body, auth=ADMIN, timeout=10).json()["id"]


def test_another_users_passkey_cannot_be_renamed_or_removed(servers):  # noqa: F811
    auth_url, app_url = servers
    ann = signed_in(auth_url, app_url)
    own = add_passkey(ann, app_url, authenticator_for(auth_url)).json()
    theirs = bobs_passkey(auth_url)

    renamed = api(ann, app_url, "PUT", f"/api/user/passkeys/{theirs}", {"name": "mine now"})
    assert renamed.status_code == 404
    answer = passkey_answer(ann, app_url, authenticator_for(auth_url))
    assert api(ann, app_url, "DELETE", f"/api/user/passkeys/{theirs}", answer).status_code == 404
    assert api(ann, app_url, "PUT", f"/api/user/passkeys/{own['id']}", {"nam": "x"}).status_code == 422
