""" "Don't ask again on this browser": the password alone signs in for trustBrowserDays, and no longer
once trust ends (expiry, two-factor off, a recovery code); never for another user, never without the
password."""

from __future__ import annotations

from backend.authserver.accounts.trusted_browsers import COOKIE, end_trust, label
from backend.common import totp

from .helpers import ADMIN_AUTH, PASSWORD, implicit_query, log_in, post_form, submit
from .test_recovery_codes import new_codes
from .test_totp_step import assert_signed_in, to_step_page

DAY = 24 * 60 * 60
CHROME_ON_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
)


def trust_this_browser(app, user, clock):
    """Log in with the code and the box ticked; the browser's trust cookie (a fresh browser each time)."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = CHROME_ON_LINUX
    page = to_step_page(client)
    assert "Don't ask again on this browser for 30 days" in page.get_data(as_text=True)
    code = totp.code_at(user["secret"], clock())
    assert_signed_in(client, submit(client, page, {"token": code, "trust_browser": "y"}))
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    return cookie.value


def browser_with(app, token: str | None):
    """A browser that holds only the trust cookie (logged out: no login session)."""
    client = app.test_client()
    if token is not None:
        client.set_cookie(COOKIE, token)
    return client


def asked_for_code(response) -> bool:
    return response.status_code == 200 and 'name="token"' in response.get_data(as_text=True)


def audit_types(client, user_id: str) -> list[str]:
    bundle = client.get(f"/AuditEvent?user={user_id}", auth=ADMIN_AUTH).get_json()
    return [entry["resource"]["type"] for entry in bundle["entry"]]


def test_trusted_for_30_days_then_asked_again(app, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    clock.advance(30 * DAY - 60)
    browser = browser_with(app, token)
    assert_signed_in(browser, log_in(browser, implicit_query(state="two"), email="bob@example.com"))
    clock.advance(60)
    browser = browser_with(app, token)
    assert asked_for_code(log_in(browser, implicit_query(state="two"), email="bob@example.com"))
    assert audit_types(app.test_client(), totp_user["id"])[:2] == ["trusted-browser-used", "browser-trusted"]


def test_without_the_box_the_code_is_asked_next_time(app, totp_user, clock):
    client = app.test_client()
    page = to_step_page(client)
    assert_signed_in(client, submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())}))
    assert client.get_cookie(COOKIE) is None


def test_the_days_come_from_auth_config_and_zero_hides_the_box(app, admin, totp_user, clock):
    admin.put("AuthConfig", "app", {"twoFactor": {"trustBrowserDays": 0}})
    client = app.test_client()
    page = to_step_page(client)
    assert "trust_browser" not in page.get_data(as_text=True)
    code = totp.code_at(totp_user["secret"], clock())
    assert_signed_in(client, submit(client, page, {"token": code, "trust_browser": "y"}))
    assert client.get_cookie(COOKIE) is None


def test_another_user_on_the_same_browser_is_asked(app, admin, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    admin.create_user("cy@example.com", PASSWORD, twoFactor={"enabled": True, "secretKey": totp.new_secret()})
    browser = browser_with(app, token)
    assert asked_for_code(log_in(browser, implicit_query(state="two"), email="cy@example.com"))


def test_the_cookie_alone_without_the_password_does_nothing(app, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    browser = browser_with(app, token)
    page = log_in(browser, implicit_query(state="two"), email="bob@example.com", password="wrong password")
    assert page.status_code == 401 and 'name="password"' in page.get_data(as_text=True)
    assert browser.get("/auth/done").status_code == 302


def test_turning_two_factor_off_ends_trust(app, admin, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    admin.patch_user(totp_user["id"], {"twoFactor": {"enabled": False}})
    admin.patch_user(totp_user["id"], {"twoFactor": {"enabled": True}})
    browser = browser_with(app, token)
    assert asked_for_code(log_in(browser, implicit_query(state="two"), email="bob@example.com"))
    assert "trusted-browsers-revoked" in audit_types(app.test_client(), totp_user["id"])


def test_using_a_recovery_code_ends_trust_and_trusts_nothing(app, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    codes = new_codes(app.test_client(), totp_user["id"])
    other = app.test_client()
    assert_signed_in(other, submit(other, to_step_page(other), {"token": codes[0], "trust_browser": "y"}))
    assert other.get_cookie(COOKIE) is None
    browser = browser_with(app, token)
    assert asked_for_code(log_in(browser, implicit_query(state="two"), email="bob@example.com"))


def test_end_trust_for_a_reset_ends_it_in_every_browser(app, totp_user, clock):
    tokens = [trust_this_browser(app, totp_user, clock)]
    clock.advance(totp.STEP_SECONDS)
    tokens.append(trust_this_browser(app, totp_user, clock))
    with app.test_request_context():  # as an admin reset would call it
        end_trust(totp_user["id"])
    for token in tokens:
        browser = browser_with(app, token)
        assert asked_for_code(log_in(browser, implicit_query(state="two"), email="bob@example.com"))


def test_a_made_up_token_is_asked(app, totp_user, clock):
    trust_this_browser(app, totp_user, clock)
    browser = browser_with(app, "not-a-token")
    assert asked_for_code(log_in(browser, implicit_query(state="two"), email="bob@example.com"))


def test_the_label_names_browser_and_system():
    assert label(CHROME_ON_LINUX) == "Chrome on Linux"
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
    assert label(firefox) == "Firefox on Windows"
    safari = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Mobile/15E148 Safari/604.1"
    )
    assert label(safari) == "Safari on iOS"
    assert label("") == "A browser on an unknown system"


def test_the_admin_api_lists_and_revokes_one_browser(app, admin, totp_user, clock):
    first = trust_this_browser(app, totp_user, clock)
    clock.advance(totp.STEP_SECONDS)
    second = trust_this_browser(app, totp_user, clock)
    api = app.test_client()
    listed = api.get(f"/User/{totp_user['id']}/$trusted-browsers", auth=ADMIN_AUTH).get_json()
    browsers = listed["trustedBrowsers"]
    assert [browser["label"] for browser in browsers] == ["Chrome on Linux", "Chrome on Linux"]
    assert first not in str(listed) and second not in str(listed)
    newest = browsers[0]["id"]
    assert (
        api.delete(f"/User/{totp_user['id']}/$trusted-browsers/{newest}", auth=ADMIN_AUTH).status_code == 204
    )
    assert (
        api.delete(f"/User/{totp_user['id']}/$trusted-browsers/{newest}", auth=ADMIN_AUTH).status_code == 404
    )
    assert asked_for_code(
        log_in(browser_with(app, second), implicit_query(state="two"), email="bob@example.com")
    )
    browser = browser_with(app, first)
    assert_signed_in(browser, log_in(browser, implicit_query(state="two"), email="bob@example.com"))


def test_another_users_browser_cannot_be_revoked_through_yours(app, admin, user, totp_user, clock):
    trust_this_browser(app, totp_user, clock)
    api = app.test_client()
    browser_id = api.get(f"/User/{totp_user['id']}/$trusted-browsers", auth=ADMIN_AUTH).get_json()[
        "trustedBrowsers"
    ][0]["id"]
    assert (
        api.delete(f"/User/{user['id']}/$trusted-browsers/{browser_id}", auth=ADMIN_AUTH).status_code == 404
    )


def test_an_id_beyond_the_database_integer_is_404(client, totp_user):
    path = f"/User/{totp_user['id']}/$trusted-browsers/2254599643845396004864"
    assert client.delete(path, auth=ADMIN_AUTH).status_code == 404


def test_sign_out_of_all_trusted_browsers(app, totp_user, clock):
    token = trust_this_browser(app, totp_user, clock)
    api = app.test_client()
    assert api.delete(f"/User/{totp_user['id']}/$trusted-browsers", auth=ADMIN_AUTH).status_code == 204
    assert api.get(f"/User/{totp_user['id']}/$trusted-browsers", auth=ADMIN_AUTH).get_json() == {
        "trustedBrowsers": []
    }
    assert asked_for_code(
        log_in(browser_with(app, token), implicit_query(state="two"), email="bob@example.com")
    )


def test_the_list_needs_admin(client, totp_user):
    assert client.get(f"/User/{totp_user['id']}/$trusted-browsers").status_code == 401
    assert client.delete(f"/User/{totp_user['id']}/$trusted-browsers").status_code == 401


def test_the_cookie_is_secure_when_the_auth_server_is_on_https(app, totp_user, clock):
    app.config["AUTH_SERVER_URL"] = "https://auth.example"
    client = app.test_client()
    page = to_step_page(client)
    code = totp.code_at(totp_user["secret"], clock())
    response = post_form(client, page, {"token": code, "trust_browser": "y"})
    (cookie,) = [value for value in response.headers.getlist("Set-Cookie") if value.startswith(COOKIE)]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
