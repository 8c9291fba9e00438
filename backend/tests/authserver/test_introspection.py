"""RFC 7662 token introspection: a resource server learns whether a token is active and whose it is."""

from __future__ import annotations

from .helpers import APP_SECRET
from .test_api_login import api_login, bearer

APP_AUTH = ("two-factor-app", APP_SECRET)


def introspect(client, token: str, auth=APP_AUTH, **extra):
    return client.post("/auth/introspect", data={"token": token, **extra}, auth=auth)


def test_an_active_token_names_its_client_and_user(client, user, clock):
    token = api_login(client, "ann@example.com", application="web").get_json()["token"]
    response = introspect(client, token)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["active"] is True
    assert answer["client_id"] == "web"
    assert answer["sub"] == user["id"]
    assert answer["exp"] == int(clock()) + 3600


def test_a_token_of_another_client_says_so(client, user, admin):
    admin.put("Client", "partner", {"secret": "partner-secret", "grant_types": ["password"]})
    token = api_login(client, "ann@example.com", application="partner").get_json()["token"]
    assert introspect(client, token).get_json()["client_id"] == "partner"


def test_revoked_expired_and_unknown_tokens_are_inactive(client, user, clock):
    revoked = api_login(client, "ann@example.com").get_json()["token"]
    client.delete("/Session", headers=bearer(revoked))
    expired = api_login(client, "ann@example.com").get_json()["token"]
    clock.advance(3601)
    for token in (revoked, expired, "no-such-token"):
        assert introspect(client, token).get_json() == {"active": False}


def test_a_refresh_token_is_not_introspected(client, user):
    body = api_login(client, "ann@example.com", application="two-factor-app").get_json()
    answer = introspect(client, body["refreshToken"], token_type_hint="refresh_token")
    assert answer.get_json() == {"active": False}


def test_the_caller_must_authenticate_as_a_confidential_client(client, user):
    token = api_login(client, "ann@example.com").get_json()["token"]
    for auth in (None, ("two-factor-app", "wrong"), ("web", "")):
        response = introspect(client, token, auth=auth)
        assert response.status_code == 401
        assert response.get_json()["error"] == "invalid_client"
        assert "client_id" not in response.get_json()


def test_a_missing_token_is_invalid_request(client, user):
    response = client.post("/auth/introspect", data={}, auth=APP_AUTH)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"
