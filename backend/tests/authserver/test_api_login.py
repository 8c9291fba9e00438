"""The JSON login API (FusionAuth style): 200 with tokens, or 242 + twoFactorId completed with a code."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from backend.common import totp

from .helpers import PASSWORD

needs_oathtool = pytest.mark.skipif(shutil.which("oathtool") is None, reason="oathtool not installed")


def oathtool_code(secret: str, at: float) -> str:
    """The code a real authenticator (oathtool) shows at ``at`` (the test's fake clock)."""
    result = subprocess.run(
        ["oathtool", "--totp", "-b", secret, "--now", f"@{int(at)}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def api_login(client, email: str, password: str = PASSWORD, application: str = "web"):
    return client.post(
        "/api/login", json={"loginId": email, "password": password, "applicationId": application}
    )


def complete(client, two_factor_id: str, code: str, application: str = "web"):
    body = {"twoFactorId": two_factor_id, "code": code, "applicationId": application}
    return client.post("/api/two-factor/login", json=body)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_with_two_factor_off_gives_a_token_userinfo_accepts(client, user):
    response = api_login(client, "ann@example.com")
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == {"id": user["id"], "email": "ann@example.com", "twoFactor": {"enabled": False}}
    info = client.get("/auth/userinfo", headers=bearer(body["token"]))
    assert info.status_code == 200 and info.get_json()["email"] == "ann@example.com"


def test_logout_with_delete_session_revokes_the_api_token(client, user):
    token = api_login(client, "ann@example.com").get_json()["token"]
    assert client.delete("/Session", headers=bearer(token)).status_code == 204
    assert client.get("/auth/userinfo", headers=bearer(token)).status_code == 401


def test_confidential_client_also_gets_a_refresh_token_for_auth_token(client, user):
    body = api_login(client, "ann@example.com", application="two-factor-app").get_json()
    refreshed = client.post(
        "/auth/token",
        data={"grant_type": "refresh_token", "refresh_token": body["refreshToken"]},
        auth=("two-factor-app", "app-secret"),
    )
    assert refreshed.status_code == 200, refreshed.get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password"),
    [("ann@example.com", "wrong password"), ("nobody@example.com", PASSWORD)],
)
def test_bad_credentials_do_not_say_which_part_was_wrong(client, user, email, password):
    response = api_login(client, email, password)
    assert response.status_code == 404
    assert response.get_json()["error"] == {
        "code": "invalid_credentials",
        "message": "The login id or the password is not correct.",
    }


def test_unknown_application_is_refused(client, user):
    response = api_login(client, "ann@example.com", application="no-such-app")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "applicationId"


def test_login_response_never_carries_the_secret(client, totp_user, clock):
    pending = api_login(client, "bob@example.com").get_json()
    done = complete(client, pending["twoFactorId"], totp.code_at(totp_user["secret"], clock()))
    assert totp_user["secret"] not in done.get_data(as_text=True)
    assert "secretKey" not in done.get_data(as_text=True)


@needs_oathtool
def test_two_factor_login_with_an_oathtool_code(client, totp_user, clock):
    started = api_login(client, "bob@example.com")
    assert started.status_code == 242
    body = started.get_json()
    assert body["methods"] == [{"method": "authenticator"}]
    assert "token" not in body

    done = complete(client, body["twoFactorId"], oathtool_code(totp_user["secret"], clock()))
    assert done.status_code == 200, done.get_data(as_text=True)
    token = done.get_json()["token"]
    assert client.get("/auth/userinfo", headers=bearer(token)).get_json()["email"] == "bob@example.com"


def test_the_same_two_factor_id_works_once(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    assert complete(client, two_factor_id, totp.code_at(totp_user["secret"], clock())).status_code == 200
    clock.advance(30)  # a fresh, never used code: only the twoFactorId is spent
    again = complete(client, two_factor_id, totp.code_at(totp_user["secret"], clock()))
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "two_factor_id_not_found"


def test_an_expired_two_factor_id_is_refused(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    clock.advance(5 * 60 + 1)
    response = complete(client, two_factor_id, totp.code_at(totp_user["secret"], clock()))
    assert response.status_code == 404


def test_a_two_factor_id_just_inside_five_minutes_still_works(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    clock.advance(5 * 60 - 1)
    assert complete(client, two_factor_id, totp.code_at(totp_user["secret"], clock())).status_code == 200


def test_a_two_factor_id_of_another_application_is_refused(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com", application="web").get_json()["twoFactorId"]
    code = totp.code_at(totp_user["secret"], clock())
    assert complete(client, two_factor_id, code, application="two-factor-app").status_code == 404
    # The right application still can: the refusal neither used up the id nor the code.
    assert complete(client, two_factor_id, code, application="web").status_code == 200


def test_a_wrong_code_is_421(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    good = totp.code_at(totp_user["secret"], clock())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = complete(client, two_factor_id, wrong)
    assert response.status_code == 421
    assert response.get_json()["error"]["code"] == "invalid_code"
    assert complete(client, two_factor_id, good).status_code == 200


def test_a_code_used_once_is_not_accepted_again(client, totp_user, clock):
    code = totp.code_at(totp_user["secret"], clock())
    first = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    assert complete(client, first, code).status_code == 200
    second = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    again = complete(client, second, code)
    assert again.status_code == 421
    assert again.get_json()["error"] == {
        "code": "code_already_used",
        "message": "This code was already used. Wait for the next one in your app.",
        "field": "code",
    }


@pytest.mark.parametrize("pasted", ["{0} {1}", " {0}-{1} ", "{0}\u00a0{1}", "\t{0}{1}\n"])
def test_a_pasted_code_with_spaces_or_dashes_is_accepted(client, totp_user, clock, pasted):
    code = totp.code_at(totp_user["secret"], clock())
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    assert complete(client, two_factor_id, pasted.format(code[:3], code[3:])).status_code == 200


def test_five_wrong_codes_use_the_two_factor_id_up(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    good = totp.code_at(totp_user["secret"], clock())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert complete(client, two_factor_id, wrong).status_code == 421
    assert complete(client, two_factor_id, good).status_code == 404


def test_email_user_gets_the_code_through_the_webhook(client, admin, http_recorder, clock):
    admin.set_webhook(http_recorder.url + "/hook")
    secret = totp.new_secret()
    admin.create_user(
        "eve@example.com",
        PASSWORD,
        twoFactor={"enabled": True, "secretKey": secret, "transport": "email"},
    )
    started = api_login(client, "eve@example.com")
    assert started.status_code == 242
    assert started.get_json()["methods"] == [{"method": "email"}]
    assert started.get_json()["codeSent"] is True
    sent = http_recorder.requests[-1].json()
    assert sent["transport"] == "email" and sent["user"]["email"] == "eve@example.com"
    done = complete(client, started.get_json()["twoFactorId"], sent["token"])
    assert done.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"loginId": 5, "password": PASSWORD, "applicationId": "web"},
        {"loginId": "ann@example.com", "password": None, "applicationId": "web"},
        {"loginId": "ann@example.com", "password": PASSWORD},
    ],
)
def test_bad_login_bodies_are_422(client, user, body):
    assert client.post("/api/login", json=body).status_code == 422


def test_login_body_must_be_json(client, user):
    assert client.post("/api/login", data="loginId=ann").status_code == 415


@pytest.mark.parametrize(
    ("client_id", "grant_types"),
    [("webhook-like", ["basic"]), ("service", ["client_credentials"]), ("refresher", ["refresh_token"])],
)
def test_an_application_that_cannot_sign_users_in_is_refused(client, user, admin, client_id, grant_types):
    admin.put("Client", client_id, {"secret": "s3cret-value", "grant_types": grant_types})
    response = api_login(client, "ann@example.com", application=client_id)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("unauthorized_client", "applicationId")
    assert "token" not in response.get_json()


def test_the_webhook_client_cannot_complete_a_two_factor_login(client, totp_user, clock):
    two_factor_id = api_login(client, "bob@example.com").get_json()["twoFactorId"]
    code = totp.code_at(totp_user["secret"], clock())
    assert complete(client, two_factor_id, code, application="two-factor-webhook").status_code == 403


@pytest.mark.parametrize("transport", ["whatsapp", "totp", "authenticator"])
def test_a_free_form_transport_is_passed_through_not_taken_for_the_app(client, admin, transport):
    admin.create_user(
        "cy@example.com",
        PASSWORD,
        twoFactor={"enabled": True, "secretKey": totp.new_secret(), "transport": transport},
    )
    started = api_login(client, "cy@example.com")
    assert started.status_code == 242
    body = started.get_json()
    assert body["methods"] == [{"method": transport}]
    # A code was sent through the webhook (nowhere to go here), as for email and SMS users.
    assert body["codeSent"] is False
