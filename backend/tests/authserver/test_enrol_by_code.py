"""The enrol page's other methods, where two-factor is required: a first code sent by email or by text
message through the webhook (as at the code step), whose entry turns two-factor on with that transport
and ends the flow; the same verifier, replay store, throttle and send limits as the code step."""

from __future__ import annotations

from html import unescape
from urllib.parse import urlencode

import pytest

from .helpers import ADMIN_AUTH, FRONTEND_AUTH, implicit_query, log_in, post_form, submit
from .test_required_two_factor import ENROL, enrolled, require
from .test_trusted_browser import audit_types

NUMBER = "+14155550100"


@pytest.fixture
def enrolling(client, admin, user, http_recorder):
    """ann@example.com, signed in with the password, on the enrol page (two-factor required)."""
    webhook = {"endpoint": http_recorder.url, "timeout": 2000}
    require(admin, validPastTokensCount=5, webhook=webhook)
    page = log_in(client, implicit_query(state="e"))
    assert page.status_code == 200 and "Set up two-factor authentication" in page.get_data(as_text=True)
    return page


def method_page(client, method: str, **extra: str):
    return client.get(ENROL + urlencode({**implicit_query(state="e"), "method": method, **extra}))


def stored_user(client, user_id: str) -> dict:
    return client.get(f"/User/{user_id}", auth=ADMIN_AUTH).get_json()


def method_of(client, user_id: str) -> dict:
    two_factor = stored_user(client, user_id)["twoFactor"]
    return {"enabled": two_factor["enabled"], "transport": two_factor.get("transport")}


def test_the_page_offers_each_method_as_a_labelled_link(client, enrolling):
    html = unescape(enrolling.get_data(as_text=True))
    assert '<nav class="method-choice" aria-label="Two-factor method">' in html
    for method, label in (("app", "Authenticator app"), ("email", "Email"), ("sms", "Text message")):
        assert f"method={method}" in html and f">{label}<" in html
    assert 'aria-current="page"><strong>Authenticator app' in html  # the QR code is the first way shown


def test_a_code_sent_by_email_turns_two_factor_on_and_ends_the_flow(client, enrolling, user, http_recorder):
    page = method_page(client, "email")
    assert "We will email a 6-digit code to a•••@example.com." in unescape(page.get_data(as_text=True))
    assert http_recorder.requests == []  # showing the page sends nothing

    sent_page = submit(client, page, {})
    assert sent_page.status_code == 200
    assert "A 6-digit code was sent to a•••@example.com by email." in unescape(
        sent_page.get_data(as_text=True)
    )
    (sent,) = http_recorder.requests
    assert sent.json()["transport"] == "email" and sent.json()["user"]["email"] == "ann@example.com"
    assert method_of(client, user["id"]) == {"enabled": False, "transport": "email"}

    wrong = submit(client, sent_page, {"token": "000000"})
    assert wrong.status_code == 401 and "That code is not valid" in wrong.get_data(as_text=True)
    done = enrolled(client, wrong, sent.json()["token"])
    assert done.status_code == 302 and done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert method_of(client, user["id"]) == {"enabled": True, "transport": "email"}
    assert "two-factor-enabled" in audit_types(client, user["id"])


def test_a_code_sent_by_text_message_goes_to_the_number_entered(client, enrolling, user, http_recorder):
    page = method_page(client, "sms")
    sent_page = submit(client, page, {"phone_number": " +1 415-555-0100 "})
    html = unescape(sent_page.get_data(as_text=True))
    assert sent_page.status_code == 200 and "was sent to +1 ••• ••• 0100 by text message." in html
    assert NUMBER not in html
    (sent,) = http_recorder.requests
    assert sent.json()["transport"] == "sms" and sent.json()["user"]["phoneNumber"] == NUMBER

    done = enrolled(client, sent_page, sent.json()["token"])
    assert done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert stored_user(client, user["id"])["phoneNumber"] == NUMBER
    assert method_of(client, user["id"]) == {"enabled": True, "transport": "sms"}


@pytest.mark.parametrize("number", ["", "4155550100", "+1 555", "+1" + "5" * 60])
def test_a_number_that_is_not_one_is_a_clear_422(client, enrolling, http_recorder, number):
    refused = submit(client, method_page(client, "sms"), {"phone_number": number})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert http_recorder.requests == []


def test_after_enrolling_the_page_sends_the_user_on(client, enrolling, http_recorder, clock):
    sent_page = submit(client, method_page(client, "email"), {})
    code = http_recorder.requests[0].json()["token"]
    enrolled(client, sent_page, code)
    # The flow is over: the page sends the signed-in user on, and the code is spent.
    again = post_form(client, sent_page, {"token": code})
    assert again.status_code == 303 and not again.headers["Location"].startswith(ENROL)


def test_resend_waits_and_a_new_code_replaces_the_old(client, enrolling, http_recorder, clock):
    sent_page = submit(client, method_page(client, "email"), {})
    too_soon = submit(client, sent_page, {}, index=1)
    assert too_soon.status_code == 429 and "A code was sent moments ago" in too_soon.get_data(as_text=True)
    clock.advance(30)
    resent = submit(client, too_soon, {}, index=1)
    assert resent.status_code == 200 and len(http_recorder.requests) == 2
    first, second = (request.json()["token"] for request in http_recorder.requests)
    if first != second:  # a new secret: the first code no longer works
        assert submit(client, resent, {"token": first}).status_code == 401
    done = enrolled(client, resent, second)
    assert done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_wrong_codes_are_throttled_as_at_the_code_step(client, enrolling, http_recorder):
    page = submit(client, method_page(client, "email"), {})
    for _ in range(5):
        page = submit(client, page, {"token": "000000"})
        assert page.status_code == 401
    right = http_recorder.requests[0].json()["token"]
    throttled = submit(client, page, {"token": right})
    assert throttled.status_code == 429 and throttled.headers["Retry-After"]


def test_a_webhook_that_fails_says_so(client, enrolling, http_recorder):
    http_recorder.status = 500
    failed = submit(client, method_page(client, "email"), {})
    assert failed.status_code == 502 and "We could not send your code" in failed.get_data(as_text=True)


def test_another_number_can_be_entered_after_a_send(client, enrolling, http_recorder, clock):
    sent_page = submit(client, method_page(client, "sms"), {"phone_number": NUMBER})
    assert "Use another number" in sent_page.get_data(as_text=True)
    clock.advance(30)
    number_page = method_page(client, "sms", change="1")
    assert 'value="+14155550100"' in number_page.get_data(as_text=True)
    sent_again = submit(client, number_page, {"phone_number": "+442071838750"})
    assert "+44 ••• ••• 8750" in unescape(sent_again.get_data(as_text=True))
    assert http_recorder.requests[-1].json()["user"]["phoneNumber"] == "+442071838750"


def test_every_form_needs_its_csrf_token(client, enrolling, http_recorder):
    query = urlencode({**implicit_query(state="e"), "method": "email"})
    refused = client.post("/auth/two-factor/enrol/send?" + query, data={})
    assert refused.status_code == 303
    assert client.get(refused.headers["Location"]).status_code == 422
    assert http_recorder.requests == []


def test_an_unknown_method_shows_the_authenticator_app(client, enrolling):
    page = method_page(client, "pigeon")
    assert page.status_code == 200 and 'alt="QR code for your authenticator app"' in page.get_data(
        as_text=True
    )
