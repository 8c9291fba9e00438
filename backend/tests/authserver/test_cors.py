"""CORS for a single-page app that calls the auth server from the browser (the original Aidbox demo's
frontend): only /auth/userinfo, /Session and /app/*, only for the registered Clients' origins."""

from __future__ import annotations

import pytest

from backend.authserver.api.cors import origin_of

from .test_api_login import api_login, bearer

FRONTEND = "http://localhost:3000"  # the origin of Client web's redirect_uri
APP = "http://localhost:8081"  # the origin of Client two-factor-app's redirect_uri


def preflight(client, path: str, origin: str, method: str = "GET"):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )


def cors_headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name.startswith("Access-Control-")}


@pytest.mark.parametrize(
    ("path", "method"),
    [("/auth/userinfo", "GET"), ("/Session", "DELETE"), ("/app/auth/two-factor/request", "POST")],
)
@pytest.mark.parametrize("origin", [FRONTEND, APP])
def test_preflight_from_a_registered_origin_is_allowed(client, path, method, origin):
    response = preflight(client, path, origin, method)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert method in response.headers["Access-Control-Allow-Methods"].split(", ")
    allowed = {name.strip().lower() for name in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed == {"authorization", "content-type"}
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_the_answer_itself_names_the_origin(client, user):
    token = api_login(client, "ann@example.com").get_json()["token"]
    response = client.get("/auth/userinfo", headers={**bearer(token), "Origin": FRONTEND})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert "Origin" in response.headers["Vary"]


def test_an_error_answer_is_readable_too(client):
    """The original frontend drops its token on a 401 it can read; one it cannot read is a network error."""
    response = client.get("/auth/userinfo", headers={"Authorization": "Bearer gone", "Origin": FRONTEND})
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND
    assert "WWW-Authenticate" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "http://localhost:3001", "https://localhost:3000", "null"]
)
def test_another_origin_gets_no_cors_headers(client, user, origin):
    assert cors_headers(preflight(client, "/auth/userinfo", origin)) == {}
    token = api_login(client, "ann@example.com").get_json()["token"]
    assert cors_headers(client.get("/auth/userinfo", headers={**bearer(token), "Origin": origin})) == {}


@pytest.mark.parametrize(
    ("path", "method"),
    [("/auth/token", "POST"), ("/api/login", "POST"), ("/User/x", "GET"), ("/auth/authorize", "GET")],
)
def test_other_paths_get_no_cors_headers(client, path, method):
    assert cors_headers(preflight(client, path, FRONTEND, method)) == {}
    assert cors_headers(client.open(path, method=method, headers={"Origin": FRONTEND})) == {}


def test_a_newly_registered_client_origin_is_allowed_at_once(client, admin):
    assert cors_headers(preflight(client, "/auth/userinfo", "https://partner.example")) == {}
    admin.put(
        "Client",
        "partner",
        {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": "https://partner.example/cb"}}},
    )
    response = preflight(client, "/auth/userinfo", "https://partner.example")
    assert response.headers["Access-Control-Allow-Origin"] == "https://partner.example"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://localhost:3000/auth", "http://localhost:3000"),
        ("https://Example.COM:443/cb?x=1", "https://example.com"),
        ("http://[::1]:8080/cb", "http://[::1]:8080"),
        ("myapp://callback", None),
        ("http://localhost:99999/cb", None),
    ],
)
def test_origin_of_a_redirect_uri(url, origin):
    assert origin_of(url) == origin
