"""The original Aidbox demo's frontend (Aidbox/two-factor-auth-template) calls the auth server straight
from the browser with its implicit-flow token: GET /auth/userinfo, POST /app/auth/two-factor/request and
/confirm, DELETE /Session. Here a page on the frontend's origin makes those calls with fetch, as that
frontend's axios does, against the running stack; a page on another origin cannot read them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pyotp
from playwright.sync_api import Page, expect

from backend.launcher import Stack, free_port

from .flows import PASSWORD, new_email, phone_code, wrong_code

#: What the original frontend's aidbox-react service sends: axios with a Bearer token and a JSON body.
CALL = """async ([base, token, method, path, body]) => {
    const headers = {Authorization: `Bearer ${token}`};
    if (body !== null) headers["Content-Type"] = "application/json";
    const response = await fetch(base + path, {
        method, headers, body: body === null ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {status: response.status, body: text ? JSON.parse(text) : null};
}"""


def sign_up_like_the_original(page: Page, demo: Stack, email: str) -> str:
    """The original's getSignupUrl (client web, implicit), the signup form, then its /auth page that
    reads the token from the fragment (stood in for by an empty page on the frontend's origin)."""
    frontend = demo.url("FRONTEND_URL")
    page.route(f"{frontend}/auth*", lambda route: route.fulfill(body="<!doctype html><title>auth</title>"))
    signup_query = urlencode({"client_id": "web", "response_type": "token"})
    page.goto(f"{demo.url('AUTH_SERVER_URL')}/auth/signup?{signup_query}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Confirm password|Repeat password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(re.escape(frontend) + r"/auth#access_token="))
    return parse_qs(urlsplit(page.url).fragment)["access_token"][0]


def call(page: Page, demo: Stack, token: str, method: str, path: str, body: dict | None = None) -> dict:
    return page.evaluate(CALL, [demo.url("AUTH_SERVER_URL"), token, method, path, body])


def test_the_original_frontends_calls_work_from_its_origin(page: Page, demo: Stack):
    email = new_email()
    token = sign_up_like_the_original(page, demo, email)

    me = call(page, demo, token, "GET", "/auth/userinfo")
    assert me["status"] == 200 and me["body"]["email"] == email
    assert me["body"]["twoFactor"]["enabled"] is False

    requested = call(page, demo, token, "POST", "/app/auth/two-factor/request", {})
    assert requested["status"] == 200 and requested["body"]["uri"].startswith("otpauth://totp/")
    secret = pyotp.parse_uri(requested["body"]["uri"]).secret

    wrong = call(page, demo, token, "POST", "/app/auth/two-factor/confirm", {"token": wrong_code(secret)})
    assert wrong == {"status": 422, "body": {"error": "wrong_token", "error_description": "Wrong token."}}
    confirmed = call(page, demo, token, "POST", "/app/auth/two-factor/confirm", {"token": phone_code(secret)})
    assert confirmed == {"status": 200, "body": {}}
    again = call(page, demo, token, "POST", "/app/auth/two-factor/request", {})
    assert again["status"] == 422 and again["body"]["error"] == "already_enabled"
    assert call(page, demo, token, "GET", "/auth/userinfo")["body"]["twoFactor"]["enabled"] is True

    assert call(page, demo, token, "DELETE", "/Session")["status"] == 204
    # The original drops its token on an error it can read; an unreadable one would be a network error.
    assert call(page, demo, token, "GET", "/auth/userinfo")["status"] == 401


def test_a_page_on_another_origin_cannot_read_them(page: Page, demo: Stack):
    token = sign_up_like_the_original(page, demo, new_email())
    elsewhere = f"http://127.0.0.1:{free_port()}"
    page.route(f"{elsewhere}/**", lambda route: route.fulfill(body="<!doctype html><title>elsewhere</title>"))
    page.goto(elsewhere + "/")
    expect(page).to_have_title("elsewhere")

    refused = page.evaluate(
        """async ([base, token]) => {
            try {
                await fetch(base + "/auth/userinfo", {headers: {Authorization: `Bearer ${token}`}});
                return "read";
            } catch (error) {
                return error.name;
            }
        }""",
        [demo.url("AUTH_SERVER_URL"), token],
    )
    assert refused == "TypeError"
