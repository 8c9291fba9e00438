"""SMS end to end: the real auth server, the app and a Twilio-shaped gateway, all on free ports."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin

import pytest
import requests

from .conftest import FRONTEND_URL
from .test_with_real_authserver import (
    ADMIN,
    PASSWORD,
    api,
    browse,
    create_user,
    real_servers,
    the_form,
)


@pytest.fixture
def servers(tmp_path, databases, clock, http_recorder):
    http_recorder.status = 201
    gateway = {
        "SMS_GATEWAY_URL": http_recorder.url,
        "SMS_ACCOUNT_SID": "AC1",
        "SMS_AUTH_TOKEN": "gateway-token",
        "SMS_FROM": "+15005550006",
    }
    with real_servers(tmp_path, databases, clock, **gateway) as urls:
        yield urls


def texted(http_recorder) -> tuple[str, str]:
    """(To, code) of the newest message the gateway received."""
    form = {key: values[0] for key, values in parse_qs(http_recorder.requests[-1].body.decode()).items()}
    return form["To"], re.search(r"\b([0-9]{6})\b", form["Body"]).group(1)


def enable_sms(browser, app_url, http_recorder) -> None:
    body = {"enabled": True, "method": "sms", "phoneNumber": "+1 415 555 0100"}
    assert api(browser, app_url, "PUT", "/api/user/two-factor", body).status_code == 202
    _, code = texted(http_recorder)
    confirm = {"enabled": True, "method": "sms", "code": code}
    assert api(browser, app_url, "PUT", "/api/user/two-factor", confirm).status_code == 200


def test_login_with_sms_gets_a_texted_code_that_completes_it(servers, clock, http_recorder):
    auth_url, app_url = servers
    user = create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")
    enable_sms(browser, app_url, http_recorder)
    stored = requests.get(f"{auth_url}/User/{user['id']}", auth=ADMIN, timeout=10).json()
    assert stored["phoneNumber"] == "+14155550100"
    assert stored["twoFactor"]["transport"] == "sms" and stored["twoFactor"]["enabled"] is True
    api(browser, app_url, "POST", "/logout")

    clock.advance(30)
    sent_before = len(http_recorder.requests)

    def code_from_the_text() -> str:
        # The auth server called the app's webhook, which sent the code to the gateway.
        assert len(http_recorder.requests) == sent_before + 1
        to, code = texted(http_recorder)
        assert to == "+14155550100"
        return code

    assert browse(browser, f"{app_url}/login", code=code_from_the_text) == f"{FRONTEND_URL}/app"
    me = api(browser, app_url, "GET", "/api/me").json()
    assert me["twoFactor"] == {"enabled": True, "method": "sms", "phone": "+1 ••• ••• 0100"}


def test_a_failing_gateway_at_login_says_so_on_the_step_page(servers, http_recorder, caplog):
    auth_url, app_url = servers
    create_user(auth_url)
    browser = requests.Session()
    browse(browser, f"{app_url}/login")
    enable_sms(browser, app_url, http_recorder)
    api(browser, app_url, "POST", "/logout")

    http_recorder.status = 500
    caplog.set_level("DEBUG")
    login_form = browser.get(f"{app_url}/login", timeout=10)
    action, fields = the_form(login_form.text)
    fields.update(email="ann@example.com", password=PASSWORD)
    step = browser.post(urljoin(login_form.url, action), data=fields, timeout=10)
    assert step.status_code == 200 and 'name="token"' in step.text
    assert 'role="alert">We could not send your code. Try again.' in step.text
    _, code = texted(http_recorder)
    assert code not in caplog.text
