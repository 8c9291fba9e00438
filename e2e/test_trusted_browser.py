""" "Don't ask again on this browser": tick the box, log out, log in with the password only; revoke it on
the settings page and the code is asked again."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from . import flows


def test_a_trusted_browser_skips_the_code_until_revoked(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    page.get_by_label("Don't ask again on this browser for 30 days").check()
    flows.enter_code(page, flows.phone_code(secret))
    flows.expect_home(page, email, "on (authenticator app)")

    flows.log_out_and_in_with_password(page, email)
    flows.expect_home(page, email, "on (authenticator app)")

    flows.open_settings(page)
    trusted = page.get_by_role("region", name="Trusted browsers")
    expect(trusted.get_by_text("Chrome on Linux")).to_be_visible()
    trusted.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(trusted.get_by_text("No browser skips the second factor")).to_be_visible()

    flows.open_home(page, demo)
    flows.log_out_and_in_with_password(page, email)
    expect(page.get_by_label("Code")).to_be_visible()
