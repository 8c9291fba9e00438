"""Authorization code grant with PKCE (S256 only) for the confidential client two-factor-app."""

from urllib.parse import urlencode

import pytest

from backend.common import totp

from .helpers import APP_CALLBACK, APP_SECRET, code_query, log_in, pkce_pair, query_of, submit

CLIENT_AUTH = ("two-factor-app", APP_SECRET)


def get_code(client, challenge, state="st-1"):
    response = log_in(client, code_query(challenge, state=state))
    assert response.status_code == 303
    assert response.headers["Location"].startswith(APP_CALLBACK + "?")
    return query_of(response.headers["Location"])


def exchange(client, code, verifier, auth=CLIENT_AUTH, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": APP_CALLBACK}
    if verifier is not None:
        data["code_verifier"] = verifier
    data.update(extra)
    return client.post("/auth/token", data=data, auth=auth)


def test_code_exchange_with_s256_verifier(client, user):
    verifier, challenge = pkce_pair()
    params = get_code(client, challenge, state="abc")
    assert params["state"] == "abc"

    response = exchange(client, params["code"], verifier)

    assert response.status_code == 200, response.get_json()
    token = response.get_json()
    assert {"access_token", "token_type", "expires_in", "refresh_token"} <= token.keys()
    info = client.get("/auth/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert info.get_json()["email"] == "ann@example.com"


def test_client_secret_post_also_works(client, user):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    response = exchange(
        client, code, verifier, auth=None, client_id="two-factor-app", client_secret=APP_SECRET
    )
    assert response.status_code == 200, response.get_json()


def test_refresh_token_grant_rotates(client, user):
    verifier, challenge = pkce_pair()
    token = exchange(client, get_code(client, challenge)["code"], verifier).get_json()
    data = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}

    refreshed = client.post("/auth/token", data=data, auth=CLIENT_AUTH)

    assert refreshed.status_code == 200, refreshed.get_json()
    assert refreshed.get_json()["access_token"] != token["access_token"]
    assert client.post("/auth/token", data=data, auth=CLIENT_AUTH).status_code == 400


def test_wrong_verifier_gets_no_token(client, user):
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    response = exchange(client, get_code(client, challenge)["code"], other_verifier)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert "access_token" not in response.get_json()


def test_missing_verifier_gets_no_token(client, user):
    _, challenge = pkce_pair()
    response = exchange(client, get_code(client, challenge)["code"], None)
    assert response.status_code == 400 and "access_token" not in response.get_json()


def test_code_cannot_be_used_twice(client, user):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    assert exchange(client, code, verifier).status_code == 200
    again = exchange(client, code, verifier)
    assert again.status_code == 400 and again.get_json()["error"] == "invalid_grant"


def test_a_reused_code_revokes_the_tokens_it_issued(client, user):
    """RFC 6749 4.1.2: a second use of a code means it leaked; what it bought is revoked."""
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    token = exchange(client, code, verifier).get_json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/auth/userinfo", headers=bearer).status_code == 200

    again = exchange(client, code, verifier)

    assert again.status_code == 400 and again.get_json()["error"] == "invalid_grant"
    assert client.get("/auth/userinfo", headers=bearer).status_code == 401
    data = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    refused = client.post("/auth/token", data=data, auth=CLIENT_AUTH)
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_grant"


def test_a_reused_code_also_revokes_the_tokens_refreshed_from_it(client, user):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    first = exchange(client, code, verifier).get_json()
    data = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    refreshed = client.post("/auth/token", data=data, auth=CLIENT_AUTH).get_json()

    assert exchange(client, code, verifier).status_code == 400

    bearer = {"Authorization": f"Bearer {refreshed['access_token']}"}
    assert client.get("/auth/userinfo", headers=bearer).status_code == 401
    data = {"grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"]}
    assert client.post("/auth/token", data=data, auth=CLIENT_AUTH).status_code == 400


def test_a_reused_code_leaves_the_tokens_of_other_codes_alone(client, user):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    exchange(client, code, verifier)
    other_verifier, other_challenge = pkce_pair()
    # The same login session, signed in already: a second code straight away.
    again = client.get("/auth/authorize?" + urlencode(code_query(other_challenge)))
    other = exchange(client, query_of(again.headers["Location"])["code"], other_verifier).get_json()

    assert exchange(client, code, verifier).status_code == 400

    bearer = {"Authorization": f"Bearer {other['access_token']}"}
    assert client.get("/auth/userinfo", headers=bearer).status_code == 200


def test_code_expires_after_five_minutes(client, user, clock):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    clock.advance(301)
    assert exchange(client, code, verifier).get_json()["error"] == "invalid_grant"


def test_wrong_redirect_uri_at_token_endpoint(client, user):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    response = exchange(client, code, verifier, redirect_uri="http://localhost:8081/other")
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"


def test_wrong_client_secret(client, user):
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    response = exchange(client, code, verifier, auth=("two-factor-app", "nope"))
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirect_uri": "http://evil.example/cb"},
        {"redirect_uri": APP_CALLBACK + "/extra"},
        {"client_id": "no-such-client"},
        {"client_id": None},
    ],
    ids=["foreign-redirect", "not-exact-redirect", "unknown-client", "no-client"],
)
def test_bad_client_or_redirect_gives_an_error_page_and_no_redirect(client, overrides):
    _, challenge = pkce_pair()
    response = client.get("/auth/authorize?" + urlencode(code_query(challenge, **overrides)))
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "code_challenge"),
        ({"code_challenge_method": "plain"}, "S256"),
        ({"code_challenge_method": None}, "S256"),
    ],
    ids=["missing-challenge", "plain-method", "no-method"],
)
def test_pkce_is_required_with_s256(client, user, overrides, why):
    verifier, challenge = pkce_pair()
    query = code_query(challenge if "plain" not in overrides.values() else verifier, **overrides)
    response = client.get("/auth/authorize?" + urlencode(query))
    # The client is known and the redirect_uri registered, so the error goes back to it (RFC 6749 4.1.2.1).
    assert response.status_code == 302
    params = query_of(response.headers["Location"])
    assert params["error"] == "invalid_request" and why in params["error_description"]
    assert params["state"] == "st-1" and "code" not in params


def test_implicit_is_refused_for_the_confidential_client(client):
    query = {"client_id": "two-factor-app", "response_type": "token", "redirect_uri": APP_CALLBACK}
    response = client.get("/auth/authorize?" + urlencode(query))
    assert response.status_code in (302, 400)
    assert "access_token" not in response.headers.get("Location", "")


def two_factor_code(client, totp_user, clock, challenge, state="st-2"):
    """Password, then the code form in the same answer, then the code: straight back to the app."""
    page = log_in(client, code_query(challenge, state=state), email="bob@example.com")
    assert page.status_code == 200 and "/auth/two-factor?" in page.get_data(as_text=True)
    back = submit(client, page, {"token": totp.code_at(totp_user["secret"], clock())})
    assert back.status_code == 303 and back.headers["Location"].startswith(APP_CALLBACK + "?")
    return query_of(back.headers["Location"])


def test_the_code_step_answers_with_the_apps_redirect_and_a_working_code(client, totp_user, clock):
    verifier, challenge = pkce_pair()
    params = two_factor_code(client, totp_user, clock, challenge)
    assert params["state"] == "st-2"
    token = exchange(client, params["code"], verifier)
    assert token.status_code == 200, token.get_json()
    assert exchange(client, params["code"], verifier).status_code == 400  # still single-use


def test_the_token_response_carries_the_userinfo_without_secrets(client, totp_user, clock):
    verifier, challenge = pkce_pair()
    response = exchange(client, two_factor_code(client, totp_user, clock, challenge)["code"], verifier)
    token = response.get_json()
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert token["userinfo"] == client.get("/auth/userinfo", headers=bearer).get_json()
    assert token["userinfo"] == {
        "id": totp_user["id"],
        "email": "bob@example.com",
        "twoFactor": {"enabled": True},
    }
    assert totp_user["secret"] not in response.get_data(as_text=True)
    assert "password" not in response.get_data(as_text=True)

    data = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    refreshed = client.post("/auth/token", data=data, auth=CLIENT_AUTH).get_json()
    assert refreshed["userinfo"] == token["userinfo"]


def test_form_fields_are_not_taken_for_authorize_parameters(client, totp_user, clock):
    """The flow comes from the query string only: a redirect_uri in the posted form changes nothing."""
    _, challenge = pkce_pair()
    page = log_in(client, code_query(challenge), email="bob@example.com")
    data = {"token": totp.code_at(totp_user["secret"], clock()), "redirect_uri": "http://evil.example/cb"}
    back = submit(client, page, data)
    assert back.status_code == 303 and back.headers["Location"].startswith(APP_CALLBACK + "?")
    assert "code" in query_of(back.headers["Location"]) and "error" not in query_of(back.headers["Location"])
