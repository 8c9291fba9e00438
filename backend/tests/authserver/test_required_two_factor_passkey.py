"""AuthConfig.twoFactor.required with a passkey as the user's only second factor: it counts as set up
(no enrol page, no ``twoFactorRequired``), and it is what the step after the password asks for."""

from __future__ import annotations

from html import unescape
from urllib.parse import urlencode

import pytest

from backend.common import totp
from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import FRONTEND_AUTH, PASSWORD, csrf_token, fragment, implicit_query, log_in
from .test_passkey_second_factor import AUTH_SERVER, passkey_form, use_passkey
from .test_passkeys import add, options
from .test_required_two_factor import DAY, require


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator(origin=AUTH_SERVER)


def add_passkey(client, user_id: str, authenticator) -> None:
    offered = options(client, user_id, "register")
    assert add(client, user_id, offered, authenticator.create(offered)).status_code == 201


@pytest.fixture
def passkey_only_user(client, user, authenticator) -> dict:
    """ann@example.com: two-factor off, one passkey."""
    add_passkey(client, user["id"], authenticator)
    return user


def test_a_passkey_counts_as_enrolled_and_is_asked_for_after_the_password(
    client, admin, passkey_only_user, authenticator
):
    require(admin)
    step = log_in(client, implicit_query(state="pk"))
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and "Use your passkey to finish signing in." in html, html
    assert "Set up two-factor authentication" not in html and 'name="token"' not in html
    passkey_form(html)  # the passkey's form, with its options

    done = use_passkey(client, step, authenticator)
    assert done.status_code == 303 and done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    bearer = {"Authorization": "Bearer " + fragment(done.headers["Location"])["access_token"]}
    info = client.get("/auth/userinfo", headers=bearer).get_json()
    assert "twoFactorRequired" not in info
    assert info["twoFactor"] == {"enabled": False, "passkey": True}, "the passkey is the second factor"


def test_the_passkey_cannot_be_skipped_on_the_way_to_the_client(client, admin, passkey_only_user):
    require(admin)
    log_in(client, implicit_query())
    again = client.get("/auth/authorize?" + urlencode(implicit_query()))
    assert again.status_code in (302, 303) and again.headers["Location"].startswith("/auth/two-factor?")
    enrol = client.get("/auth/two-factor/enrol?" + urlencode(implicit_query()))
    assert enrol.status_code == 303 and enrol.headers["Location"].startswith("/auth/two-factor?")


def test_within_the_grace_period_a_passkey_user_is_not_told_to_set_one_up(
    client, admin, passkey_only_user, authenticator, clock
):
    require(admin, gracePeriodDays=7)
    clock.advance(DAY)
    done = use_passkey(client, log_in(client, implicit_query()), authenticator)
    bearer = {"Authorization": "Bearer " + fragment(done.headers["Location"])["access_token"]}
    assert "twoFactorRequired" not in client.get("/auth/userinfo", headers=bearer).get_json()


def test_a_code_of_a_secret_left_from_before_is_no_second_factor(client, admin, user, authenticator, clock):
    secret = totp.new_secret()
    admin.patch_user(user["id"], {"twoFactor": {"enabled": False, "secretKey": secret}})
    add_passkey(client, user["id"], authenticator)
    require(admin)
    step = log_in(client, implicit_query())
    query = urlencode(implicit_query())
    data = {"csrf_token": csrf_token(step.get_data(as_text=True)), "token": totp.code_at(secret, clock())}
    refused = client.post("/auth/two-factor?" + query, data=data)
    assert refused.status_code == 303 and refused.headers["Location"].startswith("/auth/two-factor?")
    page = client.get(refused.headers["Location"])
    assert page.status_code == 401 and "Use your passkey" in unescape(page.get_data(as_text=True))


def test_without_the_policy_the_password_alone_still_signs_a_passkey_user_in(client, passkey_only_user):
    answer = log_in(client, implicit_query())
    assert answer.status_code == 303 and answer.headers["Location"].startswith(FRONTEND_AUTH + "#")
    bearer = {"Authorization": "Bearer " + fragment(answer.headers["Location"])["access_token"]}
    assert client.get("/auth/userinfo", headers=bearer).get_json()["twoFactor"] == {"enabled": False}


def test_the_json_login_api_refuses_a_password_alone(client, admin, passkey_only_user):
    require(admin)
    body = {"loginId": "ann@example.com", "password": PASSWORD, "applicationId": "web"}
    response = client.post("/api/login", json=body)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "passkey_required"
