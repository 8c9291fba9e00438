"""The auth server's forms in a real browser: Back and Reload, double clicks, pasted codes, used codes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Request, expect

from . import flows

SIGNED_UP = "Do you want to enable two-factor authentication now?"


def navigations(page: Page) -> list[Request]:
    """Every top-level request the page makes from now on."""
    seen: list[Request] = []
    page.on("request", lambda request: seen.append(request) if request.is_navigation_request() else None)
    return seen


def test_back_after_signing_in_repeats_no_form(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    flows.enter_code(page, flows.phone_code(secret))
    flows.expect_home(page, email, "on (authenticator app)")

    requests = navigations(page)
    page.go_back()
    # The entry behind the app is the code step's GET (its form posted with a 303), not a POST to send
    # again: signed in already, the auth server sends the browser on to the app.
    expect(page).to_have_url(re.compile("^" + re.escape(demo.url("FRONTEND_URL"))))
    assert requests and all(request.method == "GET" for request in requests)
    # The app sees the old sign-in's callback again and takes the signed-in user home.
    flows.expect_home(page, email, "on (authenticator app)")


def test_reloading_after_wrong_codes_sends_none_of_them_again(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    for _ in range(4):
        flows.enter_code(page, flows.wrong_code(secret))
        expect(page.get_by_role("alert")).to_contain_text("That code is not valid")
    requests = navigations(page)
    for _ in range(3):
        page.reload()
        expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    assert [request.method for request in requests] == ["GET"] * 3
    # Four wrong codes so far (five in a minute lock the account): the right one still works.
    flows.enter_code(page, flows.phone_code(secret))
    flows.expect_home(page, email, "on (authenticator app)")


def sign_up_with_a_double_click(page: Page, demo, email: str) -> None:
    """Two clicks on Sign up 50 ms apart, as a hand does: the first request is on its way by then (a
    faster pair is one submission to Chromium), and the signup page is still there."""
    page.goto(demo.url("FRONTEND_URL"))
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(flows.PASSWORD)
    page.get_by_label("Confirm password").fill(flows.PASSWORD)
    button = page.get_by_role("button", name="Sign up")
    box = button.bounding_box()
    button.click(no_wait_after=True)
    page.wait_for_timeout(50)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_double_clicking_sign_up_signs_in_once(page: Page, demo):
    email = flows.new_email()
    posts = navigations(page)
    sign_up_with_a_double_click(page, demo, email)
    expect(page.get_by_text(SIGNED_UP)).to_be_visible()
    assert [request.method for request in posts].count("POST") == 1


def test_double_clicking_sign_up_without_the_script_still_signs_in(page: Page, demo):
    """The server's side of it: the same form posted twice signs in to the one account it made."""
    page.route("**/static/forms.js", lambda route: route.abort())
    email = flows.new_email()
    posts = navigations(page)
    sign_up_with_a_double_click(page, demo, email)
    expect(page.get_by_text(SIGNED_UP)).to_be_visible()
    expect(page.get_by_text("already exists")).to_have_count(0)
    assert [request.method for request in posts].count("POST") == 2


def test_a_pasted_code_with_spaces_and_dashes_signs_in(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    field = page.get_by_label("Code")
    expect(field).to_have_attribute("inputmode", "numeric")
    code = flows.phone_code(secret)
    field.press_sequentially(f" {code[:3]}-{code[3:]} ")  # typed: a maxlength would cut it
    page.get_by_role("button", name="Verify").click()
    flows.expect_home(page, email, "on (authenticator app)")


def test_a_code_used_a_moment_ago_is_named_as_such(page: Page, demo):
    email, secret = flows.sign_up_with_authenticator(page, demo)
    flows.log_out_and_in_with_password(page, email)
    code = flows.phone_code(secret)
    flows.enter_code(page, code)
    flows.expect_home(page, email, "on (authenticator app)")
    flows.log_out_and_in_with_password(page, email)
    flows.enter_code(page, code)
    expect(page.get_by_role("alert")).to_have_text(
        "This code was already used. Wait for the next one in your app."
    )


def test_the_disable_page_has_a_way_back(page: Page, demo):
    email, _ = flows.sign_up_with_authenticator(page, demo)
    flows.open_settings(page)
    page.get_by_role("link", name="Disable with a code on the auth server").click()
    expect(page.get_by_role("heading", name="Disable two-factor authentication")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(r"/settings/two-factor$"))
    flows.open_home(page, demo)
    flows.expect_home(page, email, "on (authenticator app)")
