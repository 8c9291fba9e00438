"""A browser's 2FA login, request by request: app /login, the auth server's forms, the app's callback."""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin, urlsplit

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


def _form(response: requests.Response) -> tuple[str, str]:
    action, csrf = _ACTION.search(response.text), _CSRF.search(response.text)
    if response.status_code != 200 or not action or not csrf:
        raise LoginFailed(f"expected a form, got HTTP {response.status_code} from {response.url}")
    return unescape(action.group(1)), unescape(csrf.group(1))


def _redirect(response: requests.Response) -> str:
    if response.status_code != 302:
        raise LoginFailed(f"expected a redirect, got HTTP {response.status_code} from {response.url}")
    return urljoin(response.url, response.headers["Location"])


@dataclass
class PendingLogin:
    """A browser that gave the password and now shows the TOTP form."""

    browser: requests.Session
    action: str
    csrf: str


def to_code_step(start_url: str, user: BenchUser) -> PendingLogin:
    """Open ``start_url`` (the app's /login or an authorize URL), follow to the form, give the password."""
    browser = requests.Session()
    page = browser.get(start_url, allow_redirects=False)
    if page.status_code == 302:  # the app's /login sends the browser to the auth server
        page = browser.get(_redirect(page), allow_redirects=False)
    action, csrf = _form(page)
    data = {"csrf_token": csrf, "email": user.email, "password": user.password}
    step_page = browser.post(urljoin(page.url, action), data=data, allow_redirects=False)
    if step_page.status_code == 302:  # an auth server that sends the code form as a separate page
        step_page = browser.get(_redirect(step_page), allow_redirects=False)
    action, csrf = _form(step_page)
    return PendingLogin(browser, urljoin(step_page.url, action), csrf)


def submit_code(pending: PendingLogin, code: str) -> requests.Response:
    """The TOTP submit alone (the request whose latency the benchmark reports)."""
    data = {"csrf_token": pending.csrf, "token": code}
    return pending.browser.post(pending.action, data=data, allow_redirects=False)


def finish(pending: PendingLogin, response: requests.Response) -> str:
    """After the accepted code: the client's redirect URI (the app's callback), which the auth server
    answers with at once (or after one more /auth/authorize on an auth server that sends it there).

    Returns the final Location: the frontend for the code flow, ``...#access_token=`` for implicit.
    """
    back = _redirect(response)
    if urlsplit(back).path.endswith("/auth/authorize"):
        back = _redirect(pending.browser.get(back, allow_redirects=False))
    if "/auth/callback" in back:
        return _redirect(pending.browser.get(back, allow_redirects=False))
    return back


def full_login(start_url: str, pool: UserPool) -> tuple[requests.Session, str]:
    """One whole 2FA login of the next free user: the browser (with its cookies) and the final URL."""
    user, step = pool.take()
    try:
        pending = to_code_step(start_url, user)
        final = finish(pending, submit_code(pending, totp.code_at(user.secret, step * totp.STEP_SECONDS)))
    finally:
        pool.give_back(user)
    return pending.browser, final
