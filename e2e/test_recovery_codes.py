"""Recovery codes in the browser: shown once after enabling, downloadable, one signs in once, regenerate."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from . import flows


def shown_codes(page: Page) -> list[str]:
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}", code) for code in codes)
    return codes


def test_codes_shown_once_downloaded_and_each_signs_in_once(page: Page, demo):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    secret = flows.enable_totp_from_prompt(page)
    codes = shown_codes(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download recovery codes").click()
    assert download.value.suggested_filename == f"demo-recovery-codes-{email}.txt"
    text = Path(download.value.path()).read_text()
    assert text.startswith(f"Demo recovery codes for {email}\n")
    assert all(code in text for code in codes)
    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_role("list", name="Recovery codes")).to_have_count(0)
    expect(page.get_by_text("Recovery codes left: 10")).to_be_visible()

    flows.open_home(page, demo)
    flows.log_out(page)
    flows.log_in_with_password(page, email)
    expect(page.get_by_label("Code")).to_have_attribute("inputmode", "numeric")
    page.get_by_role("link", name="Use a recovery code").click()
    field = page.get_by_label("Recovery code")
    expect(field).not_to_have_attribute("inputmode", "numeric")
    flows.enter_code(page, codes[0])
    flows.expect_home(page, email, "on (authenticator app)")
    flows.open_settings(page)
    expect(page.get_by_text("Recovery codes left: 9")).to_be_visible()

    flows.open_home(page, demo)
    flows.log_out(page)
    flows.log_in_with_password(page, email)
    flows.enter_code(page, codes[0])
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    flows.enter_code(page, flows.phone_code(secret))
    flows.expect_home(page, email, "on (authenticator app)")


def test_regenerate_with_a_current_code_replaces_the_set(page: Page, demo):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    secret = flows.enable_totp_from_prompt(page)
    old = shown_codes(page)
    page.get_by_role("button", name="I have saved them").click()
    page.get_by_role("button", name="Regenerate recovery codes").click()
    page.get_by_label("Code from your app").fill(flows.phone_code(secret))
    page.get_by_role("button", name="Regenerate recovery codes").click()
    expect(page.get_by_role("list", name="Recovery codes")).to_be_visible()
    new = shown_codes(page)
    assert not set(new) & set(old)

    flows.open_home(page, demo)
    flows.log_out(page)
    flows.log_in_with_password(page, email)
    flows.enter_code(page, old[0])
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    flows.enter_code(page, new[0])
    flows.expect_home(page, email, "on (authenticator app)")


def test_an_email_user_regenerates_with_a_code_sent_to_them(page: Page, demo, smtp):
    email = flows.new_email()
    flows.sign_up(page, demo, email)
    seen = len(smtp.messages)
    page.get_by_role("button", name="Email me codes").click()
    page.get_by_label("Code from the email").fill(flows.latest_emailed_code(smtp, email, seen))
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_role("list", name="Recovery codes")).to_be_visible()
    old = shown_codes(page)
    page.get_by_role("button", name="I have saved them").click()

    page.get_by_role("button", name="Regenerate recovery codes").click()
    seen = len(smtp.messages)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_text("We sent a code to")).to_be_visible()
    flows.paste_code(page, "Code from the email", flows.latest_emailed_code(smtp, email, seen))
    page.get_by_role("button", name="Regenerate recovery codes").click()
    expect(page.get_by_role("list", name="Recovery codes")).to_be_visible()
    assert not set(shown_codes(page)) & set(old)
