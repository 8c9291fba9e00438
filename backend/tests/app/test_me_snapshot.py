"""GET /api/me answers from the app's snapshot of the user, which is at most APP_PROFILE_MAX_AGE old."""

from __future__ import annotations

import threading

from .conftest import follow_sign_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery"
OFF = {"enabled": False, "method": None}
ON = {"enabled": True, "method": "totp"}


def user_calls(fake_auth) -> list[str]:
    """The requests the app made to the auth server about the signed-in user since the last clear."""
    return [line for line in fake_auth.seen if "/User/" in line or "/auth/userinfo" in line]


def test_me_is_served_without_asking_the_auth_server(signed_in, fake_auth):
    fake_auth.seen.clear()
    for _ in range(3):
        response = signed_in.get("/api/me")
        assert response.status_code == 200
        assert response.json == {"id": fake_auth.user["id"], "email": "ann@example.com", "twoFactor": OFF}
    assert fake_auth.seen == []


def test_a_change_made_elsewhere_shows_once_the_snapshot_is_older_than_the_max_age(
    signed_in, fake_auth, clock
):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}  # e.g. another app's doing
    fake_auth.seen.clear()
    clock.advance(30)
    assert signed_in.get("/api/me").json["twoFactor"] == OFF, "up to 30 s old: the snapshot"
    assert fake_auth.seen == []

    clock.advance(1)
    assert signed_in.get("/api/me").json["twoFactor"] == OFF, "older: still answered from the snapshot"
    refreshes_done(signed_in)
    assert fake_auth.seen == [f"GET /User/{fake_auth.user['id']}"], "read again beside the request"
    assert signed_in.get("/api/me").json["twoFactor"] == ON
    assert len(fake_auth.seen) == 1, "the refreshed snapshot is fresh again"


def refreshes_done(client) -> None:
    client.application.extensions["profile_refresh"].wait()


def test_me_does_not_wait_for_the_auth_server_to_refresh_a_stale_snapshot(signed_in, fake_auth, clock):
    release = threading.Event()
    real_user = fake_auth.app.view_functions["get_user"]

    def slow_user(*args, **kwargs):
        release.wait(10)
        return real_user(*args, **kwargs)

    fake_auth.app.view_functions["get_user"] = slow_user
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    clock.advance(31)
    try:
        assert signed_in.get("/api/me").json["twoFactor"] == OFF, "answered while the auth server is busy"
        assert signed_in.get("/api/me").json["twoFactor"] == OFF
    finally:
        release.set()
    refreshes_done(signed_in)
    assert fake_auth.seen.count(f"GET /User/{fake_auth.user['id']}") == 1, "one refresh at a time per user"
    assert signed_in.get("/api/me").json["twoFactor"] == ON


def test_a_failed_refresh_keeps_the_snapshot_and_the_next_read_tries_again(signed_in, fake_auth, clock):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    real_user = fake_auth.app.view_functions["get_user"]
    fake_auth.app.view_functions["get_user"] = lambda user_id: ("down for maintenance", 503)
    clock.advance(31)
    assert signed_in.get("/api/me").json["twoFactor"] == OFF
    refreshes_done(signed_in)
    fake_auth.app.view_functions["get_user"] = real_user
    assert signed_in.get("/api/me").json["twoFactor"] == OFF, "the refresh failed: the snapshot stays"
    refreshes_done(signed_in)
    assert signed_in.get("/api/me").json["twoFactor"] == ON


def test_the_max_age_is_a_setting(app_config, fake_auth, clock):
    from backend.app import create_app

    client = create_app({**app_config, "APP_PROFILE_MAX_AGE": 5}).test_client()
    follow_sign_in(client)
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    clock.advance(6)
    client.get("/api/me")
    refreshes_done(client)
    assert client.get("/api/me").json["twoFactor"] == ON


def test_the_settings_read_refreshes_me_after_disabling_on_the_auth_servers_page(signed_in, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    assert signed_in.get("/api/user/two-factor").json["enabled"] is True
    assert signed_in.get("/api/me").json["twoFactor"] == ON

    # The auth server's /auth/two-factor/disable page, then back to the app's settings page.
    fake_auth.user["twoFactor"] = {"enabled": False}
    assert signed_in.get("/api/user/two-factor").json["enabled"] is False
    fake_auth.seen.clear()
    assert signed_in.get("/api/me").json["twoFactor"] == OFF
    assert fake_auth.seen == []


def test_changes_through_the_app_show_at_once_in_every_session_of_the_user(signed_in, app, fake_auth, clock):
    other = app.test_client()
    follow_sign_in(other)
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    assert other.get("/api/user/two-factor").json["enabled"] is True
    assert signed_in.get("/api/me").json["twoFactor"] == ON

    assert signed_in.delete("/api/user/two-factor", json={"password": PASSWORD}).status_code == 200
    fake_auth.seen.clear()
    assert other.get("/api/me").json["twoFactor"] == OFF
    assert signed_in.get("/api/me").json["twoFactor"] == OFF
    assert fake_auth.seen == []


def test_totp_setup_and_confirmation_show_in_me(signed_in, fake_auth, clock):
    from backend.common import totp

    secret = signed_in.post("/api/user/two-factor", json={}).json["secret"]
    code = totp.code_at(secret, clock())
    confirm = signed_in.put("/api/user/two-factor", json={"enabled": True, "method": "totp", "code": code})
    assert confirm.status_code == 200
    fake_auth.seen.clear()
    assert signed_in.get("/api/me").json["twoFactor"] == ON
    assert fake_auth.seen == []


def test_a_deleted_user_gets_401_from_me_once_the_snapshot_is_too_old(signed_in, fake_auth, clock):
    del fake_auth.users[fake_auth.user["id"]]
    assert signed_in.get("/api/me").status_code == 200, "within the max age: the snapshot"
    clock.advance(31)
    assert signed_in.get("/api/me").status_code == 200, "stale: answered, and read again beside"
    refreshes_done(signed_in)
    response = signed_in.get("/api/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    fake_auth.__post_init__()  # the same id exists again, but this session is over
    assert signed_in.get("/api/me").status_code == 401


def test_a_deleted_user_found_by_one_session_is_401_in_the_others_at_once(signed_in, app, fake_auth):
    other = app.test_client()
    follow_sign_in(other)
    del fake_auth.users[fake_auth.user["id"]]
    assert other.get("/api/user/two-factor").status_code == 401
    assert signed_in.get("/api/me").status_code == 401


def test_sms_number_shows_masked_in_me(signed_in, fake_auth):
    fake_auth.user.update(
        phoneNumber="+14155550100", twoFactor={"enabled": True, "secretKey": SECRET, "transport": "sms"}
    )
    signed_in.get("/api/user/two-factor")
    assert signed_in.get("/api/me").json["twoFactor"] == {
        "enabled": True,
        "method": "sms",
        "phone": "+1 ••• ••• 0100",
    }


def test_sign_in_uses_the_userinfo_sent_with_the_token(client, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    response = follow_sign_in(client)
    assert response.location.endswith("/app")
    assert user_calls(fake_auth) == [], "no GET /auth/userinfo and no GET /User"
    assert client.get("/api/me").json["twoFactor"] == ON
    assert user_calls(fake_auth) == []


def test_sign_in_asks_for_userinfo_when_the_token_response_has_none(client, fake_auth):
    fake_auth.userinfo_in_token = False
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    response = follow_sign_in(client)
    assert response.location.endswith("/app")
    assert user_calls(fake_auth) == ["GET /auth/userinfo"]
    assert client.get("/api/me").json["twoFactor"] == ON
    assert user_calls(fake_auth) == ["GET /auth/userinfo"]


def test_odd_userinfo_in_the_token_response_fails_the_sign_in(client, fake_auth, monkeypatch):
    real = fake_auth.userinfo
    monkeypatch.setattr(fake_auth, "userinfo", lambda user_id: {**real(user_id), "email": None})
    response = follow_sign_in(client)
    assert response.location.endswith("/signin?error=server_error")
    assert client.get("/api/me").status_code == 401


def test_bearer_me_comes_from_the_userinfo_that_checked_the_token(client, fake_auth):
    token = fake_auth.issue_token()
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json["twoFactor"] == ON
    assert fake_auth.seen == ["POST /auth/introspect", "GET /auth/userinfo"]
