"""/auth/two-factor/disable turns two-factor off only with a valid current code."""

from urllib.parse import urlencode

from backend.common import totp

from .helpers import ADMIN_AUTH, FRONTEND_AUTH, follow, implicit_query, log_in, submit

RETURN = "http://localhost:3000/settings/two-factor"


def signed_in_with_totp(client, clock, secret):
    page = log_in(client, implicit_query(), email="bob@example.com")
    assert submit(client, page, {"token": totp.code_at(secret, clock())}).status_code == 302
    clock.advance(30)  # the login used this step's code


def enabled(client, user_id):
    return client.get(f"/User/{user_id}", auth=ADMIN_AUTH).get_json()["twoFactor"]["enabled"]


def test_disable_with_a_valid_code_then_back_to_the_app(client, clock, totp_user):
    signed_in_with_totp(client, clock, totp_user["secret"])
    page = client.get("/auth/two-factor/disable?" + urlencode({"redirect_uri": RETURN}))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ">Disable two-factor authentication</button>" in html

    response = submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())})

    assert response.status_code == 302 and response.headers["Location"] == RETURN
    assert enabled(client, totp_user["id"]) is False


def test_wrong_code_keeps_two_factor_on(client, clock, totp_user):
    signed_in_with_totp(client, clock, totp_user["secret"])
    page = client.get("/auth/two-factor/disable")
    good = totp.code_at(totp_user["secret"], clock())
    response = submit(client, page, {"token": f"{(int(good) + 1) % 1_000_000:06d}"})
    assert response.status_code == 401
    assert "That code is not valid. Try again." in response.get_data(as_text=True)
    assert enabled(client, totp_user["id"]) is True
    old = submit(client, page, {"token": totp.code_at(totp_user["secret"], clock() - 30)})
    assert old.status_code == 401 and enabled(client, totp_user["id"]) is True


def test_unregistered_return_url_gives_a_done_page(client, clock, totp_user):
    signed_in_with_totp(client, clock, totp_user["secret"])
    page = client.get("/auth/two-factor/disable?redirect_uri=https://evil.example/")
    response = submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())})
    assert response.status_code == 200 and "Two-factor authentication is off" in response.get_data(
        as_text=True
    )


def test_not_signed_in_asks_for_a_login_first(client, clock, totp_user):
    response = client.get("/auth/two-factor/disable?" + urlencode({"redirect_uri": RETURN}))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login_page = follow(client, response)
    step = submit(client, login_page, {"email": "bob@example.com", "password": "correct horse"})
    back = submit(client, step, {"token": totp.code_at(totp_user["secret"], clock())})
    assert back.status_code == 302 and back.headers["Location"].startswith("/auth/two-factor/disable")
    clock.advance(30)
    page = follow(client, back)
    done = submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())})
    assert done.headers["Location"] == RETURN and enabled(client, totp_user["id"]) is False


def test_email_user_gets_a_code_for_the_disable_page(client, admin, clock, http_recorder):
    admin.set_webhook(http_recorder.url)
    secret = totp.new_secret()
    user = admin.create_user(
        "eve@example.com",
        "correct horse",
        twoFactor={"enabled": True, "transport": "email", "secretKey": secret},
    )
    step = log_in(client, implicit_query(), email="eve@example.com")
    done = submit(client, step, {"token": http_recorder.requests[-1].json()["token"]})
    assert done.headers["Location"].startswith(FRONTEND_AUTH)

    page = client.get("/auth/two-factor/disable")
    assert ">Send code</button>" in page.get_data(as_text=True)
    too_soon = submit(client, page, {}, index=1)  # the login's code went out a moment ago
    assert too_soon.status_code == 429 and "You can ask for a new one in 30 seconds." in too_soon.text
    assert len(http_recorder.requests) == 1
    clock.advance(30)
    page = follow(client, submit(client, too_soon, {}, index=1))
    assert len(http_recorder.requests) == 2
    response = submit(client, page, {"token": http_recorder.requests[-1].json()["token"]})
    assert response.status_code == 200 and enabled(client, user["id"]) is False


def test_disable_page_sends_at_most_five_codes_in_ten_minutes(client, admin, clock, http_recorder):
    admin.set_webhook(http_recorder.url)
    admin.create_user(
        "eve@example.com",
        "correct horse",
        twoFactor={"enabled": True, "transport": "sms", "secretKey": totp.new_secret()},
        phoneNumber="+12025550100",
    )
    step = log_in(client, implicit_query(), email="eve@example.com")
    submit(client, step, {"token": http_recorder.requests[-1].json()["token"]})
    page = client.get("/auth/two-factor/disable")
    for _ in range(4):
        clock.advance(30)
        page = follow(client, submit(client, page, {}, index=1))
    assert len(http_recorder.requests) == 5
    clock.advance(30)
    refused = submit(client, page, {}, index=1)
    assert refused.status_code == 429 and "Too many codes were sent." in refused.text
    assert len(http_recorder.requests) == 5
