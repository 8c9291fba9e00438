"""Throttling of guesses (NIST SP 800-63B 5.2.2): 429 + Retry-After, then a correct answer works again."""

from __future__ import annotations

import logging

from backend.common import totp

from .helpers import ADMIN_AUTH, implicit_query, log_in, submit
from .test_recovery_codes import new_codes
from .test_totp_step import assert_signed_in, enter, to_step_page


def wrong(secret: str, clock) -> str:
    near = {totp.code_at(secret, clock() + 30 * offset) for offset in range(-6, 2)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in near)


def test_twenty_wrong_codes_none_succeeds_throttled_from_the_sixth(client, totp_user, clock, caplog):
    caplog.set_level(logging.WARNING, logger="authserver.throttle")
    page = to_step_page(client)
    bad = wrong(totp_user["secret"], clock)
    answers = [enter(client, page, bad) for _ in range(20)]

    assert [answer.status_code for answer in answers[:5]] == [401] * 5
    assert all(answer.status_code == 429 for answer in answers[5:])
    retry_after = int(answers[5].headers["Retry-After"])
    assert 0 < retry_after <= 60
    wording = "Try again in 1 minute. You can sign in with a recovery code now."
    assert wording in answers[5].get_data(as_text=True)
    assert "throttled code attempt for user " + totp_user["id"] in caplog.text

    # Locked out, even the right code is not looked at...
    good = totp.code_at(totp_user["secret"], clock())
    assert enter(client, page, good).status_code == 429
    # ...and after the wait it works.
    clock.advance(retry_after)
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))


def test_delay_grows_with_more_wrong_codes(client, totp_user, clock):
    page = to_step_page(client)
    bad = wrong(totp_user["secret"], clock)
    for _ in range(5):
        assert enter(client, page, bad).status_code == 401
    clock.advance(int(enter(client, page, bad).headers["Retry-After"]))
    for _ in range(5):
        assert enter(client, page, bad).status_code == 401
    second_wait = int(enter(client, page, bad).headers["Retry-After"])
    assert second_wait > 60  # the 15-minute tier now


def test_admin_clears_a_lockout(client, admin, totp_user, clock):
    page = to_step_page(client)
    bad = wrong(totp_user["secret"], clock)
    for _ in range(6):
        enter(client, page, bad)
    assert enter(client, page, bad).status_code == 429
    assert client.delete(f"/User/{totp_user['id']}/$lockout").status_code == 401
    assert client.delete(f"/User/{totp_user['id']}/$lockout", auth=ADMIN_AUTH).status_code == 204
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))


def test_wrong_passwords_per_account(client, user, clock):
    for _ in range(5):
        assert log_in(client, implicit_query(), password="wrong password").status_code == 401
    throttled = log_in(client, implicit_query())  # the right password, but too soon
    assert throttled.status_code == 429
    wait = int(throttled.headers["Retry-After"])
    assert "Try again in" in throttled.get_data(as_text=True)
    clock.advance(wait)
    assert log_in(client, implicit_query()).status_code == 303


def test_wrong_passwords_per_client_ip_across_accounts(config):
    from backend.authserver import create_app

    from .conftest import seed
    from .helpers import Admin

    app = create_app({**config, "THROTTLE_IP_LIMITS": "3/minute"})
    client, admin = app.test_client(), Admin(app.test_client())
    seed(admin)
    for number in range(3):
        admin.create_user(f"u{number}@example.com", "correct horse")
        assert (
            log_in(client, implicit_query(), email=f"u{number}@example.com", password="nope").status_code
            == 401
        )
    admin.create_user("fresh@example.com", "correct horse")
    refused = log_in(client, implicit_query(), email="fresh@example.com")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) <= 60


def test_verify_totp_operation_is_throttled_as_json(client, totp_user, clock):
    bad = wrong(totp_user["secret"], clock)
    url = f"/User/{totp_user['id']}/$verify-totp"
    for _ in range(5):
        response = client.post(url, json={"code": bad}, auth=ADMIN_AUTH)
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_code"
    response = client.post(url, json={"code": totp.code_at(totp_user["secret"], clock())}, auth=ADMIN_AUTH)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_attempts"
    clock.advance(int(response.headers["Retry-After"]))
    good = totp.code_at(totp_user["secret"], clock())
    assert client.post(url, json={"code": good}, auth=ADMIN_AUTH).get_json() == {"valid": True}


def test_check_password_operation_is_throttled(client, user):
    url = f"/User/{user['id']}/$check-password"
    for _ in range(5):
        assert client.post(url, json={"password": "nope"}, auth=ADMIN_AUTH).status_code == 422
    response = client.post(url, json={"password": "correct horse"}, auth=ADMIN_AUTH)
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_disable_page_shares_the_code_throttle(client, totp_user, clock):
    page = to_step_page(client)
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))
    clock.advance(30)
    disable = client.get("/auth/two-factor/disable")
    bad = wrong(totp_user["secret"], clock)
    statuses = [submit(client, disable, {"token": bad}).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_the_wait_is_said_in_minutes_and_seconds_and_a_recovery_code_still_works(client, totp_user, clock):
    codes = new_codes(client, totp_user["id"])
    page = to_step_page(client)
    bad = wrong(totp_user["secret"], clock)
    for _ in range(5):
        enter(client, page, bad)
    clock.advance(60)
    for _ in range(5):
        enter(client, page, bad)
    clock.advance(68)
    throttled = enter(client, page, bad)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "772"
    wording = "Too many wrong attempts. Try again in 12 minutes 52 seconds. You can sign in with a recovery"
    assert wording in throttled.get_data(as_text=True)
    assert_signed_in(client, enter(client, page, codes[0]))


def test_the_password_step_says_the_wait_without_recovery_codes(client, user, clock):
    for wait in (60, 68):
        for _ in range(5):
            log_in(client, implicit_query(), password="wrong password")
        clock.advance(wait)
    throttled = log_in(client, implicit_query())
    page = throttled.get_data(as_text=True)
    assert throttled.status_code == 429
    assert "Too many wrong attempts. Try again in 12 minutes 52 seconds." in page
    assert "recovery code" not in page


def test_a_right_code_starts_the_short_count_over(client, totp_user, clock):
    url = f"/User/{totp_user['id']}/$verify-totp"
    bad = wrong(totp_user["secret"], clock)
    for _ in range(4):
        assert client.post(url, json={"code": bad}, auth=ADMIN_AUTH).status_code == 422
    good = totp.code_at(totp_user["secret"], clock())
    assert client.post(url, json={"code": good}, auth=ADMIN_AUTH).status_code == 200
    assert client.post(url, json={"code": bad}, auth=ADMIN_AUTH).status_code == 422
    clock.advance(30)
    fresh = totp.code_at(totp_user["secret"], clock())
    assert client.post(url, json={"code": fresh}, auth=ADMIN_AUTH).status_code == 200


def test_a_code_still_works_while_wrong_recovery_codes_are_throttled(client, totp_user, clock):
    new_codes(client, totp_user["id"])
    page = to_step_page(client)
    statuses = [enter(client, page, "aaaa-aaaa").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    refused = enter(client, page, "bbbb-bbbb").get_data(as_text=True)
    assert "Try again in" in refused and "recovery code now" not in refused
    assert_signed_in(client, enter(client, page, totp.code_at(totp_user["secret"], clock())))
