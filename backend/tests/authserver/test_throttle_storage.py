"""Where the throttle counts: the auth server's database by default, so a restart forgets nothing."""

from __future__ import annotations

from backend.authserver import create_app
from backend.common import totp

from .conftest import seed
from .helpers import Admin
from .test_second_factor_lock import verify
from .test_throttle import wrong


def five_wrong_codes(client, user, clock) -> None:
    bad = wrong(user["secret"], clock)
    assert [verify(client, user, bad).status_code for _ in range(5)] == [422] * 5


def test_wrong_codes_still_count_after_a_restart(config, client, totp_user, clock):
    five_wrong_codes(client, totp_user, clock)
    restarted = create_app(config).test_client()
    assert verify(restarted, totp_user, totp.code_at(totp_user["secret"], clock())).status_code == 429


def test_memory_storage_counts_in_one_process_and_forgets_on_restart(config, clock):
    config = {**config, "RATELIMIT_STORAGE_URI": "memory://"}
    client = create_app(config).test_client()
    seed(Admin(client))
    secret = totp.new_secret()
    user = Admin(client).create_user(
        "mem@example.com", "correct horse", twoFactor={"enabled": True, "secretKey": secret}
    )
    user = {**user, "secret": secret}
    five_wrong_codes(client, user, clock)
    assert verify(client, user, totp.code_at(secret, clock())).status_code == 429
    restarted = create_app(config).test_client()
    assert verify(restarted, user, totp.code_at(secret, clock())).status_code == 200
