"""The TOTP step of an email/SMS user: where the code went (masked), and Resend with rate limits."""

from __future__ import annotations

import pytest

from backend.common import totp

from .helpers import FRONTEND_AUTH, follow, implicit_query, log_in, submit


@pytest.fixture
def sms_user(admin, http_recorder):
    admin.set_webhook(http_recorder.url)
    return admin.create_user(
        "sam@example.com",
        "correct horse",
        phoneNumber="+14155550100",
        twoFactor={"enabled": True, "transport": "sms", "secretKey": totp.new_secret()},
    )


def to_step_page(client):
    return log_in(client, implicit_query(), email="sam@example.com")


def resend(client, page):
    """Press "Resend code" (the step page's second form); the page shown afterwards."""
    response = submit(client, page, {}, index=1)
    return follow(client, response) if response.status_code == 302 else response


def test_the_step_page_says_where_the_text_message_went(client, sms_user, http_recorder):
    html = to_step_page(client).get_data(as_text=True)
    assert "A 6-digit code was sent to +1 ••• ••• 0100 by text message." in html
    assert "+14155550100" not in html
    (sent,) = http_recorder.requests
    assert sent.json()["transport"] == "sms" and sent.json()["user"]["phoneNumber"] == "+14155550100"


def test_resend_waits_30_seconds_after_a_delivered_code(client, sms_user, http_recorder, clock):
    page = to_step_page(client)
    refused = resend(client, page)
    assert refused.status_code == 429
    assert 'role="alert">A code was sent moments ago. You can ask for a new one in 30 seconds.' in (
        refused.get_data(as_text=True)
    )
    assert len(http_recorder.requests) == 1

    clock.advance(29)
    assert "in 1 second." in resend(client, refused).get_data(as_text=True)
    clock.advance(1)
    page = resend(client, refused)
    assert page.status_code == 200
    assert len(http_recorder.requests) == 2
    code = http_recorder.requests[-1].json()["token"]
    done = submit(client, page, {"token": code})
    assert done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_at_most_five_codes_in_ten_minutes(client, sms_user, http_recorder, clock):
    page = to_step_page(client)
    for _ in range(4):
        clock.advance(30)
        page = resend(client, page)
        assert page.status_code == 200
    assert len(http_recorder.requests) == 5

    clock.advance(30)
    refused = resend(client, page)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many codes were sent. You can ask for a new one in 8 minutes." in html
    assert len(http_recorder.requests) == 5

    clock.advance(600 - 150)
    assert resend(client, refused).status_code == 200
    assert len(http_recorder.requests) == 6


def test_a_failed_delivery_can_be_retried_at_once(client, sms_user, http_recorder):
    http_recorder.status = 502
    page = to_step_page(client)
    assert "We could not send your code. Try again." in page.get_data(as_text=True)
    http_recorder.status = 200
    page = resend(client, page)
    assert page.status_code == 200
    assert "A 6-digit code was sent to +1 ••• ••• 0100" in page.get_data(as_text=True)
    assert len(http_recorder.requests) == 2
