"""The walkthrough of DESIGN.md in a real browser against the three real processes, one test a step."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from . import flows
from .conftest import THEME_TITLE


def test_sign_up_and_enable_authenticator_app(page: Page, demo):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    flows.enable_totp_from_prompt(page)
    expect(page.get_by_label("Secret key")).to_have_count(0)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_have_count(0)
    flows.open_home(page, demo)
    flows.expect_home(page, email, "on (authenticator app)")


def test_log_out_and_log_in_with_password_and_code(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    flows.enter_code(page, flows.phone_code(secret))
    flows.expect_home(page, email, "on (authenticator app)")


def test_wrong_code_is_refused_and_user_can_retry(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    flows.enter_code(page, flows.wrong_code(secret))
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    flows.enter_code(page, flows.phone_code(secret))
    flows.expect_home(page, email, "on (authenticator app)")


def test_email_codes_arrive_through_the_webhook(page: Page, demo, smtp):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    seen = len(smtp.messages)
    page.get_by_role("button", name="Email me codes").click()
    page.get_by_label("Code from the email").fill(flows.latest_emailed_code(smtp, email, seen))
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_text("Two-factor authentication is on")).to_be_visible()
    flows.open_home(page, demo)
    flows.expect_home(page, email, "on (email)")
    flows.log_out(page)
    seen = len(smtp.messages)
    flows.log_in_with_password(page, email)
    flows.enter_code(page, flows.latest_emailed_code(smtp, email, seen))
    flows.expect_home(page, email, "on (email)")


def test_disable_with_password_then_with_code_on_auth_server(page: Page, demo):
    email, _ = flows.sign_up_with_authenticator(page, demo)
    flows.open_settings(page)
    page.get_by_role("button", name="Disable", exact=True).click()
    page.get_by_label("Password").fill(flows.PASSWORD)
    page.get_by_role("button", name="Confirm disable").click()
    expect(page.get_by_text("Two-factor authentication is off")).to_be_visible()
    flows.open_home(page, demo)
    flows.expect_home(page, email, "off")
    flows.log_out_and_in_with_password(page, email)
    expect(page.get_by_text("Do you want to enable two-factor authentication now?")).to_be_visible()

    secret = flows.enable_totp_from_prompt(page)
    flows.open_home(page, demo)
    flows.open_settings(page)
    page.get_by_role("link", name="Disable with a code on the auth server").click()
    flows.enter_code_to_disable(page, flows.phone_code(secret))
    expect(page.get_by_text("Two-factor authentication is off")).to_be_visible()
    flows.open_home(page, demo)
    flows.expect_home(page, email, "off")
    flows.log_out_and_in_with_password(page, email)
    expect(page.get_by_text("Do you want to enable two-factor authentication now?")).to_be_visible()


def test_implicit_flow_asks_to_enable_two_factor_like_the_code_flow(page: Page, demo):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    page.get_by_role("button", name="Skip for now").click()
    flows.log_out(page)
    page.get_by_role("link", name="Log in with the implicit flow (Client web)").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(flows.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Do you want to enable two-factor authentication now?")).to_be_visible()
    assert "access_token" not in page.url
    page.get_by_role("button", name="Skip for now").click()
    flows.expect_home(page, email, "off")


def test_a_reload_during_setup_keeps_the_scanned_secret_and_a_pasted_code_enables(page: Page, demo):
    flows.sign_up(page, demo, flows.new_email())
    page.get_by_role("button", name="Use an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    scanned = flows.shown_secret(page)
    page.reload()  # a phone switching to the authenticator app can do this
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert flows.shown_secret(page) == scanned
    flows.paste_code(page, "Code from your app", flows.phone_code(scanned))
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_text("Two-factor authentication is on (authenticator app)")).to_be_visible()


def test_email_setup_send_a_new_code_waits_and_says_sent(page: Page, demo, smtp):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    seen = len(smtp.messages)
    page.get_by_role("button", name="Email me codes").click()
    expect(page.get_by_text("We sent a code to")).to_be_visible()
    resend = page.get_by_role("button", name="Send a new code")
    expect(resend).to_be_disabled()
    expect(page.get_by_text(re.compile(r"You can ask for another in \d+ s\."))).to_be_visible()
    flows.paste_code(page, "Code from the email", flows.latest_emailed_code(smtp, email, seen))
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_text("Two-factor authentication is on (email)")).to_be_visible()
    assert len([m for m in smtp.messages[seen:] if m["To"] == email]) == 1


def test_auth_form_shows_the_theme(page: Page, demo):
    page.goto(demo.url("FRONTEND_URL"))
    page.get_by_role("link", name="Log in", exact=True).click()
    expect(page).to_have_title(re.compile(re.escape(THEME_TITLE)))
    expect(page.get_by_text(THEME_TITLE).first).to_be_visible()


def test_a_third_party_client_asks_for_consent_first(page: Page, demo):
    email = flows.new_email()
    flows.sign_up(page, demo, email)  # now signed in at the auth server too
    partner_callback = flows.register_third_party_client(demo, "partner")

    page.goto(flows.authorize_url(demo, "partner", partner_callback, state="first"))
    expect(page.get_by_text(f"partner wants to sign you in as {email}.")).to_be_visible()
    page.get_by_role("button", name="Deny").click()
    expect(page).to_have_url(re.compile(r"\?error=access_denied&.*state=first$"))
    assert "code=" not in page.url

    page.goto(flows.authorize_url(demo, "partner", partner_callback, state="second"))
    page.get_by_role("button", name="Allow").click()
    expect(page).to_have_url(re.compile(r"[?&]code=[^&]+&state=second$"))
