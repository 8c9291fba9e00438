"""The TOTP login step: past-only window of validPastTokensCount steps, one step ahead, no replay."""

import re
import shutil
import subprocess
from html import unescape

import pytest

from backend.common import totp

from .helpers import (
    FRONTEND_AUTH,
    csrf_token,
    form_action,
    fragment,
    implicit_query,
    log_in,
    query_of,
    submit,
)

INVALID = "That code is not valid. Try again."


def to_step_page(client, email="bob@example.com"):
    """The password: the answer is the code form itself (no redirect), posting to /auth/two-factor."""
    page = log_in(client, implicit_query(state="two"), email=email)
    assert page.status_code == 200, page.get_data(as_text=True)
    assert form_action(page.get_data(as_text=True)).startswith("/auth/two-factor?")
    return page


def enter(client, page, code):
    return submit(client, page, {"token": code})


def assert_signed_in(client, response):
    """The good code ends the flow in the same response: straight back to the client with the token."""
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert fragment(response.headers["Location"])["state"] == "two"


def code_input(html: str) -> str:
    return re.search(r'<input[^>]*name="token"[^>]*>', html).group(0)


def test_step_page_asks_for_the_code_on_a_numeric_keypad(client, totp_user):
    html = to_step_page(client).get_data(as_text=True)
    assert '<label for="token">Code</label>' in html
    field = code_input(html)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    # Nothing that would cut or refuse a pasted "806 056".
    assert "maxlength" not in field and "pattern" not in field
    assert ">Verify</button>" in html and "Resend code" not in html


def test_use_a_recovery_code_switches_to_a_text_field(client, totp_user):
    html = to_step_page(client).get_data(as_text=True)
    link = unescape(re.search(r'<a href="([^"]+)">Use a recovery code</a>', html).group(1))
    assert query_of(link) == {**implicit_query(state="two"), "recovery": "1"}
    recovery = client.get(link).get_data(as_text=True)
    assert '<label for="token">Recovery code</label>' in recovery
    field = code_input(recovery)
    assert "inputmode" not in field and 'autocomplete="off"' in field
    assert query_of(form_action(recovery)) == {**implicit_query(state="two"), "recovery": "1"}
    assert ">Use the 6-digit code instead</a>" in recovery


def test_the_recovery_field_also_takes_the_app_code(client, totp_user, clock):
    page = client.get(form_action(to_step_page(client).get_data(as_text=True)) + "&recovery=1")
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))


def test_a_wrong_code_is_answered_with_a_redirect_to_the_form(client, totp_user, clock):
    """Post/redirect/get: Reload and Back repeat the GET, never the POST with the wrong code."""
    page = to_step_page(client)
    html = page.get_data(as_text=True)
    posted = client.post(form_action(html), data={"csrf_token": csrf_token(html), "token": "000000"})
    assert posted.status_code == 303 and posted.headers["Location"] == form_action(html)
    assert "000000" not in posted.headers.get("Set-Cookie", "")
    shown = client.get(posted.headers["Location"])
    assert shown.status_code == 401 and INVALID in shown.get_data(as_text=True)
    reloaded = client.get(posted.headers["Location"])
    assert reloaded.status_code == 200 and INVALID not in reloaded.get_data(as_text=True)


def test_reloading_after_wrong_codes_counts_nothing(client, totp_user, clock):
    page = to_step_page(client)
    good = totp.code_at(totp_user["secret"], clock())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    for _ in range(4):
        page = enter(client, page, wrong)
        assert page.status_code == 401
    for _ in range(5):
        page = client.get(form_action(page.get_data(as_text=True)))
    # Four failures, not nine: the fifth wrong code is still looked at, and then the good one.
    assert enter(client, page, wrong).status_code == 401
    clock.advance(1)
    assert enter(client, page, good).status_code == 429  # the fifth failure started the lockout


def test_the_code_form_keeps_the_flow_and_reloads(client, totp_user):
    page = to_step_page(client)
    action = form_action(page.get_data(as_text=True))
    assert query_of(action) == implicit_query(state="two")
    reloaded = client.get(action)
    assert reloaded.status_code == 200 and '<label for="token">Code</label>' in reloaded.get_data(
        as_text=True
    )


def test_the_code_form_from_a_reload_also_signs_in(client, totp_user, clock):
    page = client.get(form_action(to_step_page(client).get_data(as_text=True)))
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))


def test_no_token_before_the_second_step(client, totp_user):
    to_step_page(client)
    response = client.get("/auth/authorize?client_id=web&response_type=token&redirect_uri=" + FRONTEND_AUTH)
    assert response.status_code == 302 and "/auth/two-factor" in response.headers["Location"]


@pytest.mark.parametrize("steps_back", range(0, 6))
def test_current_and_five_previous_steps_accepted(client, totp_user, clock, steps_back):
    page = to_step_page(client)
    code = totp.code_at(totp_user["secret"], clock() - 30 * steps_back)
    assert_signed_in(client, enter(client, page, code))


@pytest.mark.parametrize("offset_steps", [-6, 2], ids=["sixth-previous", "two-ahead"])
def test_codes_outside_the_window_refused(client, totp_user, clock, offset_steps):
    page = to_step_page(client)
    response = enter(client, page, totp.code_at(totp_user["secret"], clock() + 30 * offset_steps))
    assert response.status_code == 401
    assert 'role="alert">That code is not valid. Try again.' in response.get_data(as_text=True)


def test_one_step_ahead_accepted(client, totp_user, clock):
    page = to_step_page(client)
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock() + 30)))


def test_valid_past_tokens_count_comes_from_auth_config(client, admin, totp_user, clock):
    admin.put("AuthConfig", "app", {"twoFactor": {"validPastTokensCount": 1}})
    page = to_step_page(client)
    refused = enter(client, page, totp.code_at(totp_user["secret"], clock() - 60))
    assert refused.status_code == 401
    assert_signed_in(client, enter(client, refused, totp.code_at(totp_user["secret"], clock() - 30)))


def test_wrong_code_then_retry_succeeds(client, totp_user, clock):
    page = to_step_page(client)
    good = totp.code_at(totp_user["secret"], clock())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    refused = enter(client, page, wrong)
    assert refused.status_code == 401
    assert_signed_in(client, enter(client, refused, good))


def test_replayed_code_refused(app, totp_user, clock):
    first, second = app.test_client(), app.test_client()
    code = totp.code_at(totp_user["secret"], clock())
    assert_signed_in(first, enter(first, to_step_page(first), code))
    clock.advance(10)
    replay = enter(second, to_step_page(second), code)
    assert replay.status_code == 401


def test_older_code_after_a_newer_one_refused(app, totp_user, clock):
    first, second = app.test_client(), app.test_client()
    assert_signed_in(first, enter(first, to_step_page(first), totp.code_at(totp_user["secret"], clock())))
    older = totp.code_at(totp_user["secret"], clock() - 30)
    assert enter(second, to_step_page(second), older).status_code == 401


@pytest.mark.parametrize("code", ["abcdef", "12345", "1234567", "１２３４５６", ""])
def test_malformed_code_is_a_4xx_with_a_message(client, totp_user, code):
    response = enter(client, to_step_page(client), code)
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)


@pytest.mark.parametrize("pasted", ["{0} {1}", " {0}-{1} ", "{0}\u00a0{1}", "{0}\u2013{1}", "\t{0}{1}\r\n"])
def test_pasted_code_with_spaces_or_dashes_accepted(client, totp_user, clock, pasted):
    code = totp.code_at(totp_user["secret"], clock())
    assert_signed_in(client, enter(client, to_step_page(client), pasted.format(code[:3], code[3:])))


def test_the_code_the_login_just_used_is_named_as_such(app, totp_user, clock):
    first, second = app.test_client(), app.test_client()
    code = totp.code_at(totp_user["secret"], clock())
    assert_signed_in(first, enter(first, to_step_page(first), code))
    again = enter(second, to_step_page(second), f"{code[:3]} {code[3:]}")
    assert again.status_code == 401
    assert 'role="alert">This code was already used. Wait for the next one in your app.' in again.text


@pytest.mark.skipif(shutil.which("oathtool") is None, reason="oathtool not installed")
def test_code_from_oathtool_accepted(config, totp_user):
    import time

    from backend.authserver import create_app

    # oathtool reads the real clock, so this app does too.
    app = create_app({**config, "CLOCK": time.time})
    client = app.test_client()
    code = subprocess.run(
        ["oathtool", "--totp", "-b", totp_user["secret"]], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert_signed_in(client, enter(client, to_step_page(client), code))
