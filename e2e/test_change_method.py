"""Switching the second factor to another method in the browser: two-factor stays on all along."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from . import flows


def test_changing_from_authenticator_app_to_email(page: Page, demo, smtp):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.open_settings(page)

    flows.start_method_change(page)
    page.get_by_role("button", name="Use an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Two-factor authentication is on (authenticator app).")).to_be_visible()

    flows.start_method_change(page)
    seen = len(smtp.messages)
    page.get_by_role("button", name="Email me codes").click()
    expect(page.get_by_text("We sent a code to ")).to_be_visible()
    emailed = flows.latest_emailed_code(smtp, email, seen)

    # Halfway through, the authenticator app still signs in (another browser).
    other = page.context.browser.new_context().new_page()
    try:
        other.goto(demo.url("FRONTEND_URL"))
        flows.log_in_with_password(other, email)
        flows.enter_code(other, flows.phone_code(secret))
        flows.expect_home(other, email, "on (authenticator app)")
    finally:
        other.context.close()

    page.get_by_label("Code from the email").fill(emailed)
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_text("Two-factor authentication is on (email).")).to_be_visible()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    flows.open_home(page, demo)
    flows.expect_home(page, email, "on (email)")

    flows.log_out(page)
    seen = len(smtp.messages)
    flows.log_in_with_password(page, email)
    flows.enter_code(page, flows.latest_emailed_code(smtp, email, seen))
    flows.expect_home(page, email, "on (email)")
