"""Two-factor required by policy: a new user cannot reach the app's home before setting up an
authenticator app (or codes by email, or a passkey) on the auth server's page and seeing the recovery
codes; then the sign-in goes on to the app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from playwright.sync_api import Page, expect

from backend.launcher import Stack
from backend.tests.support import SmtpSink

from . import flows


@contextmanager
def two_factor_required_on(demo: Stack) -> Iterator[None]:
    """AuthConfig app with ``twoFactor.required`` (no grace period) meanwhile, as it was after."""
    url = f"{demo.url('AUTH_SERVER_URL')}/AuthConfig/app"
    admin = (demo.environ.get("ADMIN_CLIENT_ID", "admin"), demo.environ["ADMIN_CLIENT_SECRET"])
    original = requests.get(url, auth=admin, timeout=10).json()
    required = {**original, "twoFactor": {**original["twoFactor"], "required": True}}
    assert requests.put(url, json=required, auth=admin, timeout=10).status_code == 200
    try:
        yield
    finally:
        assert requests.put(url, json=original, auth=admin, timeout=10).status_code == 200


@pytest.fixture
def two_factor_required(demo: Stack) -> Iterator[None]:
    with two_factor_required_on(demo):
        yield


def sign_up_until_enrolment(page: Page, demo: Stack) -> str:
    """A new account from the app's Sign up link, stopped at the enrol page; its email."""
    email = flows.new_email()
    page.goto(demo.url("FRONTEND_URL"))
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(flows.PASSWORD)
    page.get_by_label(re.compile("Confirm password", re.I)).fill(flows.PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    return email


def test_a_new_user_enrols_before_reaching_the_app(page: Page, demo: Stack, two_factor_required):
    email = sign_up_until_enrolment(page, demo)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    enrol_url = page.url
    assert enrol_url.startswith(demo.url("AUTH_SERVER_URL"))

    # Not signed in to the app yet: its home sends the visitor to sign in.
    flows.open_home(page, demo)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.goto(enrol_url)
    secret = re.sub(r"\s", "", page.locator("code.secret").inner_text())
    page.get_by_label("Code").fill(flows.phone_code(secret))
    page.get_by_role("button", name="Turn on and continue").click()
    expect_recovery_codes_then_continue(page)
    flows.expect_home(page, email, "on (authenticator app)")


def expect_recovery_codes_then_continue(page: Page) -> None:
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="I have saved them, continue").click()


def test_a_new_user_can_enrol_with_codes_by_email(
    page: Page, demo: Stack, smtp: SmtpSink, two_factor_required
):
    email = sign_up_until_enrolment(page, demo)
    page.get_by_role("link", name="Email").click()
    seen = len(smtp.messages)
    page.get_by_role("button", name="Send code").click()
    page.get_by_label("Code").fill(flows.latest_emailed_code(smtp, email, seen))
    page.get_by_role("button", name="Turn on and continue").click()
    expect_recovery_codes_then_continue(page)
    flows.expect_home(page, email, "on (email)")


def test_a_new_user_can_enrol_with_a_passkey_and_changes_the_password_with_it(context, localhost_demo: Stack):
    """On ``localhost`` URLs (WebAuthn refuses IP addresses), with a virtual authenticator."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    flows.add_virtual_authenticator(page)
    with two_factor_required_on(localhost_demo):
        email = sign_up_until_enrolment(page, localhost_demo)
        page.get_by_role("link", name="Passkey").click()
        page.get_by_role("button", name="Add a passkey and continue").click()
        expect_recovery_codes_then_continue(page)
        # Back in the app: the passkey is the second factor, so there is no prompt to turn codes on.
        flows.expect_home(page, email, "on (passkey)")

        page.get_by_role("link", name="Two-factor settings").click()
        page.get_by_role("link", name="Change your password").click()
        expect(page.get_by_text("Your passkey is your second factor")).to_be_visible()
        page.get_by_label("Current password").fill(flows.PASSWORD)
        page.get_by_label("New password", exact=True).fill(flows.PASSWORD + " 2")
        page.get_by_label("Confirm new password").fill(flows.PASSWORD + " 2")
        page.get_by_label("Confirm new password").press("Enter")  # the passkey answers, then it is sent
        expect(page.get_by_role("status")).to_contain_text("Your password was changed.")
