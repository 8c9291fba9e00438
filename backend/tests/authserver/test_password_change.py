"""/auth/password: the current password (and a code with two-factor on), the new one twice; then every
other sign-in ends (login sessions, their tokens, trusted browsers), this one stays."""

from __future__ import annotations

from backend.common import totp

from .helpers import PASSWORD, fragment, implicit_query, log_in, submit
from .test_totp_step import assert_signed_in, to_step_page
from .test_trusted_browser import asked_for_code, audit_types, browser_with, trust_this_browser

NEW = "a much better password"


def signed_in_as_ann(app):
    client = app.test_client()
    response = log_in(client, implicit_query())
    assert response.status_code == 303
    return client, fragment(response.headers["Location"])["access_token"]


def change(client, current: str = PASSWORD, new: str = NEW, **extra):
    page = client.get("/auth/password")
    assert page.status_code == 200, page.get_data(as_text=True)
    data = {"current_password": current, "new_password": new, "new_password_confirm": new, **extra}
    return submit(client, page, data)


def can_log_in(app, password: str, email: str = "ann@example.com") -> bool:
    response = log_in(app.test_client(), implicit_query(), email=email, password=password)
    return response.status_code == 303


def test_not_signed_in_goes_to_the_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 303 and response.headers["Location"].startswith("/auth/login")


def test_the_new_password_signs_in_and_the_old_one_no_longer(app, user):
    client, _ = signed_in_as_ann(app)
    page = change(client)
    assert page.status_code == 200 and "Your password was changed" in page.get_data(as_text=True)
    assert can_log_in(app, NEW)
    assert not can_log_in(app, PASSWORD)
    assert "password-changed" in audit_types(app.test_client(), user["id"])


def test_a_wrong_current_password_changes_nothing(app, user):
    client, _ = signed_in_as_ann(app)
    page = change(client, current="not my password")
    assert page.status_code == 401 and "current password is not correct" in page.get_data(as_text=True)
    assert can_log_in(app, PASSWORD)


def test_mismatched_new_passwords_change_nothing(app, user):
    client, _ = signed_in_as_ann(app)
    page = client.get("/auth/password")
    response = submit(
        client,
        page,
        {"current_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW + "!"},
    )
    assert response.status_code == 422 and "do not match" in response.get_data(as_text=True)
    assert can_log_in(app, PASSWORD)


def test_other_sessions_and_their_tokens_end_this_one_stays(app, user):
    other, other_token = signed_in_as_ann(app)
    client, own_token = signed_in_as_ann(app)
    change(client)
    assert other.get("/auth/done").status_code == 302  # the login form again
    assert other.get("/auth/userinfo", headers={"Authorization": f"Bearer {other_token}"}).status_code == 401
    assert client.get("/auth/done").status_code == 200
    assert client.get("/auth/userinfo", headers={"Authorization": f"Bearer {own_token}"}).status_code == 200


def test_with_two_factor_on_a_current_code_is_needed(app, totp_user, clock):
    client = app.test_client()
    page = to_step_page(client)
    assert_signed_in(client, submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())}))
    clock.advance(totp.STEP_SECONDS)
    refused = change(client, token="000000")
    assert refused.status_code == 401
    assert can_log_in_to_code_step(app, PASSWORD)
    changed = change(client, token=totp.code_at(totp_user["secret"], clock()))
    assert "Your password was changed" in changed.get_data(as_text=True)
    assert can_log_in_to_code_step(app, NEW)


def can_log_in_to_code_step(app, password: str) -> bool:
    return asked_for_code(
        log_in(app.test_client(), implicit_query(), email="bob@example.com", password=password)
    )


def test_a_password_change_ends_trust_in_every_browser(app, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    client = browser_with(app, token)
    assert_signed_in(client, log_in(client, implicit_query(state="two"), email="bob@example.com"))
    clock.advance(totp.STEP_SECONDS)
    change(client, token=totp.code_at(totp_user["secret"], clock()))
    again = browser_with(app, token)
    assert asked_for_code(log_in(again, implicit_query(state="two"), email="bob@example.com", password=NEW))
    assert {"password-changed", "trusted-browsers-revoked"} <= set(
        audit_types(app.test_client(), totp_user["id"])
    )
