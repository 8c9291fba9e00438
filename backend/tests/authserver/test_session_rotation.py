"""The login session id changes whenever its assurance does: at the password and at the second factor.

Whoever copied (or planted) the cookie of a half-signed-in browser must not hold a signed-in session once
the user types the code: the old id is dead, and so is the CSRF secret that went with it.
"""

from urllib.parse import urlencode

from backend.common import totp

from .helpers import FRONTEND_AUTH, csrf_token, follow, implicit_query, submit
from .test_recovery_codes import new_codes
from .test_totp_step import assert_signed_in, enter, to_step_page

COOKIE = "authserver_session"


def authorize(client):
    return client.get("/auth/authorize?" + urlencode(implicit_query()))


def assert_not_signed_in(response):
    """No token: the login form again."""
    assert response.status_code == 200, response.headers.get("Location")
    assert ">Log in</button>" in response.get_data(as_text=True)


def test_a_good_code_gives_a_new_session_id_and_the_half_signed_in_one_is_dead(app, totp_user, clock):
    browser = app.test_client()
    page = to_step_page(browser)
    copied = browser.get_cookie(COOKIE).value

    assert_signed_in(browser, enter(browser, page, totp.code_at(totp_user["secret"], clock())))

    assert browser.get_cookie(COOKIE).value != copied
    assert authorize(browser).headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    attacker = app.test_client()
    attacker.set_cookie(COOKIE, copied)
    assert_not_signed_in(authorize(attacker))


def test_a_recovery_code_also_rotates_the_session(app, totp_user):
    code = new_codes(app.test_client(), totp_user["id"])[0]
    browser = app.test_client()
    page = to_step_page(browser)
    copied = browser.get_cookie(COOKIE).value

    assert_signed_in(browser, enter(browser, page, code))

    attacker = app.test_client()
    attacker.set_cookie(COOKIE, copied)
    assert_not_signed_in(authorize(attacker))


def test_the_csrf_token_of_the_code_page_does_not_outlive_the_code_step(client, totp_user, clock):
    page = to_step_page(client)
    old_csrf = csrf_token(page.get_data(as_text=True))
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))
    clock.advance(30)  # the login used this step's code

    disable_page = client.get("/auth/two-factor/disable")
    fresh_csrf = csrf_token(disable_page.get_data(as_text=True))
    code = totp.code_at(totp_user["secret"], clock())
    disable = "/auth/two-factor/disable"
    stale = follow(client, client.post(disable, data={"csrf_token": old_csrf, "token": code}))
    assert stale.status_code == 422 and "Two-factor authentication is off" not in stale.get_data(as_text=True)

    done = follow(client, client.post(disable, data={"csrf_token": fresh_csrf, "token": code}))
    assert done.status_code == 200 and "Two-factor authentication is off" in done.get_data(as_text=True)


def login_session_id(app, client) -> str:
    """The id the signed cookie names (the cookie itself changes with every message it carries)."""
    cookie = client.get_cookie(COOKIE).value
    return app.session_interface.get_signing_serializer(app).loads(cookie)["login_session_id"]


def test_a_wrong_code_keeps_the_session_id(app, client, totp_user, clock):
    page = to_step_page(client)
    before = login_session_id(app, client)
    good = totp.code_at(totp_user["secret"], clock())
    refused = enter(client, page, f"{(int(good) + 1) % 1_000_000:06d}")
    assert refused.status_code == 401
    assert login_session_id(app, client) == before
    assert_signed_in(client, submit(client, refused, {"token": good}))
