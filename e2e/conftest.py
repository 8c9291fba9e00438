"""The whole demo on free ports, and Chromium: Debian's where Playwright's own build is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from backend.launcher import Stack, free_port
from backend.tests.support import SmtpSink

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
THEME_TITLE = "Acme Health sign-in"


def chromium_executable(bundled_path: str) -> str | None:
    """E2E_CHROMIUM when set; else None (Playwright's own) when installed; else a system Chromium."""
    configured = os.environ.get("E2E_CHROMIUM")
    if configured:
        return shutil.which(configured) or configured
    if bundled_path and Path(bundled_path).exists():
        return None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_type):
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    executable = chromium_executable(browser_type.executable_path)
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.close()


@contextmanager
def running_demo(data_dir: Path, smtp: SmtpSink, host: str) -> Iterator[Stack]:
    """The auth server, the manifest, the backend app and the frontend, as `make start` runs them, with
    URLs on ``host`` and free ports."""
    urls = {name: f"http://{host}:{free_port()}" for name in ("AUTH_SERVER_URL", "APP_URL", "FRONTEND_URL")}
    environ = {
        key: value for key, value in os.environ.items() if not key.startswith(("SMTP_", "SMS_", "THEME_"))
    }
    stack = Stack.configure(
        environ,
        DATA_DIR=str(data_dir),
        SMTP_HOST=smtp.host,
        SMTP_PORT=str(smtp.port),
        SMTP_FROM="demo@example.com",
        THEME_TITLE=THEME_TITLE,
        APP_MODE="demo",
        # Every test signs a new user up from 127.0.0.1: more than a person's 20 an hour.
        THROTTLE_SIGNUP_IP_LIMITS="1000/hour",
        **urls,
    )
    log_path = data_dir / "processes.log"
    with log_path.open("w") as log:
        stack.log = log
        stack.start()
        try:
            yield stack
        finally:
            stack.stop()
    print(f"process log: {log_path}")


@pytest.fixture(scope="session")
def demo(tmp_path_factory, smtp) -> Iterator[Stack]:
    """The whole demo on 127.0.0.1."""
    with running_demo(tmp_path_factory.mktemp("data"), smtp, "127.0.0.1") as stack:
        yield stack


@pytest.fixture(scope="session")
def localhost_demo(tmp_path_factory, smtp) -> Iterator[Stack]:
    """The whole demo on ``localhost`` URLs: WebAuthn refuses IP addresses, so passkeys need a host name."""
    with running_demo(tmp_path_factory.mktemp("localhost-data"), smtp, "localhost") as stack:
        yield stack


@pytest.fixture
def page(page, demo):
    page.set_default_timeout(10_000)
    return page
