"""Passkeys in Chromium with a virtual authenticator (CDP WebAuthn: CTAP2, internal, resident keys,
user verification): add one on the settings page, sign in with it alone, use it as the second factor
after the password, and remove it after a fresh second factor. On ``localhost`` URLs: WebAuthn
refuses IP addresses."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from . import flows


@pytest.fixture
def passkey_page(context, localhost_demo) -> tuple[Page, flows.VirtualAuthenticator]:
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page, flows.add_virtual_authenticator(page)


def test_add_sign_in_with_it_alone_use_it_as_second_factor_and_remove_it(passkey_page, localhost_demo):
    (page, authenticator), demo = passkey_page, localhost_demo
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    flows.enable_totp_from_prompt(page)

    page.get_by_role("heading", name="Passkeys").scroll_into_view_if_needed()
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()
    flows.add_passkey_with_the_keyboard(page, "Laptop")
    expect(page.get_by_role("listitem").filter(has_text="Laptop")).to_contain_text("never used")

    # Sign in with the passkey alone, no password, no code: picked in the email field's autofill (the
    # virtual authenticator answers the login page's conditional request at once).
    flows.open_home(page, demo)
    flows.log_out(page)
    page.get_by_role("link", name="Log in", exact=True).click()
    flows.expect_home(page, email, "on (authenticator app)")

    # The password, then the passkey instead of the code. No touch while the login page is open, so
    # that its autofill request waits, as it does until a person picks a passkey.
    authenticator.user_present(False)
    flows.log_out_and_in_with_password(page, email)
    authenticator.user_present(True)
    page.get_by_role("button", name="Use a passkey").click()
    flows.expect_home(page, email, "on (authenticator app)")

    # Remove it: a passkey confirms it is the user.
    flows.open_settings(page)
    expect(page.get_by_role("listitem").filter(has_text="Laptop")).to_contain_text("last used")
    page.get_by_role("button", name="Remove Laptop").click()
    page.get_by_role("button", name="Confirm with a passkey").click()
    expect(page.get_by_text("Removed “Laptop”.")).to_be_visible()
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()


def test_sign_in_with_a_passkey_button_where_autofill_is_not_offered(passkey_page, localhost_demo):
    (page, _), demo = passkey_page, localhost_demo
    page.add_init_script("PublicKeyCredential.isConditionalMediationAvailable = async () => false;")
    flows.sign_up(page, demo, flows.new_email())
    page.goto(demo.url("FRONTEND_URL") + "/settings/two-factor")
    flows.add_passkey_with_the_keyboard(page, "Security key")
    flows.open_home(page, demo)
    flows.log_out(page)
    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_role("button", name="Sign in with a passkey").click()
    # Signed in; two-factor is off, so the app asks about it as after any sign-in.
    expect(page.get_by_text("Do you want to enable two-factor authentication now?")).to_be_visible()


def test_the_passkeys_section_fits_a_375_px_screen(passkey_page, localhost_demo):
    page, _ = passkey_page
    page.set_viewport_size({"width": 375, "height": 740})
    flows.sign_up(page, localhost_demo, flows.new_email())
    flows.enable_totp_from_prompt(page)
    flows.add_passkey_with_the_keyboard(page, "A phone with a rather long descriptive name")
    page.get_by_role("button", name="Remove A phone with a rather long descriptive name").click()
    expect(page.get_by_role("button", name="Confirm with a passkey")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_dont_ask_again_with_a_passkey_as_the_second_factor(passkey_page, localhost_demo):
    (page, authenticator), demo = passkey_page, localhost_demo
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    flows.enable_totp_from_prompt(page)
    page.get_by_role("heading", name="Passkeys").scroll_into_view_if_needed()
    flows.add_passkey_with_the_keyboard(page, "Laptop")

    flows.open_home(page, demo)
    authenticator.user_present(False)
    flows.log_out_and_in_with_password(page, email)
    authenticator.user_present(True)
    page.get_by_label("Don't ask again on this browser for 30 days").check()
    page.get_by_role("button", name="Use a passkey").click()
    flows.expect_home(page, email, "on (authenticator app)")

    # The password alone now: no code step, no passkey.
    authenticator.user_present(False)
    flows.log_out_and_in_with_password(page, email)
    flows.expect_home(page, email, "on (authenticator app)")
