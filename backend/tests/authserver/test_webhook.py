"""Users with an email/SMS transport get their code through the AuthConfig webhook."""

from backend.common import totp

from .helpers import FRONTEND_AUTH, implicit_query, log_in, submit

AUTHORIZATION = "Basic dHdvLWZhY3Rvci13ZWJob29rOndlYmhvb2stc2VjcmV0"


def email_user(admin, secret):
    return admin.create_user(
        "eve@example.com",
        "correct horse",
        phoneNumber="+14155550100",
        twoFactor={"enabled": True, "transport": "email", "secretKey": secret},
    )


def test_webhook_receives_the_code_that_completes_the_login(client, admin, http_recorder, caplog):
    admin.set_webhook(
        http_recorder.url + "/webhook/two-factor-confirmation", headers={"Authorization": AUTHORIZATION}
    )
    user = email_user(admin, totp.new_secret())

    with caplog.at_level("DEBUG"):
        page = log_in(client, implicit_query(), email="eve@example.com")

    assert len(http_recorder.requests) == 1
    sent = http_recorder.requests[0]
    assert sent.method == "POST" and sent.path == "/webhook/two-factor-confirmation"
    assert sent.headers["Authorization"] == AUTHORIZATION
    body = sent.json()
    assert body["user"] == {"id": user["id"], "email": "eve@example.com", "phoneNumber": "+14155550100"}
    assert body["transport"] == "email" and totp.is_well_formed(body["token"])
    assert body["token"] not in caplog.text
    html = page.get_data(as_text=True)
    assert "A 6-digit code was sent to e•••@example.com by email" in html and "Resend code" in html

    done = submit(client, page, {"token": body["token"]})
    assert done.status_code == 303 and done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_slow_webhook_shows_a_clear_message_and_resend_works(client, admin, http_recorder, caplog):
    admin.set_webhook(http_recorder.url, timeout_ms=200)
    email_user(admin, totp.new_secret())
    http_recorder.delay = 0.6

    page = log_in(client, implicit_query(), email="eve@example.com")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'role="alert">We could not send your code. Try again.' in html and ">Resend code</button>" in html
    http_recorder.delay = 0
    resent = submit(client, page, {}, index=1)
    assert "A 6-digit code was sent to e•••@example.com by email" in resent.get_data(as_text=True)
    code = http_recorder.requests[-1].json()["token"]
    assert code not in caplog.text
    done = submit(client, resent, {"token": code})
    assert done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_webhook_error_status_and_unreachable_endpoint(client, admin, http_recorder):
    admin.set_webhook(http_recorder.url)
    email_user(admin, totp.new_secret())
    http_recorder.status = 500
    page = log_in(client, implicit_query(), email="eve@example.com")
    assert "We could not send your code. Try again." in page.get_data(as_text=True)


def test_redirects_are_not_followed(client, admin, http_recorder):
    admin.set_webhook(http_recorder.url)
    email_user(admin, totp.new_secret())
    http_recorder.status = 307
    page = log_in(client, implicit_query(), email="eve@example.com")
    assert len(http_recorder.requests) == 1
    assert "We could not send your code. Try again." in page.get_data(as_text=True)


def test_authenticator_app_users_get_no_webhook(client, admin, http_recorder, totp_user):
    admin.set_webhook(http_recorder.url)
    log_in(client, implicit_query(), email="bob@example.com")
    assert http_recorder.requests == []


def test_a_transport_of_any_name_is_passed_to_the_webhook(client, admin, http_recorder):
    """Aidbox leaves delivery to the webhook: ``transport`` is whatever the User says."""
    admin.set_webhook(http_recorder.url)
    admin.create_user(
        "pat@example.com",
        "correct horse",
        twoFactor={"enabled": True, "transport": "pager", "secretKey": totp.new_secret()},
    )
    page = log_in(client, implicit_query(), email="pat@example.com")
    (sent,) = http_recorder.requests
    assert sent.json()["transport"] == "pager" and totp.is_well_formed(sent.json()["token"])
    assert "A 6-digit code was sent by pager." in page.get_data(as_text=True)
