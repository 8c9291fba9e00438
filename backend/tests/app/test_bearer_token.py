"""Implicit-flow tokens (Client web) on the API: introspected (whose is it?), then /auth/userinfo."""

from __future__ import annotations

import pytest

from backend.app import create_app

from .conftest import closed_port_url
from .fake_authserver import CLIENT


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_bearer_token_works_on_me(client, fake_auth):
    token = fake_auth.issue_token()
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json["email"] == "ann@example.com"
    assert client.get_cookie("app_session") is None, "a Bearer call does not start a cookie session"


def test_bearer_token_can_set_up_two_factor(client, fake_auth):
    token = fake_auth.issue_token()
    response = client.post("/api/user/two-factor", json={}, headers=bearer(token))
    assert response.status_code == 200
    assert fake_auth.user["twoFactor"]["secretKey"] == response.json["secret"]


def test_revoked_token_is_401(client, fake_auth):
    token = fake_auth.issue_token()
    assert client.get("/api/me", headers=bearer(token)).status_code == 200
    fake_auth.tokens.pop(token)
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_garbage_tokens_are_401(client):
    for header in ["Bearer nonsense", "Bearer ", "Basic YTpi", "Bearer " + "x" * 5000, "bearer\x00"]:
        assert client.get("/api/me", headers={"Authorization": header}).status_code == 401


def test_logout_with_bearer_revokes_the_token(client, fake_auth):
    token = fake_auth.issue_token()
    assert client.post("/logout", json={}, headers=bearer(token)).json == {"loggedOut": True}
    assert fake_auth.ended_sessions == [token]
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_unreachable_auth_server_is_502_json(app_config):
    app_config["AUTH_SERVER_URL"] = closed_port_url()
    client = create_app(app_config).test_client()
    response = client.get("/api/me", headers=bearer("anything"))
    assert response.status_code == 502
    assert response.json["error"]["code"] == "auth_server_unavailable"


@pytest.mark.parametrize("path", ["/api/me", "/api/user/two-factor"])
def test_a_token_issued_to_another_client_is_401(client, fake_auth, path):
    token = fake_auth.issue_token(client_id="partner")
    response = client.get(path, headers=bearer(token))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_a_token_of_another_client_cannot_set_up_two_factor(client, fake_auth):
    token = fake_auth.issue_token(client_id="partner")
    assert client.post("/api/user/two-factor", json={}, headers=bearer(token)).status_code == 401
    assert "secretKey" not in fake_auth.user["twoFactor"]


def test_a_token_of_the_apps_own_client_works(client, fake_auth):
    token = fake_auth.issue_token(client_id=CLIENT[0])
    assert client.get("/api/user/two-factor", headers=bearer(token)).status_code == 200


def test_app_accepted_clients_decides_which_clients_tokens_work(app_config, fake_auth):
    client = create_app({**app_config, "APP_ACCEPTED_CLIENTS": "partner"}).test_client()
    assert (
        client.get("/api/me", headers=bearer(fake_auth.issue_token(client_id="partner"))).status_code == 200
    )
    assert client.get("/api/me", headers=bearer(fake_auth.issue_token(client_id="web"))).status_code == 401


def test_an_app_the_auth_server_does_not_recognise_answers_502_not_401(app_config, fake_auth):
    client = create_app({**app_config, "APP_CLIENT_SECRET": "not-the-registered-one"}).test_client()
    response = client.get("/api/me", headers=bearer(fake_auth.issue_token()))
    assert response.status_code == 502
    assert response.json["error"]["code"] == "auth_server_error"
