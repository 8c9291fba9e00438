"""Two auth-server processes on one database: a login may hop between them at every request.

Nothing a login needs (login session, pending second factor, CSRF, wrong-code count, last used TOTP
step, codes, tokens) may live in one process's memory. Runs on PostgreSQL under TEST_DATABASE_URL.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

from backend.common import totp
from backend.launcher import REPO, free_port, wait_for_port

from .authserver.helpers import APP_CALLBACK, code_query, pkce_pair

ADMIN = ("admin", "two-instances-admin-secret")
APP_CLIENT = ("two-factor-app", "two-instances-app-secret")
PASSWORD = "correct horse battery"


@contextmanager
def _two_instances(environ: dict[str, str]) -> Iterator[list[str]]:
    """Two auth servers (A, B) started one after the other with the same environment."""
    processes, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "backend.authserver", "--host", "127.0.0.1", "--port", str(port)],
                cwd=REPO,
                env={**environ, "AUTH_SERVER_URL": f"http://127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            wait_for_port("127.0.0.1", port, process)
            urls.append(f"http://127.0.0.1:{port}")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


@pytest.fixture
def environ(databases, tmp_path) -> dict[str, str]:
    """One database and one set of keys for every instance."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "AUTH_DATABASE_URL": databases.url("shared"),
        "AUTH_SECRET_KEY": "one-key-for-every-instance",
        "AUTH_ENCRYPTION_KEY": "one-encryption-key-for-every-instance",
        "ADMIN_CLIENT_ID": ADMIN[0],
        "ADMIN_CLIENT_SECRET": ADMIN[1],
        "DATA_DIR": str(tmp_path),
    }


@pytest.fixture
def instances(environ):
    with _two_instances(environ) as urls:
        yield urls


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A throwaway Redis server (Debian's redis-server) on a free port, with nothing kept on disk."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port, process)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _put(base: str, path: str, body: dict) -> None:
    response = requests.put(f"{base}{path}", json=body, auth=ADMIN, timeout=10)
    assert response.status_code in (200, 201), response.text


def _form(page: requests.Response) -> tuple[str, str]:
    """The form's action (relative) and its CSRF token."""
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert action and csrf, page.text
    return unescape(action.group(1)), unescape(csrf.group(1))


def _to_code_step(browser: requests.Session, first: str, second: str, challenge: str) -> requests.Response:
    """authorize on ``first``, password on ``second`` (which answers with a redirect to the code form);
    the code form from ``first``."""
    page = browser.get(f"{first}/auth/authorize?" + urlencode(code_query(challenge)), timeout=10)
    action, csrf = _form(page)
    response = browser.post(
        urljoin(second, action),
        data={"csrf_token": csrf, "email": "hop@example.com", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303 and "/auth/two-factor?" in response.headers["Location"], response.text
    step = browser.get(urljoin(first, response.headers["Location"]), allow_redirects=False, timeout=10)
    assert step.status_code == 200 and 'name="token"' in step.text
    return step


def test_a_login_alternating_between_two_instances(instances):
    a, b = instances
    _put(a, "/AuthConfig/app", {"twoFactor": {"issuerName": "Demo", "validPastTokensCount": 5}})
    _put(
        b,
        "/Client/two-factor-app",
        {
            "secret": APP_CLIENT[1],
            "first_party": True,
            "grant_types": ["authorization_code", "refresh_token"],
            "auth": {"authorization_code": {"redirect_uri": APP_CALLBACK, "pkce": True}},
        },
    )
    secret = totp.new_secret()
    _put(
        a,
        f"/User/{uuid.uuid4()}",
        {
            "email": "hop@example.com",
            "password": PASSWORD,
            "twoFactor": {"enabled": True, "secretKey": secret},
        },
    )

    browser = requests.Session()
    verifier, challenge = pkce_pair()
    step = _to_code_step(browser, a, b, challenge)
    action, csrf = _form(step)
    code = totp.code_at(secret, totp.system_clock())
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = browser.post(urljoin(b, action), data={"csrf_token": csrf, "token": wrong}, timeout=10)
    assert refused.status_code == 401
    action, csrf = _form(refused)
    verified = browser.post(
        urljoin(a, action), data={"csrf_token": csrf, "token": code}, allow_redirects=False, timeout=10
    )
    assert verified.status_code == 303 and verified.headers["Location"].startswith(APP_CALLBACK + "?")
    auth_code = parse_qs(urlsplit(verified.headers["Location"]).query)["code"][0]

    token = requests.post(
        f"{a}/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": auth_code,
            "redirect_uri": APP_CALLBACK,
            "code_verifier": verifier,
        },
        auth=APP_CLIENT,
        timeout=10,
    )
    assert token.status_code == 200, token.text
    access_token = token.json()["access_token"]
    info = requests.get(f"{b}/auth/userinfo", headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
    assert info.status_code == 200 and info.json()["email"] == "hop@example.com"

    # The code is used up on both instances: a second login cannot replay it on the other one.
    other = requests.Session()
    replay_page = _to_code_step(other, b, a, pkce_pair()[1])
    action, csrf = _form(replay_page)
    replay = other.post(urljoin(b, action), data={"csrf_token": csrf, "token": code}, timeout=10)
    assert replay.status_code == 401

    # Logging out at one instance ends the token at the other.
    assert requests.delete(f"{b}/Session", headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
    gone = requests.get(f"{a}/auth/userinfo", headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
    assert gone.status_code == 401


def _statuses_of_six_wrong_codes_alternating(a: str, b: str) -> list[int]:
    user_id = str(uuid.uuid4())
    secret = totp.new_secret()
    user = {
        "email": "guess@example.com",
        "password": PASSWORD,
        "twoFactor": {"enabled": True, "secretKey": secret},
    }
    _put(a, f"/User/{user_id}", user)
    wrong = f"{(int(totp.code_at(secret, totp.system_clock())) + 1) % 1_000_000:06d}"
    answers = [
        requests.post(f"{base}/User/{user_id}/$verify-totp", json={"code": wrong}, auth=ADMIN, timeout=10)
        for base in (a, b, a, b, a, b)
    ]
    return [answer.status_code for answer in answers]


def test_wrong_codes_count_across_instances_on_the_shared_database(instances):
    assert _statuses_of_six_wrong_codes_alternating(*instances) == [422] * 5 + [429]


def test_wrong_codes_count_across_instances_with_a_shared_throttle(environ, redis_url):
    with _two_instances({**environ, "RATELIMIT_STORAGE_URI": redis_url}) as (a, b):
        assert _statuses_of_six_wrong_codes_alternating(a, b) == [422] * 5 + [429]
