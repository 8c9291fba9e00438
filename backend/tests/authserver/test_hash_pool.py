"""Password hashes run in the low-priority pool, not in the request's thread; a pool that fails or is
late answers 503 and changes nothing."""

from __future__ import annotations

import os
import threading

import pytest

from backend.authserver.accounts import passwords
from backend.authserver.accounts.hash_pool import HashPool, PasswordCheckUnavailable
from backend.authserver.extensions import db
from backend.authserver.models import User
from backend.authserver.settings import load_settings

from .helpers import implicit_query, log_in
from .test_api_login import api_login
from .test_signup_notify import sign_up


def where_it_ran(monkeypatch, name: str) -> list[tuple[int, int]]:
    """Wrap ``passwords.<name>`` to record the thread and the nice value each call ran with."""
    calls: list[tuple[int, int]] = []
    original = getattr(passwords, name)

    def recorded(*args):
        calls.append((threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0)))
        return original(*args)

    monkeypatch.setattr(passwords, name, recorded)
    return calls


def failing(monkeypatch, name: str) -> None:
    def broken(*args):
        raise MemoryError("argon2 could not allocate its memory")

    monkeypatch.setattr(passwords, name, broken)


def user_count(app) -> int:
    with app.app_context():
        return db.session.query(User).count()


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="nice values are a POSIX feature")
def test_a_login_checks_the_password_in_another_thread_at_lower_priority(app, client, user, monkeypatch):
    calls = where_it_ran(monkeypatch, "verify")

    assert api_login(client, "ann@example.com").status_code == 200

    [(thread, nice)] = calls
    assert thread != threading.get_native_id()
    assert nice == os.getpriority(os.PRIO_PROCESS, 0) + app.config["AUTH_PASSWORD_HASH_NICE"]


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="nice values are a POSIX feature")
def test_a_signup_hashes_the_password_in_another_thread(client, monkeypatch):
    calls = where_it_ran(monkeypatch, "hash_password")

    sign_up(client)

    [(thread, _)] = calls
    assert thread != threading.get_native_id()


def test_the_request_thread_keeps_its_priority(client, user):
    before = os.getpriority(os.PRIO_PROCESS, 0)
    api_login(client, "ann@example.com")
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


def test_a_failed_hash_answers_the_json_login_503_and_counts_no_wrong_password(client, user, monkeypatch):
    original = passwords.verify
    failing(monkeypatch, "verify")
    for _ in range(8):  # more than the 5 wrong passwords a minute that would lock the account
        response = api_login(client, "ann@example.com")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.get_json()["error"]["code"] == "service_unavailable"
        assert "Try again" in response.get_json()["error"]["message"]

    monkeypatch.setattr(passwords, "verify", original)
    assert api_login(client, "ann@example.com").status_code == 200


def test_a_failed_hash_answers_the_login_form_503_with_a_message(client, user, monkeypatch):
    failing(monkeypatch, "verify")
    response = log_in(client, implicit_query())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert 'value="ann@example.com"' in response.get_data(as_text=True)
    assert "Try again in a few seconds" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_failed_hash_at_signup_creates_no_account(app, client, monkeypatch):
    users = user_count(app)
    failing(monkeypatch, "hash_password")
    assert sign_up(client).status_code == 503
    assert user_count(app) == users


def test_a_late_hash_answers_unavailable_and_what_queued_behind_it_is_dropped():
    pool = HashPool(threads=1, nice=0, timeout=0.01)
    release, ran = threading.Event(), []
    try:
        with pytest.raises(PasswordCheckUnavailable):
            pool.run(release.wait)  # holds the pool's only thread until released
        with pytest.raises(PasswordCheckUnavailable):
            pool.run(ran.append, "late")
    finally:
        release.set()
    pool.timeout = 5
    assert pool.run(lambda: "answered") == "answered"
    assert ran == []
    pool.shutdown()


def test_a_stopped_pool_answers_unavailable():
    pool = HashPool(threads=1, nice=0, timeout=1)
    pool.shutdown()
    with pytest.raises(PasswordCheckUnavailable):
        pool.run(lambda: "never run")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AUTH_PASSWORD_HASH_NICE", "20"),
        ("AUTH_PASSWORD_HASH_NICE", "-5"),
        ("AUTH_PASSWORD_HASH_THREADS", "0"),
        ("AUTH_PASSWORD_HASH_TIMEOUT_SECONDS", "never"),
    ],
)
def test_a_wrong_pool_setting_stops_start_up_naming_it(tmp_path, name, value):
    required = {"ADMIN_CLIENT_SECRET": "s", "AUTH_SECRET_KEY": "k", "AUTH_ENCRYPTION_KEY": "e" * 32}
    with pytest.raises(RuntimeError, match=name):
        load_settings({name: value}, {**required, "DATA_DIR": str(tmp_path)})
