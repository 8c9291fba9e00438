"""The JSON login API shares the forms' throttle and recovery codes: 429 + Retry-After, then it works."""

from backend.common import totp

from .helpers import ADMIN_AUTH
from .test_api_login import api_login, complete
from .test_second_factor_lock import twenty_wrong_codes


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_wrong_passwords_are_throttled(client, totp_user, clock):
    statuses = [api_login(client, "bob@example.com", "wrong password").status_code for _ in range(6)]
    assert statuses == [404] * 5 + [429]
    throttled = api_login(client, "bob@example.com")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    clock.advance(int(throttled.headers["Retry-After"]) + 1)
    assert api_login(client, "bob@example.com").status_code == 242


def test_wrong_codes_are_throttled_and_a_right_code_works_after_the_wait(client, totp_user, clock):
    good = totp.code_at(totp_user["secret"], clock())
    statuses = []
    for _ in range(3):  # each twoFactorId takes at most five wrong codes
        two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
        statuses += [complete(client, two_factor_id, _wrong(good)).status_code for _ in range(2)]
    assert statuses == [421] * 5 + [429]
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    throttled = complete(client, two_factor_id, good)
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    clock.advance(int(throttled.headers["Retry-After"]) + 1)
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    fresh = totp.code_at(totp_user["secret"], clock())
    assert complete(client, two_factor_id, fresh).status_code == 200


def test_a_recovery_code_completes_an_api_login_once(client, totp_user):
    codes = client.post(f"/User/{totp_user['id']}/$recovery-codes", json={}, auth=ADMIN_AUTH).get_json()
    recovery = codes["recoveryCodes"][0]
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    assert complete(client, two_factor_id, recovery).status_code == 200
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    assert complete(client, two_factor_id, recovery).status_code == 421


def test_locked_codes_are_423_and_a_recovery_code_still_completes(client, totp_user, clock):
    recovery = client.post(f"/User/{totp_user['id']}/$recovery-codes", json={}, auth=ADMIN_AUTH).get_json()
    twenty_wrong_codes(client, totp_user, clock)
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    locked = complete(client, two_factor_id, totp.code_at(totp_user["secret"], clock()))
    assert locked.status_code == 423 and locked.get_json()["error"]["code"] == "second_factor_locked"
    assert complete(client, two_factor_id, recovery["recoveryCodes"][0]).status_code == 200
