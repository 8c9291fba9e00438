"""The app with AUTH_SERVER_KIND=aidbox against the real auth server with its bundled-only operations
switched off (AUTH_BUNDLED_OPERATIONS=off): only Aidbox's APIs are left, and the app still works."""

from __future__ import annotations

import pytest
import requests

from backend.common import totp

from .conftest import FRONTEND_URL
from .test_with_real_authserver import ADMIN, PASSWORD, api, browse, create_user, real_servers


@pytest.fixture
def aidbox(tmp_path, clock, databases):
    with real_servers(
        tmp_path,
        databases,
        clock,
        auth_config={"AUTH_BUNDLED_OPERATIONS": "off"},
        app_grant_types=("password",),
        AUTH_SERVER_KIND="aidbox",
    ) as urls:
        yield urls


def signed_in_with_totp(aidbox, clock) -> tuple[requests.Session, str, str]:
    """A signed-in browser whose user turned the authenticator app on through the app: (browser, secret,
    the code that turned it on)."""
    auth_url, app_url = aidbox
    create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")
    secret = api(browser, app_url, "POST", "/api/user/two-factor").json()["secret"]
    code = totp.code_at(secret, clock())
    on = api(
        browser, app_url, "PUT", "/api/user/two-factor", {"enabled": True, "method": "totp", "code": code}
    )
    assert on.status_code == 200, on.text
    assert on.json() == {"enabled": True, "method": "totp"}
    return browser, secret, code


def test_the_bundled_operations_are_switched_off(aidbox):
    auth_url, _ = aidbox
    user = create_user(auth_url)
    for method, operation in (
        ("POST", "$check-password"),
        ("POST", "$verify-totp"),
        ("GET", "$recovery-codes"),
    ):
        answer = requests.request(
            method, f"{auth_url}/User/{user['id']}/{operation}", json={}, auth=ADMIN, timeout=10
        )
        assert answer.status_code == 404, (operation, answer.text)


def test_enable_totp_then_sign_in_with_a_code(aidbox, clock):
    auth_url, app_url = aidbox
    browser, secret, _ = signed_in_with_totp(aidbox, clock)
    api(browser, app_url, "POST", "/logout")
    clock.advance(30)
    landed = browse(browser, f"{app_url}/login", code=lambda: totp.code_at(secret, clock()))
    assert landed == f"{FRONTEND_URL}/app"
    assert api(browser, app_url, "GET", "/api/me").json()["twoFactor"] == {"enabled": True, "method": "totp"}


def test_a_wrong_code_is_refused(aidbox, clock):
    auth_url, app_url = aidbox
    create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")
    secret = api(browser, app_url, "POST", "/api/user/two-factor").json()["secret"]
    wrong = f"{(int(totp.code_at(secret, clock())) + 1) % 1_000_000:06d}"
    refused = api(
        browser, app_url, "PUT", "/api/user/two-factor", {"enabled": True, "method": "totp", "code": wrong}
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_code"
    assert api(browser, app_url, "GET", "/api/user/two-factor").json()["enabled"] is False


def test_a_replayed_code_is_refused(aidbox, clock):
    _, app_url = aidbox
    browser, _, code = signed_in_with_totp(aidbox, clock)
    # The code that turned two-factor on, offered again as a current code (to open a change of method).
    again = api(browser, app_url, "POST", "/api/user/two-factor/change", {"code": code})
    assert again.status_code == 422 and again.json()["error"]["code"] == "code_already_used"


def test_a_code_claimed_by_another_worker_is_refused(aidbox, clock):
    """Two workers share the database: the step one of them claimed is spent for the other."""
    _, app_url = aidbox
    browser, secret, _ = signed_in_with_totp(aidbox, clock)
    clock.advance(30)
    fresh = totp.code_at(secret, clock())
    assert api(browser, app_url, "POST", "/api/user/two-factor/change", {"code": fresh}).status_code == 200
    other_tab = api(browser, app_url, "POST", "/api/user/two-factor/change", {"code": fresh})
    assert other_tab.json()["error"]["code"] == "code_already_used"


def test_the_password_is_checked_with_a_token_request(aidbox, clock):
    _, app_url = aidbox
    browser, _, _ = signed_in_with_totp(aidbox, clock)
    wrong = api(browser, app_url, "DELETE", "/api/user/two-factor", {"password": "not it"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "invalid_password"
    off = api(browser, app_url, "DELETE", "/api/user/two-factor", {"password": PASSWORD})
    assert off.status_code == 200 and off.json() == {"enabled": False, "method": None}


def test_recovery_codes_passkeys_and_trusted_browsers_are_reported_unavailable(aidbox, clock):
    _, app_url = aidbox
    browser, secret, _ = signed_in_with_totp(aidbox, clock)
    unavailable = ["recoveryCodes", "passkeys", "trustedBrowsers"]
    assert api(browser, app_url, "GET", "/api/me").json()["unavailable"] == unavailable
    assert api(browser, app_url, "GET", "/api/user/two-factor").json() == {
        "enabled": True,
        "method": "totp",
        "unavailable": unavailable,
    }
    clock.advance(30)
    body = {"code": totp.code_at(secret, clock())}
    for method, path, sent in (
        ("POST", "/api/user/two-factor/recovery-codes", body),
        ("GET", "/api/user/trusted-browsers", None),
        ("GET", "/api/user/passkeys", None),
    ):
        answer = api(browser, app_url, method, path, sent)
        assert answer.status_code == 409, (path, answer.text)
        assert answer.json()["error"]["code"] == "unavailable_with_aidbox"


def test_wrong_codes_are_throttled_by_the_app(aidbox, clock):
    _, app_url = aidbox
    browser, secret, _ = signed_in_with_totp(aidbox, clock)
    clock.advance(30)
    right = totp.code_at(secret, clock())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        refused = api(browser, app_url, "POST", "/api/user/two-factor/change", {"code": wrong})
        assert refused.json()["error"]["code"] == "invalid_code"
    held = api(browser, app_url, "POST", "/api/user/two-factor/change", {"code": right})
    assert held.status_code == 429 and int(held.headers["Retry-After"]) > 0
    clock.advance(15 * 60)
    fresh = totp.code_at(secret, clock())
    assert api(browser, app_url, "POST", "/api/user/two-factor/change", {"code": fresh}).status_code == 200
