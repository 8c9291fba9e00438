"""DELETE /Session: the token stops working and the login session behind the cookie ends."""

from urllib.parse import urlencode

from .helpers import PASSWORD, fragment, implicit_query, log_in, submit


def sign_in(client):
    location = log_in(client, implicit_query()).headers["Location"]
    return fragment(location)["access_token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_delete_session_revokes_token_and_cookie(client, user):
    token = sign_in(client)
    copied_cookie = client.get_cookie("authserver_session").value
    assert client.get("/auth/userinfo", headers=bearer(token)).status_code == 200

    assert client.delete("/Session", headers=bearer(token)).status_code == 204

    info = client.get("/auth/userinfo", headers=bearer(token))
    assert info.status_code == 401 and info.get_json()["error"]["code"] == "invalid_token"
    client.set_cookie("authserver_session", copied_cookie)
    again = client.get("/auth/authorize?" + urlencode(implicit_query()))
    assert again.status_code == 200 and ">Log in</button>" in again.get_data(as_text=True)


def test_other_tokens_of_the_same_login_session_also_stop(client, user):
    first = sign_in(client)
    second = fragment(client.get("/auth/authorize?" + urlencode(implicit_query())).headers["Location"])
    assert client.delete("/Session", headers=bearer(first)).status_code == 204
    assert client.get("/auth/userinfo", headers=bearer(second["access_token"])).status_code == 401


def test_login_rotates_the_session_id(client, user):
    sign_in(client)
    before = client.get_cookie("authserver_session").value
    page = client.get("/auth/login")
    done = submit(client, page, {"email": "ann@example.com", "password": PASSWORD})
    assert done.status_code == 200 and "Signed in as ann@example.com" in done.get_data(as_text=True)
    client.set_cookie("authserver_session", before)
    old = client.get("/auth/done")
    assert old.status_code == 302 and "/auth/login" in old.headers["Location"]


def test_session_cookie_flags(client, user):
    response = log_in(client, implicit_query())
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("authserver_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_userinfo_and_delete_session_need_a_valid_token(client):
    for response in (
        client.get("/auth/userinfo"),
        client.get("/auth/userinfo", headers=bearer("nope")),
        client.get("/auth/userinfo", headers={"Authorization": "Basic Zm9vOmJhcg=="}),
        client.delete("/Session"),
        client.delete("/Session", headers=bearer("nope")),
    ):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_token"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_refused(client, user, clock):
    token = sign_in(client)
    clock.advance(3601)
    assert client.get("/auth/userinfo", headers=bearer(token)).status_code == 401


def test_userinfo_never_shows_secrets(client, admin, user):
    admin.patch_user(user["id"], {"phoneNumber": "+14155550100", "twoFactor": {"transport": "sms"}})
    info = client.get("/auth/userinfo", headers=bearer(sign_in(client))).get_json()
    assert info == {
        "id": user["id"],
        "email": "ann@example.com",
        "phoneNumber": "+14155550100",
        "twoFactor": {"enabled": False, "transport": "sms"},
    }
