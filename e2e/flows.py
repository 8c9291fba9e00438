"""What a person does in the walkthrough, as steps the tests compose. Elements by role and label."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import pyotp
import requests
from playwright.sync_api import CDPSession, Page, expect

from backend.launcher import Stack
from backend.tests.support import SmtpSink

PASSWORD = "correct horse battery"
_counter = itertools.count()


def new_email() -> str:
    return f"user{next(_counter)}-{uuid.uuid4().hex[:8]}@example.com"


_used_steps: dict[str, int] = {}


def phone_code(secret: str) -> str:
    """What an authenticator app shows now for ``secret`` (the test plays the phone).

    A code is accepted once (RFC 6238 5.2): when this step's code was already handed out, the next
    step's code, which the server accepts as clock skew, stands in for waiting up to 30 s.
    """
    step = max(int(time.time() // 30), _used_steps.get(secret, -1) + 1)
    _used_steps[secret] = step
    return pyotp.TOTP(secret).at(step * 30)


def wrong_code(secret: str) -> str:
    """A well-formed code that no step near now produces."""
    totp = pyotp.TOTP(secret)
    near = {totp.at(time.time() + 30 * offset) for offset in range(-10, 3)}
    return next(code for code in (f"{n:06d}" for n in range(1000000)) if code not in near)


def sign_up(page: Page, demo: Stack, email: str, password: str = PASSWORD) -> None:
    """From the frontend's start page to the 2FA prompt, signed in."""
    page.goto(demo.url("FRONTEND_URL"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label(re.compile("Confirm password|Repeat password", re.I)).fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Do you want to enable two-factor authentication now?")).to_be_visible()


def paste_code(page: Page, label: str, code: str) -> None:
    """Paste ``code`` the way an authenticator app or an email shows it: "806 056", with whitespace around.

    Inserted as one piece of text, as a paste is: a field's maxlength would cut it there.
    """
    field = page.get_by_label(label)
    field.fill("")
    field.focus()
    page.keyboard.insert_text(f"  {code[:3]} {code[3:]}  ")


def shown_secret(page: Page) -> str:
    """The secret key shown beside the QR code, without its grouping spaces."""
    return re.sub(r"\s", "", page.get_by_label("Secret key").inner_text())


def enable_totp_from_prompt(page: Page) -> str:
    """Use an authenticator app: read the secret from the page, type the phone's code. The secret."""
    page.get_by_role("button", name="Use an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = shown_secret(page)
    page.get_by_label("Code from your app").fill(phone_code(secret))
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_text("Two-factor authentication is on (authenticator app)")).to_be_visible()
    return secret


def open_home(page: Page, demo: Stack) -> None:
    page.goto(demo.url("FRONTEND_URL") + "/app")


def expect_home(page: Page, email: str, status: str) -> None:
    expect(page.get_by_role("heading", name=f"Hello, {email}!")).to_be_visible()
    expect(page.get_by_text(f"Two-factor authentication: {status}")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def log_in_with_password(page: Page, email: str, password: str = PASSWORD) -> None:
    """From the start page through the auth server's password form."""
    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def enter_code(page: Page, code: str) -> None:
    """The auth server's TOTP step."""
    page.get_by_label(re.compile("code", re.I)).fill(code)
    page.get_by_role("button", name="Verify").click()


def open_settings(page: Page) -> None:
    page.get_by_role("link", name="Two-factor settings").click()


def latest_emailed_code(smtp: SmtpSink, to: str, after: int, timeout: float = 10.0) -> str:
    """The 6-digit code in the newest message to ``to`` beyond the first ``after`` messages."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message, body in reversed(list(zip(smtp.messages[after:], smtp.bodies()[after:], strict=True))):
            if to in (message["To"] or "") and (match := re.search(r"\b(\d{6})\b", body)):
                return match.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no code emailed to {to}")


def enter_code_to_disable(page: Page, code: str) -> None:
    """The auth server's disable page (the Aidbox way): a current code turns 2FA off."""
    page.get_by_label(re.compile("code", re.I)).fill(code)
    page.get_by_role("button", name="Disable two-factor authentication").click()


def new_phone_number() -> tuple[str, str]:
    """A fresh test number as typed ("+1 415 555 01NN") and as stored (E.164)."""
    last_two = f"{next(_counter) % 100:02d}"
    return f"+1 415 555 01{last_two}", f"+141555501{last_two}"


def code_from_outbox(page: Page, demo: Stack, to: str) -> str:
    """The code in the newest message to ``to`` on the dev outbox page, read in a second tab."""
    outbox = page.context.new_page()
    try:
        outbox.goto(demo.url("APP_URL") + "/dev/outbox")
        text = outbox.get_by_role("row").filter(has_text=to).first.locator("td").last.inner_text()
    finally:
        outbox.close()
    match = re.search(r"\b([0-9]{6})\b", text)
    assert match, f"no code in the outbox message to {to}: {text!r}"
    return match.group(1)


def enable_sms(page: Page, demo: Stack, typed_number: str, e164: str) -> None:
    """Text me codes: the number, the texted code (read from the dev outbox), Enable."""
    page.get_by_role("button", name="Text me codes").click()
    page.get_by_label("Phone number").fill(typed_number)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_text(f"We sent a code to +1 ••• ••• {e164[-4:]}.")).to_be_visible()
    page.get_by_label("Code from the text message").fill(code_from_outbox(page, demo, e164))
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_text("Two-factor authentication is on (text message)")).to_be_visible()


def sign_up_with_authenticator(page: Page, demo: Stack) -> tuple[str, str]:
    """A new user with an authenticator app turned on, back on the app home: (email, secret)."""
    email = new_email()
    sign_up(page, demo, email)
    secret = enable_totp_from_prompt(page)
    open_home(page, demo)
    return email, secret


def log_out_and_in_with_password(page: Page, email: str) -> None:
    """Log out, then log in again as far as the password: the code step comes next when 2FA is on."""
    log_out(page)
    log_in_with_password(page, email)


def start_method_change(page: Page, password: str = PASSWORD) -> None:
    """Settings → Change method → the password: the choice of the new method comes next."""
    page.get_by_role("button", name="Change method").click()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Choose the new method.")).to_be_visible()


def register_third_party_client(demo: Stack, client_id: str) -> str:
    """A code-flow Client without ``first_party`` (PUT with the admin's credentials); its redirect_uri.

    The redirect_uri is a path nothing serves (the auth server answers 404), so the browser stays on the
    URL it was sent to, code and state included, as it would at the partner's own server.
    """
    redirect_uri = f"{demo.url('AUTH_SERVER_URL')}/{client_id}-callback"
    document = {
        "secret": f"{client_id}-secret-value",
        "grant_types": ["authorization_code"],
        "auth": {"authorization_code": {"redirect_uri": redirect_uri, "pkce": True}},
    }
    admin = (demo.environ.get("ADMIN_CLIENT_ID", "admin"), demo.environ["ADMIN_CLIENT_SECRET"])
    url = f"{demo.url('AUTH_SERVER_URL')}/Client/{client_id}"
    response = requests.put(url, json=document, auth=admin, timeout=10)
    assert response.status_code in (200, 201), response.text
    return redirect_uri


def authorize_url(demo: Stack, client_id: str, redirect_uri: str, state: str) -> str:
    """The auth server's /auth/authorize for a code flow (PKCE S256) of ``client_id``."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{demo.url('AUTH_SERVER_URL')}/auth/authorize?{urlencode(query)}"


@dataclass
class VirtualAuthenticator:
    cdp: CDPSession
    authenticator_id: str

    def user_present(self, present: bool) -> None:
        """Whether the "user" touches the authenticator: while not, a request waits as for a person. The
        login page's autofill request (conditional mediation) would otherwise be answered at once."""
        self.cdp.send(
            "WebAuthn.setAutomaticPresenceSimulation",
            {"authenticatorId": self.authenticator_id, "enabled": present},
        )


def add_virtual_authenticator(page: Page) -> VirtualAuthenticator:
    """A platform authenticator in ``page``'s tab (Chromium's CDP WebAuthn domain): CTAP2, built in,
    holding discoverable passkeys, verifying its user (as a fingerprint would) and touched when asked."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return VirtualAuthenticator(cdp, added["authenticatorId"])


def add_passkey_with_the_keyboard(page: Page, name: str) -> None:
    """The settings page's "Add a passkey", reached and pressed with the keyboard: Tab from the name
    field, then Enter."""
    page.get_by_label("Name for a new passkey (optional)").fill(name)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add a passkey")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Added “{name}”.")).to_be_visible()
