"""Text-message codes in the browser, read from the dev outbox as a person trying the demo would."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from . import flows


def test_enable_sms_log_out_and_log_in_with_the_code_from_the_outbox(page: Page, demo):
    email = flows.new_email()
    typed, e164 = flows.new_phone_number()
    flows.sign_up(page, demo, email)
    flows.enable_sms(page, demo, typed, e164)
    flows.open_home(page, demo)
    flows.expect_home(page, email, "on (text message)")
    flows.log_out(page)

    flows.log_in_with_password(page, email)
    expect(page.get_by_text(f"sent to +1 ••• ••• {e164[-4:]} by text message")).to_be_visible()
    page.get_by_role("button", name="Resend code").click()
    expect(page.get_by_role("alert")).to_contain_text("You can ask for a new one in")
    flows.enter_code(page, flows.code_from_outbox(page, demo, e164))
    flows.expect_home(page, email, "on (text message)")


def test_disable_on_the_auth_server_send_code_enter_it_disable(page: Page, demo):
    """The disable page in order: Send code (not refused: the codes sent at login count apart), the
    texted code, Disable."""
    email = flows.new_email()
    typed, e164 = flows.new_phone_number()
    flows.sign_up(page, demo, email)
    flows.enable_sms(page, demo, typed, e164)
    flows.open_home(page, demo)
    flows.open_settings(page)
    page.get_by_role("link", name="Disable with a code on the auth server").click()
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text("We sent you a 6-digit code by text message.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    flows.enter_code_to_disable(page, flows.code_from_outbox(page, demo, e164))
    expect(page.get_by_text("Two-factor authentication is off")).to_be_visible()
    flows.open_home(page, demo)
    flows.expect_home(page, email, "off")


def test_an_invalid_number_is_explained_next_to_the_field(page: Page, demo):
    flows.sign_up(page, demo, flows.new_email())
    page.get_by_role("button", name="Text me codes").click()
    page.get_by_label("Phone number").fill("415 555 0100")
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_role("alert")).to_contain_text("international format")
