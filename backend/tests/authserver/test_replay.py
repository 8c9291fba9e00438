"""RFC 6238 section 5.2: a code (or one of an earlier step) is accepted once, at login, setup and disable.

The concurrency tests send one code from several real threads to a served app: exactly one wins.
"""

from __future__ import annotations

import re
import threading
from html import unescape
from urllib.parse import urlencode, urljoin

import pytest
import requests

from backend.authserver import create_app
from backend.common import totp
from backend.tests.support import ServedApp

from .conftest import seed
from .helpers import ADMIN_AUTH, FRONTEND_AUTH, Admin, implicit_query, submit
from .test_totp_step import assert_signed_in, enter, to_step_page


def verify(client, user_id: str, code: str):
    return client.post(f"/User/{user_id}/$verify-totp", json={"code": code}, auth=ADMIN_AUTH)


def test_same_code_twice_at_login(app, totp_user, clock):
    code = totp.code_at(totp_user["secret"], clock())
    first, second = app.test_client(), app.test_client()
    assert_signed_in(first, enter(first, to_step_page(first), code))
    again = enter(second, to_step_page(second), code)
    assert again.status_code == 401
    assert "This code was already used. Wait for the next one in your app." in again.get_data(as_text=True)


def test_an_earlier_step_is_refused_after_a_later_one(app, totp_user, clock):
    client = app.test_client()
    assert_signed_in(client, enter(client, to_step_page(client), totp.code_at(totp_user["secret"], clock())))
    other = app.test_client()
    older = totp.code_at(totp_user["secret"], clock() - 30)
    assert enter(other, to_step_page(other), older).status_code == 401


def test_same_code_twice_at_setup_confirmation(client, admin, user, clock):
    secret = totp.new_secret()
    admin.patch_user(user["id"], {"twoFactor": {"enabled": False, "secretKey": secret}})
    code = totp.code_at(secret, clock())
    assert verify(client, user["id"], code).get_json() == {"valid": True}
    again = verify(client, user["id"], code)
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "code_already_used"
    assert (
        again.get_json()["error"]["message"]
        == "This code was already used. Wait for the next one in your app."
    )


def test_code_used_at_setup_does_not_sign_in(app, admin, clock):
    secret = totp.new_secret()
    bob = admin.create_user(
        "bob@example.com", "correct horse", twoFactor={"enabled": False, "secretKey": secret}
    )
    code = totp.code_at(secret, clock())
    client = app.test_client()
    assert verify(client, bob["id"], code).status_code == 200
    admin.patch_user(bob["id"], {"twoFactor": {"enabled": True}})
    assert enter(client, to_step_page(client), code).status_code == 401


def test_same_code_twice_at_the_disable_page(client, admin, totp_user, clock):
    assert_signed_in(client, enter(client, to_step_page(client), totp.code_at(totp_user["secret"], clock())))
    clock.advance(30)
    code = totp.code_at(totp_user["secret"], clock())
    assert submit(client, client.get("/auth/two-factor/disable"), {"token": code}).status_code == 200
    admin.patch_user(totp_user["id"], {"twoFactor": {"enabled": True}})  # on again, same secret
    again = submit(client, client.get("/auth/two-factor/disable"), {"token": code})
    assert again.status_code == 401 and "This code was already used." in again.get_data(as_text=True)


def test_verify_totp_needs_admin_and_a_known_user(client, totp_user):
    assert client.post(f"/User/{totp_user['id']}/$verify-totp", json={"code": "123456"}).status_code == 401
    assert verify(client, "nobody", "123456").status_code == 404
    assert verify(client, totp_user["id"], "").status_code == 422


@pytest.fixture
def served(config, clock):
    app = create_app(config)
    admin = Admin(app.test_client())
    seed(admin)
    secret = totp.new_secret()
    bob = admin.create_user(
        "bob@example.com", "correct horse", twoFactor={"enabled": True, "secretKey": secret}
    )
    server = ServedApp(app)
    yield server, bob["id"], secret
    server.close()


def _at_step_page(base: str) -> tuple[requests.Session, str, str]:
    """A browser that gave the password: its session, the step form's URL and CSRF token."""
    browser = requests.Session()
    page = browser.get(f"{base}/auth/authorize?" + urlencode(implicit_query()))
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        urljoin(base, action),
        data={"csrf_token": csrf, "email": "bob@example.com", "password": "correct horse"},
        allow_redirects=False,
    )
    assert response.status_code == 303  # to the code form
    response = browser.get(urljoin(base, response.headers["Location"]))
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', response.text).group(1))
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.text).group(1)
    return browser, urljoin(base, action), csrf


def _enter_code(browser: requests.Session, action: str, csrf: str, code: str) -> int | str:
    """ "signed in" (sent on to the client), or the status of the code form it is sent back to."""
    response = browser.post(action, data={"csrf_token": csrf, "token": code}, allow_redirects=False)
    if response.headers["Location"].startswith(FRONTEND_AUTH):
        return "signed in"
    return browser.get(urljoin(action, response.headers["Location"])).status_code


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    statuses: list = [0] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        statuses[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def test_concurrent_logins_with_one_code_exactly_one_succeeds(served, clock):
    server, _, secret = served
    browsers = [_at_step_page(server.url) for _ in range(4)]
    code = totp.code_at(secret, clock())
    outcomes = _race(
        [lambda b=browser, a=action, c=csrf: _enter_code(b, a, c, code) for browser, action, csrf in browsers]
    )
    assert sorted(outcomes, key=str) == [401, 401, 401, "signed in"]


def test_concurrent_setup_confirmations_exactly_one_succeeds(served, clock):
    server, user_id, secret = served
    code = totp.code_at(secret, clock())
    url = f"{server.url}/User/{user_id}/$verify-totp"
    statuses = _race(
        [lambda: requests.post(url, json={"code": code}, auth=ADMIN_AUTH, timeout=30).status_code] * 6
    )
    assert sorted(statuses) == [200] + [422] * 5
