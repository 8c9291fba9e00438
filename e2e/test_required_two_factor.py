"""Two-factor required by policy: a new user cannot reach the app's home before setting up an
authenticator app on the auth server's page; then the sign-in goes on to the app."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from backend.launcher import Stack

from . import flows


@pytest.fixture
def two_factor_required(demo: Stack) -> Iterator[None]:
    """AuthConfig app with ``twoFactor.required`` (no grace period) for this test, as it was after."""
    url = f"{demo.url('AUTH_SERVER_URL')}/AuthConfig/app"
    admin = (demo.environ.get("ADMIN_CLIENT_ID", "admin"), demo.environ["ADMIN_CLIENT_SECRET"])
    original = requests.get(url, auth=admin, timeout=10).json()
    required = {**original, "twoFactor": {**original["twoFactor"], "required": True}}
    assert requests.put(url, json=required, auth=admin, timeout=10).status_code == 200
    try:
        yield
    finally:
        assert requests.put(url, json=original, auth=admin, timeout=10).status_code == 200


def test_a_new_user_enrols_before_reaching_the_app(page: Page, demo: Stack, two_factor_required):
    email = flows.new_email()
    page.goto(demo.url("FRONTEND_URL"))
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(flows.PASSWORD)
    page.get_by_label(re.compile("Confirm password", re.I)).fill(flows.PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
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
    flows.expect_home(page, email, "on (authenticator app)")
