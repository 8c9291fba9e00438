"""Recovery codes: ten single-use codes, hashed at rest; one signs in once; regenerating drops the old set."""

from __future__ import annotations

import re

from backend.common import totp

from ..databases import stored_bytes
from .helpers import ADMIN_AUTH, form_action
from .test_totp_step import assert_signed_in, enter, to_step_page


def new_codes(client, user_id: str) -> list[str]:
    response = client.post(f"/User/{user_id}/$recovery-codes", json={}, auth=ADMIN_AUTH)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["recoveryCodes"]


def remaining(client, user_id: str) -> int:
    return client.get(f"/User/{user_id}/$recovery-codes", auth=ADMIN_AUTH).get_json()["remaining"]


def test_ten_distinct_codes_in_the_documented_format(client, totp_user):
    codes = new_codes(client, totp_user["id"])
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}", code) for code in codes)
    assert remaining(client, totp_user["id"]) == 10


def test_a_recovery_code_signs_in_once_and_never_again(app, totp_user):
    codes = new_codes(app.test_client(), totp_user["id"])
    first = app.test_client()
    assert_signed_in(first, enter(first, to_step_page(first), codes[0]))
    assert remaining(first, totp_user["id"]) == 9

    second = app.test_client()
    again = enter(second, to_step_page(second), codes[0])
    assert again.status_code == 401 and "That code is not valid" in again.get_data(as_text=True)
    # Typed by hand: upper case and no dash still match.
    assert_signed_in(second, enter(second, again, codes[1].upper().replace("-", "")))


def test_use_a_recovery_code_takes_one_pasted_with_spaces(app, totp_user):
    codes = new_codes(app.test_client(), totp_user["id"])
    client = app.test_client()
    recovery = client.get(form_action(to_step_page(client).text) + "&recovery=1")
    assert '<label for="token">Recovery code</label>' in recovery.text
    assert_signed_in(client, enter(client, recovery, f"  {codes[0]} "))


def test_regenerating_invalidates_the_old_set(app, totp_user):
    client = app.test_client()
    old = new_codes(client, totp_user["id"])
    new = new_codes(client, totp_user["id"])
    assert not set(old) & set(new)
    refused = enter(client, to_step_page(client), old[0])
    assert refused.status_code == 401
    assert_signed_in(client, enter(client, refused, new[0]))


def test_codes_are_not_stored_in_clear(app, config, totp_user):
    codes = new_codes(app.test_client(), totp_user["id"])
    raw = stored_bytes(config["AUTH_DATABASE_URL"])
    for code in codes:
        assert code.encode() not in raw and code.replace("-", "").encode() not in raw


def test_no_codes_while_two_factor_is_off_and_turning_it_off_drops_them(client, admin, user, totp_user):
    refused = client.post(f"/User/{user['id']}/$recovery-codes", json={}, auth=ADMIN_AUTH)
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "two_factor_off"
    new_codes(client, totp_user["id"])
    admin.patch_user(totp_user["id"], {"twoFactor": {"enabled": False}})
    assert remaining(client, totp_user["id"]) == 0


def test_a_recovery_code_does_not_work_on_the_disable_page_or_for_setup(client, totp_user, clock):
    codes = new_codes(client, totp_user["id"])
    response = client.post(f"/User/{totp_user['id']}/$verify-totp", json={"code": codes[0]}, auth=ADMIN_AUTH)
    assert response.status_code == 422
    assert_signed_in(client, enter(client, to_step_page(client), totp.code_at(totp_user["secret"], clock())))
    assert remaining(client, totp_user["id"]) == 10


def test_operations_need_admin(client, totp_user):
    assert client.post(f"/User/{totp_user['id']}/$recovery-codes", json={}).status_code == 401
    assert client.get(f"/User/{totp_user['id']}/$recovery-codes").status_code == 401
