"""POST /User/<id>/$reset-two-factor: an admin removes every second factor of a user who lost them all;
the password alone signs in afterwards, and the reset is in the audit log."""

from __future__ import annotations

from backend.common import totp
from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import ADMIN_AUTH, implicit_query, log_in
from .test_passkeys import add, options
from .test_recovery_codes import new_codes, remaining
from .test_totp_step import assert_signed_in
from .test_trusted_browser import asked_for_code, audit_types, browser_with, trust_this_browser


def reset(client, user_id: str, **kwargs):
    return client.post(f"/User/{user_id}/$reset-two-factor", **{"json": {}, "auth": ADMIN_AUTH, **kwargs})


def test_after_a_reset_the_password_alone_signs_in(app, client, admin, totp_user, clock):
    user_id = totp_user["id"]
    offered = options(client, user_id, "register")
    assert add(client, user_id, offered, SoftwareAuthenticator().create(offered)).status_code == 201
    new_codes(client, user_id)
    token = trust_this_browser(app, totp_user, clock)
    assert reset(client, user_id).status_code == 204
    document = admin.get("User", user_id).get_json()
    assert "twoFactor" not in document
    passkeys = client.get(f"/Passkey?user={user_id}", auth=ADMIN_AUTH).get_json()
    assert passkeys["total"] == 0 and remaining(client, user_id) == 0
    browser = browser_with(app, token)
    assert_signed_in(browser, log_in(browser, implicit_query(state="two"), email="bob@example.com"))
    types = audit_types(client, user_id)
    assert "two-factor-reset" in types and types[0] == "trusted-browsers-revoked"


def test_a_reset_unlocks_and_forgets_the_last_used_code(app, client, totp_user, clock):
    for _ in range(5):
        client.post(f"/User/{totp_user['id']}/$verify-totp", json={"code": "000000"}, auth=ADMIN_AUTH)
    assert reset(client, totp_user["id"]).status_code == 204
    secret = totp.new_secret()
    code = totp.code_at(secret, clock())
    client.patch(f"/User/{totp_user['id']}", json={"twoFactor": {"secretKey": secret}}, auth=ADMIN_AUTH)
    checked = client.post(f"/User/{totp_user['id']}/$verify-totp", json={"code": code}, auth=ADMIN_AUTH)
    assert checked.status_code == 200, checked.get_json()


def test_a_login_waiting_for_the_code_must_give_the_password_again(client, totp_user):
    page = log_in(client, implicit_query(state="two"), email="bob@example.com")
    assert asked_for_code(page)
    reset(client, totp_user["id"])
    again = client.get("/auth/two-factor")
    assert again.status_code == 303 and again.headers["Location"].startswith("/auth/login")


def test_unknown_user_is_404(client):
    response = reset(client, "nobody")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_without_admin_credentials_401(client, totp_user, admin):
    assert reset(client, totp_user["id"], auth=None).status_code == 401
    assert reset(client, totp_user["id"], auth=("admin", "wrong")).status_code == 401
    assert admin.get("User", totp_user["id"]).get_json()["twoFactor"]["enabled"] is True


def test_a_body_with_fields_is_refused(client, totp_user):
    response = reset(client, totp_user["id"], json={"all": True})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_field"
