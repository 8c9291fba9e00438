"""AuthConfig.twoFactor.required: a user without a second factor cannot finish an OAuth flow (implicit
or code) once the grace period after signup is over; the auth server has them set up an authenticator
app first, then the flow goes on to the client. Within the grace period the token says so."""

from __future__ import annotations

import base64
import re
from html import unescape
from urllib.parse import urlencode

import pytest

from backend.common import totp
from backend.tests.app.test_totp_setup import zbarimg

from .helpers import (
    ADMIN_AUTH,
    APP_CALLBACK,
    APP_SECRET,
    FRONTEND_AUTH,
    PASSWORD,
    code_query,
    fragment,
    implicit_query,
    log_in,
    pkce_pair,
    post_form,
    query_of,
    submit,
)
from .test_session_rotation import COOKIE, assert_not_signed_in, authorize
from .test_trusted_browser import audit_types

DAY = 24 * 60 * 60
ENROL = "/auth/two-factor/enrol?"


def require(admin, **settings) -> None:
    admin.put("AuthConfig", "app", {"twoFactor": {"issuerName": "Demo", "required": True, **settings}})


def enrol_page_secret(page) -> str:
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Set up two-factor authentication" in html, html
    assert 'alt="QR code for your authenticator app" ' in html and 'src="data:image/png;base64,' in html
    return unescape(re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1))


def test_the_qr_code_carries_the_secret_for_the_authenticator_app(client, admin, user, tmp_path):
    require(admin)
    page = log_in(client, implicit_query())
    secret = enrol_page_secret(page)
    png = re.search(r'src="data:image/png;base64,([^"]+)"', page.get_data(as_text=True)).group(1)
    scanned = zbarimg(base64.b64decode(png), tmp_path)
    assert scanned.startswith("otpauth://totp/Demo:ann%40example.com?")
    assert f"secret={secret}" in scanned and "issuer=Demo" in scanned


def enrolled(client, page, code: str):
    """Enter the first ``code`` on the enrol ``page``: the recovery codes are shown (once); their
    Continue link's answer, the redirect to the client (or the consent page), is returned."""
    codes_page = submit(client, page, {"token": code})
    html = unescape(codes_page.get_data(as_text=True))
    assert codes_page.status_code == 200 and "Save your recovery codes" in html, html
    assert len(re.findall(r"<li><code>[a-z2-9]{4}-[a-z2-9]{4}</code></li>", html)) == 10
    return client.get(
        re.search(r'<a class="button-link" href="([^"]+)">', html).group(1).replace("&amp;", "&")
    )


def sent_to_enrol(response) -> bool:
    return response.status_code == 303 and response.headers["Location"].startswith(ENROL)


def test_a_new_user_sets_up_an_authenticator_before_the_implicit_flow_ends(app, client, admin, clock):
    require(admin)
    form = client.get("/auth/signup?" + urlencode(implicit_query(state="new")))
    answer = post_form(
        client, form, {"email": "new@example.com", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert sent_to_enrol(answer), answer.headers.get("Location")
    assert query_of(answer.headers["Location"])["state"] == "new"
    page = client.get(answer.headers["Location"])
    secret = enrol_page_secret(page)
    assert enrol_page_secret(client.get(answer.headers["Location"])) == secret  # a reload shows the same
    copied = client.get_cookie(COOKIE).value

    wrong = submit(client, page, {"token": "000000"})
    assert wrong.status_code == 401 and "That code is not valid" in wrong.get_data(as_text=True)
    done = enrolled(client, page, totp.code_at(secret, clock()))

    assert done.status_code == 302 and done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert fragment(done.headers["Location"])["state"] == "new"
    user = client.get("/User?email=new@example.com", auth=ADMIN_AUTH).get_json()["entry"][0]["resource"]
    assert user["twoFactor"]["enabled"] is True
    assert "two-factor-enabled" in audit_types(client, user["id"])
    # The assurance changed: a copy of the cookie from before the enrolment holds no session.
    assert client.get_cookie(COOKIE).value != copied
    attacker = app.test_client()
    attacker.set_cookie(COOKIE, copied)
    assert_not_signed_in(authorize(attacker))


def test_the_code_flow_also_waits_for_the_enrolment(client, admin, user, clock):
    require(admin)
    verifier, challenge = pkce_pair()
    page = log_in(client, code_query(challenge))
    secret = enrol_page_secret(page)
    # Opening the authorize URL again does not get round it.
    again = client.get("/auth/authorize?" + urlencode(code_query(challenge)))
    assert again.status_code == 302 and again.headers["Location"].startswith(ENROL)
    done = enrolled(client, page, totp.code_at(secret, clock()))
    assert done.status_code == 302 and done.headers["Location"].startswith(APP_CALLBACK + "?")
    data = {
        "grant_type": "authorization_code",
        "code": query_of(done.headers["Location"])["code"],
        "redirect_uri": APP_CALLBACK,
        "code_verifier": verifier,
    }
    token = client.post("/auth/token", data=data, auth=("two-factor-app", APP_SECRET)).get_json()
    assert token["userinfo"]["twoFactor"] == {"enabled": True}
    assert "twoFactorRequired" not in token["userinfo"]


def test_within_the_grace_period_the_flow_ends_and_the_token_says_required(client, admin, user, clock):
    require(admin, gracePeriodDays=7)
    clock.advance(7 * DAY - 60)
    answer = log_in(client, implicit_query())
    assert answer.status_code == 303 and answer.headers["Location"].startswith(FRONTEND_AUTH + "#")
    bearer = {"Authorization": "Bearer " + fragment(answer.headers["Location"])["access_token"]}
    assert client.get("/auth/userinfo", headers=bearer).get_json()["twoFactorRequired"] is True
    clock.advance(60)
    again = client.get("/auth/authorize?" + urlencode(implicit_query()))
    assert again.status_code == 302 and again.headers["Location"].startswith(ENROL)


def test_without_the_policy_nothing_is_asked(client, user):
    answer = log_in(client, implicit_query())
    assert answer.status_code == 303 and answer.headers["Location"].startswith(FRONTEND_AUTH + "#")
    bearer = {"Authorization": "Bearer " + fragment(answer.headers["Location"])["access_token"]}
    assert "twoFactorRequired" not in client.get("/auth/userinfo", headers=bearer).get_json()
    assert client.get(ENROL + urlencode(implicit_query())).headers["Location"].startswith("/auth/authorize")


def test_a_user_with_two_factor_on_is_not_asked_to_enrol(client, admin, totp_user, clock):
    require(admin)
    page = log_in(client, implicit_query(), email="bob@example.com")
    done = submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())})
    assert done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_after_an_admin_reset_the_user_enrols_again(client, admin, totp_user):
    require(admin)
    client.post(f"/User/{totp_user['id']}/$reset-two-factor", json={}, auth=ADMIN_AUTH)
    enrol_page_secret(log_in(client, implicit_query(), email="bob@example.com"))


def test_the_enrol_page_needs_a_signed_in_user(client, admin):
    require(admin)
    response = client.get(ENROL + urlencode(implicit_query()))
    assert response.status_code == 303 and response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("code", ["", "12345", "１２３４５６", "abcd-2345"])
def test_a_malformed_code_is_a_clear_422(client, admin, user, code):
    require(admin)
    page = log_in(client, implicit_query())
    response = submit(client, page, {"token": code})
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)


def test_the_json_login_api_refuses_tokens_until_enrolled(client, admin, user):
    require(admin)
    body = {"loginId": "ann@example.com", "password": PASSWORD, "applicationId": "web"}
    response = client.post("/api/login", json=body)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "two_factor_setup_required"


def test_the_policy_is_checked_as_a_resource(client, admin):
    bad = {"twoFactor": {"required": "yes", "gracePeriodDays": -1}}
    response = client.put("/AuthConfig/app", json=bad, auth=ADMIN_AUTH)
    assert response.status_code == 422


def test_a_third_party_client_asks_for_consent_only_after_the_enrolment(client, admin, user, clock):
    admin.put(
        "Client",
        "partner-spa",
        {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": "http://partner.example/spa"}}},
    )
    require(admin)
    query = {
        **implicit_query(state="p"),
        "client_id": "partner-spa",
        "redirect_uri": "http://partner.example/spa",
    }
    page = log_in(client, query)
    consent = enrolled(client, page, totp.code_at(enrol_page_secret(page), clock()))
    assert consent.status_code == 200 and "wants to sign you in" in consent.get_data(as_text=True)
    allowed = submit(client, consent, {"decision": "allow"})
    assert allowed.status_code == 303 and allowed.headers["Location"].startswith(
        "http://partner.example/spa#"
    )


@pytest.mark.parametrize(
    "lose_it",
    [
        lambda client, user_id: client.post(f"/User/{user_id}/$reset-two-factor", json={}, auth=ADMIN_AUTH),
        lambda client, user_id: client.patch(
            f"/User/{user_id}", json={"twoFactor": {"enabled": False}}, auth=ADMIN_AUTH
        ),
    ],
    ids=["admin-reset", "turned-off"],
)
def test_the_grace_period_is_only_for_an_account_that_never_had_a_second_factor(
    client, admin, totp_user, clock, lose_it
):
    require(admin, gracePeriodDays=7)
    clock.advance(DAY)
    assert lose_it(client, totp_user["id"]).status_code in (200, 204)
    enrol_page_secret(log_in(client, implicit_query(), email="bob@example.com"))


def test_the_recovery_codes_are_shown_once_after_enrolling_and_sign_in(app, client, admin, user, clock):
    require(admin)
    page = log_in(client, implicit_query())
    codes_page = submit(client, page, {"token": totp.code_at(enrol_page_secret(page), clock())})
    codes = re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4})</code></li>", codes_page.get_data(as_text=True))
    assert len(set(codes)) == 10 and "recovery-codes-generated" in audit_types(client, user["id"])

    reload = client.get("/auth/two-factor/enrol/recovery-codes?" + urlencode(implicit_query()))
    assert reload.status_code == 303 and reload.headers["Location"].startswith("/auth/authorize?")
    remaining = client.get(f"/User/{user['id']}/$recovery-codes", auth=ADMIN_AUTH).get_json()
    assert remaining == {"remaining": 10}  # the reload made no new set

    browser = app.test_client()
    step = log_in(browser, implicit_query())
    done = submit(browser, step, {"token": codes[0]})
    assert done.status_code == 303 and done.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_no_recovery_codes_page_without_an_enrolment_just_now(client, admin, user):
    require(admin, gracePeriodDays=7)
    log_in(client, implicit_query())  # signed in, within the grace period, nothing set up
    page = client.get("/auth/two-factor/enrol/recovery-codes?" + urlencode(implicit_query()))
    assert page.status_code == 303 and "Save your recovery codes" not in page.get_data(as_text=True)
