"""Setup confirmation, recovery codes and throttling through the app against the real auth server.

One replay store: the step a code confirmed at setup is claimed at the auth server, so that code
cannot sign in afterwards; concurrent confirmations of one code: exactly one wins (real threads).
"""

from __future__ import annotations

import threading

import pytest
import requests

from backend.common import totp

from .conftest import FRONTEND_URL
from .test_with_real_authserver import PASSWORD, api, browse, create_user, servers  # noqa: F401 (fixture)

ENABLE = {"enabled": True, "method": "totp"}


def signed_in_with_pending_setup(auth_url: str, app_url: str) -> tuple[requests.Session, str]:
    create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")
    setup = api(browser, app_url, "POST", "/api/user/two-factor")
    assert setup.status_code == 200, setup.text
    return browser, setup.json()["secret"]


def refused_at_login(browser: requests.Session, app_url: str, code: str) -> bool:
    api(browser, app_url, "POST", "/logout")
    with pytest.raises(AssertionError, match="401"):
        browse(browser, f"{app_url}/login", code=lambda: code)
    return True


def test_code_confirmed_at_setup_does_not_sign_in(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, secret = signed_in_with_pending_setup(auth_url, app_url)
    code = totp.code_at(secret, clock())
    assert api(browser, app_url, "PUT", "/api/user/two-factor", {**ENABLE, "code": code}).status_code == 200
    assert refused_at_login(requests.Session(), app_url, code)


def test_the_code_that_switched_methods_does_not_sign_in_again(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, old_secret = signed_in_with_pending_setup(auth_url, app_url)
    code = totp.code_at(old_secret, clock())
    assert api(browser, app_url, "PUT", "/api/user/two-factor", {**ENABLE, "code": code}).status_code == 200
    clock.advance(30)
    assert api(browser, app_url, "POST", "/api/user/two-factor/change", {"password": PASSWORD}).ok
    new_setup = api(browser, app_url, "PUT", "/api/user/two-factor/change", {"method": "totp"})
    switch_code = totp.code_at(new_setup.json()["secret"], clock())
    switched = api(browser, app_url, "POST", "/api/user/two-factor/change/confirm", {"code": switch_code})
    assert switched.status_code == 200, switched.text
    assert refused_at_login(browser, app_url, switch_code)


def test_a_code_used_a_moment_ago_is_named_as_such(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, secret = signed_in_with_pending_setup(auth_url, app_url)
    code = totp.code_at(secret, clock())
    assert api(browser, app_url, "PUT", "/api/user/two-factor", {**ENABLE, "code": code}).status_code == 200
    again = api(browser, app_url, "POST", "/api/user/two-factor/recovery-codes", {"code": code})
    assert again.status_code == 422
    assert again.json()["error"] == {
        "code": "code_already_used",
        "message": "This code was already used. Wait for the next one in your app.",
        "field": "code",
    }


def test_concurrent_confirmations_of_one_code_exactly_one_succeeds(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, secret = signed_in_with_pending_setup(auth_url, app_url)
    body = {**ENABLE, "code": totp.code_at(secret, clock())}
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def confirm() -> None:
        barrier.wait()
        statuses.append(api(browser, app_url, "PUT", "/api/user/two-factor", body).status_code)

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses)[0] == 200 and statuses.count(200) == 1
    assert all(status == 422 for status in statuses if status != 200)


def test_recovery_codes_shown_once_sign_in_once_and_regenerate(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, secret = signed_in_with_pending_setup(auth_url, app_url)
    confirm = api(
        browser, app_url, "PUT", "/api/user/two-factor", {**ENABLE, "code": totp.code_at(secret, clock())}
    )
    assert confirm.headers["Cache-Control"] == "no-store"
    codes = confirm.json()["recoveryCodes"]
    assert len(codes) == 10
    status = api(browser, app_url, "GET", "/api/user/two-factor")
    assert status.json()["recoveryCodesRemaining"] == 10 and "recoveryCodes" not in status.json()

    api(browser, app_url, "POST", "/logout")
    assert browse(browser, f"{app_url}/login", code=lambda: codes[0]) == f"{FRONTEND_URL}/app"
    assert api(browser, app_url, "GET", "/api/user/two-factor").json()["recoveryCodesRemaining"] == 9
    assert refused_at_login(requests.Session(), app_url, codes[0])

    clock.advance(30)
    wrong = api(browser, app_url, "POST", "/api/user/two-factor/recovery-codes", {"code": "000000"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_code"
    fresh = api(
        browser,
        app_url,
        "POST",
        "/api/user/two-factor/recovery-codes",
        {"code": totp.code_at(secret, clock())},
    )
    assert fresh.status_code == 200 and fresh.headers["Cache-Control"] == "no-store"
    new_codes = fresh.json()["recoveryCodes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert refused_at_login(requests.Session(), app_url, codes[1])


def test_twenty_wrong_codes_at_setup_throttled_then_a_correct_code_works(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, secret = signed_in_with_pending_setup(auth_url, app_url)
    near = {totp.code_at(secret, clock() + 30 * offset) for offset in range(-6, 2)}
    bad = next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in near)
    answers = [
        api(browser, app_url, "PUT", "/api/user/two-factor", {**ENABLE, "code": bad}) for _ in range(20)
    ]
    assert [answer.status_code for answer in answers[:5]] == [422] * 5
    assert all(answer.status_code == 429 for answer in answers[5:])
    assert answers[5].json()["error"]["code"] == "too_many_attempts"
    wait = int(answers[5].headers["Retry-After"])
    clock.advance(wait)
    good = {**ENABLE, "code": totp.code_at(secret, clock())}
    assert api(browser, app_url, "PUT", "/api/user/two-factor", good).status_code == 200


def test_codes_locked_by_the_daily_cap_are_423_through_the_app(servers, clock):  # noqa: F811
    auth_url, app_url = servers
    browser, secret = signed_in_with_pending_setup(auth_url, app_url)
    enable = {**ENABLE, "code": totp.code_at(secret, clock())}
    assert api(browser, app_url, "PUT", "/api/user/two-factor", enable).status_code == 200
    near = {totp.code_at(secret, clock() + 30 * offset) for offset in range(-6, 40)}
    bad = {"code": next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in near)}
    regenerate = "/api/user/two-factor/recovery-codes"
    for wait in (60, 840, 60, 0):  # as fast as the short tiers let twenty wrong codes through
        assert [api(browser, app_url, "POST", regenerate, bad).status_code for _ in range(5)] == [422] * 5
        clock.advance(wait)
    locked = api(browser, app_url, "POST", regenerate, {"code": totp.code_at(secret, clock())})
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "second_factor_locked"
    assert "recovery code" in locked.json()["error"]["message"]
