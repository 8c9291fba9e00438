"""Walk through the demo once and save a screenshot of each screen at 1280 px and 360 px wide (the
passkey step with a virtual authenticator).

.venv/bin/python -m e2e.screenshots        # writes e2e/screenshots/*.png for the README
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from backend.launcher import Stack, free_port

from . import flows
from .conftest import CHROMIUM_FLAGS, chromium_executable

OUT = Path(__file__).parent / "screenshots"
WIDTHS = {"desktop": (1280, 800), "mobile": (360, 740)}


def _shoot(pages: dict[str, Page], name: str) -> None:
    for label, page in pages.items():
        page.screenshot(path=OUT / f"{name}-{label}.png", full_page=True)


def walkthrough(pages: dict[str, Page], demo: Stack) -> None:
    """The same steps on every page, a screenshot after each; each page is its own user."""
    front = demo.url("FRONTEND_URL")
    secrets = {}
    for page in pages.values():
        page.goto(front)
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _shoot(pages, "1-sign-in")
    for page in pages.values():
        page.get_by_role("link", name="Sign up").click()
        page.get_by_label("Email").fill(f"ann-{id(page)}@example.com")
    _shoot(pages, "2-sign-up-form")
    for label, page in pages.items():
        email = f"ann-{label}@example.com"
        flows.sign_up(page, demo, email)
    _shoot(pages, "3-enable-prompt")
    for page in pages.values():
        page.get_by_role("button", name="Use an authenticator app").click()
        expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    _shoot(pages, "4-scan-qr-code")
    for label, page in pages.items():
        secrets[label] = "".join(page.get_by_label("Secret key").inner_text().split())
        page.get_by_label("Code from your app").fill(flows.phone_code(secrets[label]))
        page.get_by_role("button", name="Enable").click()
        expect(page.get_by_text("Two-factor authentication is on")).to_be_visible()
    _shoot(pages, "5-two-factor-on")
    for label, page in pages.items():
        flows.open_home(page, demo)
        flows.log_out(page)
        flows.log_in_with_password(page, f"ann-{label}@example.com")
    _shoot(pages, "6-code-step")
    for label, page in pages.items():
        flows.enter_code(page, flows.phone_code(secrets[label]))
        flows.expect_home(page, f"ann-{label}@example.com", "on (authenticator app)")
    _shoot(pages, "7-app-home")
    for page in pages.values():
        flows.open_settings(page)
        flows.add_passkey_with_the_keyboard(page, "Laptop")
    _shoot(pages, "8-passkeys")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir, sync_playwright() as playwright:
        # localhost, not 127.0.0.1: WebAuthn refuses IP addresses (the passkey step).
        urls = {n: f"http://localhost:{free_port()}" for n in ("AUTH_SERVER_URL", "APP_URL", "FRONTEND_URL")}
        environ = {k: v for k, v in os.environ.items() if not k.endswith("_URL")}
        demo = Stack.configure(environ, DATA_DIR=data_dir, **urls)
        demo.log = open(Path(data_dir) / "processes.log", "w")  # noqa: SIM115 - closed with the stack
        demo.start()
        try:
            executable = chromium_executable(playwright.chromium.executable_path)
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            pages = {}
            for label, (width, height) in WIDTHS.items():
                pages[label] = browser.new_context(viewport={"width": width, "height": height}).new_page()
                flows.add_virtual_authenticator(pages[label])
            walkthrough(pages, demo)
            browser.close()
        finally:
            demo.stop()
            demo.log.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
