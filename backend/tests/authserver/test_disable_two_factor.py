"""/auth/two-factor/disable turns two-factor off only with a valid current code."""

from urllib.parse import urlencode

from backend.common import totp

from .helpers import ADMIN_AUTH, FRONTEND_AUTH, follow, implicit_query, log_in, post_form, submit

RETURN = "http://localhost:3000/settings/two-factor"


def signed_in_with_totp(client, clock, secret):
    page = log_in(client, implicit_query(), email="bob@example.com")
    assert submit(client, page, {"token": totp.code_at(secret, clock())}).status_code == 303
    clock.advance(30)  # the login used this step's code


def enabled(client, user_id):
    return client.get(f"/User/{user_id}", auth=ADMIN_AUTH).get_json()["twoFactor"]["enabled"]


def test_disable_with_a_valid_code_then_back_to_the_app(client, clock, totp_user):
    signed_in_with_totp(client, clock, totp_user["secret"])
    page = client.get("/auth/two-factor/disable?" + urlencode({"redirect_uri": RETURN}))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ">Disable two-factor authentication</button>" in html

    response = post_form(client, page, {"token": totp.code_at(totp_user["secret"], clock())})

    assert response.status_code == 303 and response.headers["Location"] == RETURN
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
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]
    login_page = follow(client, response)
    step = submit(client, login_page, {"email": "bob@example.com", "password": "correct horse"})
    clock.advance(30)  # the code below must not be the one the login used
    page = submit(client, step, {"token": totp.code_at(totp_user["secret"], clock() - 30)})
    assert page.status_code == 200 and ">Disable two-factor authentication</button>" in page.text
    done = post_form(client, page, {"token": totp.code_at(totp_user["secret"], clock())})
    assert done.status_code == 303 and done.headers["Location"] == RETURN
    assert enabled(client, totp_user["id"]) is False


def test_the_steps_are_in_order_with_a_way_back(client, clock, totp_user):
    """Authenticator app: the code field, then Disable; Cancel returns to the application."""
    signed_in_with_totp(client, clock, totp_user["secret"])
    html = client.get("/auth/two-factor/disable?" + urlencode({"redirect_uri": RETURN})).text
    assert html.index('<label for="token">Code</label>') < html.index(
        ">Disable two-factor authentication</button>"
    )
    assert f'<a href="{RETURN}">Cancel</a>' in html
    assert "Send code" not in html


def email_user_signed_in(client, admin, http_recorder, transport="email"):
    admin.set_webhook(http_recorder.url)
    user = admin.create_user(
        "eve@example.com",
        "correct horse",
        twoFactor={"enabled": True, "transport": transport, "secretKey": totp.new_secret()},
        phoneNumber="+12025550100",
    )
    step = log_in(client, implicit_query(), email="eve@example.com")
    done = submit(client, step, {"token": http_recorder.requests[-1].json()["token"]})
    assert done.headers["Location"].startswith(FRONTEND_AUTH)
    return user


def test_email_user_sends_a_code_first_then_enters_it_then_disables(client, admin, http_recorder):
    user = email_user_signed_in(client, admin, http_recorder)
    page = client.get("/auth/two-factor/disable")
    html = page.text
    assert html.index(">Send code</button>") < html.index('<label for="token">Code</label>')
    assert html.index('<label for="token">Code</label>') < html.index(
        ">Disable two-factor authentication</button>"
    )
    # The code sent at login a moment ago does not make this page's first "Send code" wait.
    page = submit(client, page, {}, index=0)
    assert page.status_code == 200 and "We sent you a 6-digit code by email." in page.text
    assert len(http_recorder.requests) == 2
    response = submit(client, page, {"token": http_recorder.requests[-1].json()["token"]}, index=1)
    assert response.status_code == 200 and "You will sign in with your password only." in response.text
    assert enabled(client, user["id"]) is False


def test_disable_page_waits_30_seconds_between_its_own_codes(client, admin, clock, http_recorder):
    email_user_signed_in(client, admin, http_recorder)
    page = submit(client, client.get("/auth/two-factor/disable"), {}, index=0)
    too_soon = submit(client, page, {}, index=0)
    assert too_soon.status_code == 429 and "You can ask for a new one in 30 seconds." in too_soon.text
    assert len(http_recorder.requests) == 2
    clock.advance(30)
    assert submit(client, too_soon, {}, index=0).status_code == 200
    assert len(http_recorder.requests) == 3


def test_disable_page_sends_at_most_five_codes_in_ten_minutes(client, admin, clock, http_recorder):
    email_user_signed_in(client, admin, http_recorder, transport="sms")
    page = client.get("/auth/two-factor/disable")
    for _ in range(5):
        page = submit(client, page, {}, index=0)
        clock.advance(30)
    assert len(http_recorder.requests) == 6  # the login's code and five from this page
    refused = submit(client, page, {}, index=0)
    assert refused.status_code == 429 and "Too many codes were sent." in refused.text
    assert len(http_recorder.requests) == 6


def test_a_pasted_code_with_spaces_or_dashes_works(client, clock, totp_user):
    signed_in_with_totp(client, clock, totp_user["secret"])
    page = client.get("/auth/two-factor/disable")
    code = totp.code_at(totp_user["secret"], clock())
    response = submit(client, page, {"token": f" {code[:3]}-{code[3:]} "})
    assert response.status_code == 200 and enabled(client, totp_user["id"]) is False


def test_a_code_used_a_moment_ago_is_named_as_such(client, clock, totp_user):
    page = log_in(client, implicit_query(), email="bob@example.com")
    code = totp.code_at(totp_user["secret"], clock())
    assert submit(client, page, {"token": code}).status_code == 303
    refused = submit(client, client.get("/auth/two-factor/disable"), {"token": code})
    assert refused.status_code == 401
    assert "This code was already used. Wait for the next one in your app." in refused.text
    assert enabled(client, totp_user["id"]) is True


def test_no_code_is_sent_that_could_not_work_yet(client, admin, clock, http_recorder):
    """Enabled with this step's code and signed in with the next one, both within 30 s: a code sent
    now would be two steps ahead, which the verifier refuses, so the page says when to ask."""
    admin.set_webhook(http_recorder.url)
    secret = totp.new_secret()
    user = admin.create_user(
        "eve@example.com",
        "correct horse",
        twoFactor={"enabled": True, "transport": "email", "secretKey": secret},
    )
    confirm = {"code": totp.code_at(secret, clock())}  # what the app's setup confirmation does
    assert client.post(f"/User/{user['id']}/$verify-totp", json=confirm, auth=ADMIN_AUTH).status_code == 200
    step = log_in(client, implicit_query(), email="eve@example.com")
    assert submit(client, step, {"token": http_recorder.requests[-1].json()["token"]}).status_code == 303

    refused = submit(client, client.get("/auth/two-factor/disable"), {}, index=0)
    seconds = int((totp.current_step(clock()) + 1) * 30 - clock())
    assert refused.status_code == 429
    assert f"Your last code was used moments ago. You can ask for a new one in {seconds} seconds." in (
        refused.text
    )
    assert len(http_recorder.requests) == 1
    clock.advance(seconds)
    page = submit(client, refused, {}, index=0)
    assert len(http_recorder.requests) == 2
    response = submit(client, page, {"token": http_recorder.requests[-1].json()["token"]}, index=1)
    assert response.status_code == 200 and enabled(client, user["id"]) is False
