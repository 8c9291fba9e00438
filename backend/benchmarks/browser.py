"""A browser's 2FA login, request by request: app /login, the auth server's forms, the app's callback."""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

import requests

from backend.common import totp

_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class LoginFailed(RuntimeError):
    pass


@dataclass
class BenchUser:
    email: str
    password: str
    secret: str
    last_step: int | None = None


class UserPool:
    """Hands out users whose next TOTP step is still acceptable (a code works once: RFC 6238 replay).

    A fresh user may use each of the ``past_steps`` earlier steps and the next one, so a pool of N
    users gives about N * (past_steps + 1) logins at once and N more every 30 s.
    """

    def __init__(self, users: list[BenchUser], past_steps: int) -> None:
        self._users = deque(users)
        self._past = max(past_steps - 1, 0)  # one step of margin: the code is entered a moment later
        self._ready = threading.Condition()

    def take(self, timeout: float = 60.0) -> tuple[BenchUser, int]:
        deadline = time.monotonic() + timeout
        with self._ready:
            while True:
                now_step = totp.current_step(time.time())
                for user in self._users:
                    step = now_step - self._past
                    if user.last_step is not None:
                        step = max(step, user.last_step + 1)
                    if step <= now_step + 1:
                        self._users.remove(user)
                        user.last_step = step
                        return user, step
                if time.monotonic() >= deadline:
                    raise LoginFailed("no user has an unused TOTP step left: create more users")
                self._ready.wait(min(1.0, max(deadline - time.monotonic(), 0.01)))

    def give_back(self, user: BenchUser) -> None:
        with self._ready:
            self._users.append(user)
            self._ready.notify()


def _form(page: requests.Response, field: str) -> tuple[str, str]:
    """The action and CSRF token of the page's form with an input named ``field``."""
    action, csrf = _ACTION.search(page.text), _CSRF.search(page.text)
    if page.status_code != 200 or not action or not csrf or f'name="{field}"' not in page.text:
        raise LoginFailed(f"expected a form with {field!r}, got HTTP {page.status_code} from {page.url}")
    return urljoin(page.url, unescape(action.group(1))), unescape(csrf.group(1))


def _walk(browser: requests.Session, response: requests.Response, frontend: str) -> requests.Response | str:
    """Follow redirects the way a browser does: to the next page, or to the frontend's URL (returned).

    The flow may take any number of redirects; the benchmark asserts what the user sees, not the URLs.
    """
    while response.status_code in (301, 302, 303):
        target = urljoin(response.url, response.headers["Location"])
        if target.startswith(frontend):
            return target
        response = browser.get(target, allow_redirects=False)
    return response


@dataclass
class PendingLogin:
    """A browser that gave the password and now shows the TOTP form."""

    browser: requests.Session
    action: str
    csrf: str


def to_code_step(start_url: str, frontend: str, user: BenchUser) -> PendingLogin:
    """Open ``start_url`` (the app's /login or an authorize URL), give the password, reach the code form."""
    browser = requests.Session()
    page = _walk(browser, browser.get(start_url, allow_redirects=False), frontend)
    if isinstance(page, str):
        raise LoginFailed(f"expected the login form, was sent to {page}")
    action, csrf = _form(page, "password")
    data = {"csrf_token": csrf, "email": user.email, "password": user.password}
    step_page = _walk(browser, browser.post(action, data=data, allow_redirects=False), frontend)
    if isinstance(step_page, str):
        raise LoginFailed(f"expected the code form, was sent to {step_page}")
    return PendingLogin(browser, *_form(step_page, "token"))


def submit_code(pending: PendingLogin, code: str) -> requests.Response:
    """The TOTP submit alone."""
    data = {"csrf_token": pending.csrf, "token": code}
    return pending.browser.post(pending.action, data=data, allow_redirects=False)


def finish(pending: PendingLogin, response: requests.Response, frontend: str) -> str:
    """After the accepted code: wherever the flow leads until the frontend (the app's callback on the
    way for the code flow); returns that URL (``...#access_token=`` for the implicit flow)."""
    final = _walk(pending.browser, response, frontend)
    if not isinstance(final, str):
        raise LoginFailed(f"expected the way to the frontend, got HTTP {final.status_code} from {final.url}")
    return final


def full_login(start_url: str, frontend: str, pool: UserPool) -> tuple[dict[str, str], str]:
    """One whole 2FA login of the next free user: the browser's cookies and the final URL.

    The browser's connections are closed at the end, as a browser closes its idle ones: thousands of
    logins would otherwise leave thousands of keep-alive connections open on the servers.
    """
    user, step = pool.take()
    try:
        pending = to_code_step(start_url, frontend, user)
        with pending.browser:
            code = totp.code_at(user.secret, step * totp.STEP_SECONDS)
            final = finish(pending, submit_code(pending, code), frontend)
            return pending.browser.cookies.get_dict(), final
    finally:
        pool.give_back(user)
