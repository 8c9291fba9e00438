"""The daily cap: after 20 wrong codes in a day a user's codes lock until a recovery code or an admin.

With validPastTokensCount 5, seven codes are valid at any moment: 20 guesses a day win with odds of
about 20 x 7 / 10^6, and the lock does not end by itself, so guessing cannot go on day after day.
"""

from __future__ import annotations

from backend.common import totp

from .helpers import ADMIN_AUTH
from .test_recovery_codes import new_codes
from .test_throttle import wrong
from .test_totp_step import assert_signed_in, enter, to_step_page

LOCKED = "two-factor codes are locked for this account. Sign in with a recovery code to unlock them"


def verify(client, user, code):
    return client.post(f"/User/{user['id']}/$verify-totp", json={"code": code}, auth=ADMIN_AUTH)


def twenty_wrong_codes(client, user, clock) -> None:
    """Five at a time, waiting out the short tiers in between: twenty in an hour, all looked at."""
    bad = wrong(user["secret"], clock)
    for _ in range(4):
        assert [verify(client, user, bad).status_code for _ in range(5)] == [422] * 5
        clock.advance(15 * 60)


def test_twenty_wrong_codes_lock_the_codes_even_after_a_week(client, totp_user, clock):
    twenty_wrong_codes(client, totp_user, clock)
    clock.advance(7 * 24 * 3600)
    page = to_step_page(client)
    refused = enter(client, page, totp.code_at(totp_user["secret"], clock()))
    assert refused.status_code == 423 and "Retry-After" not in refused.headers
    assert LOCKED in refused.get_data(as_text=True)
    locked = verify(client, totp_user, totp.code_at(totp_user["secret"], clock()))
    assert locked.status_code == 423 and locked.get_json()["error"]["code"] == "second_factor_locked"
    events = client.get(f"/AuditEvent?user={totp_user['id']}", auth=ADMIN_AUTH).get_json()["entry"]
    assert "second-factor-locked" in [event["resource"]["type"] for event in events]


def test_a_recovery_code_signs_in_and_unlocks_the_codes(client, totp_user, clock):
    codes = new_codes(client, totp_user["id"])
    twenty_wrong_codes(client, totp_user, clock)
    page = to_step_page(client)
    assert enter(client, page, totp.code_at(totp_user["secret"], clock())).status_code == 423
    assert_signed_in(client, enter(client, page, codes[0]))
    clock.advance(30)
    assert verify(client, totp_user, totp.code_at(totp_user["secret"], clock())).status_code == 200


def test_the_admin_lockout_clear_unlocks_the_codes(client, totp_user, clock):
    twenty_wrong_codes(client, totp_user, clock)
    assert verify(client, totp_user, totp.code_at(totp_user["secret"], clock())).status_code == 423
    assert client.delete(f"/User/{totp_user['id']}/$lockout", auth=ADMIN_AUTH).status_code == 204
    assert verify(client, totp_user, totp.code_at(totp_user["secret"], clock())).status_code == 200


def test_wrong_codes_while_setting_up_do_not_lock(client, user, admin, clock):
    secret = totp.new_secret()
    admin.patch_user(user["id"], {"twoFactor": {"enabled": False, "secretKey": secret}})
    twenty_wrong_codes(client, {**user, "secret": secret}, clock)
    assert verify(client, user, totp.code_at(secret, clock())).status_code == 200


def test_turning_two_factor_off_ends_the_lock(client, admin, totp_user, clock):
    twenty_wrong_codes(client, totp_user, clock)
    admin.patch_user(totp_user["id"], {"twoFactor": {"enabled": False}})
    admin.patch_user(totp_user["id"], {"twoFactor": {"enabled": True}})
    assert verify(client, totp_user, wrong(totp_user["secret"], clock)).status_code == 422
    assert verify(client, totp_user, totp.code_at(totp_user["secret"], clock())).status_code == 200
