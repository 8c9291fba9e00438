"""Whatever a client sends, the answer is a 4xx with a clear message, never a 500."""

from urllib.parse import urlencode

import pytest

from .helpers import ADMIN_AUTH, csrf_token, follow, implicit_query

BIG = "x" * (1024 * 1024)


@pytest.mark.parametrize(
    ("resource_type", "body", "field"),
    [
        ("AuthConfig", {"twoFactor": {"issuerName": 5}}, "twoFactor.issuerName"),
        ("AuthConfig", {"twoFactor": {"validPastTokensCount": 11}}, "twoFactor.validPastTokensCount"),
        ("AuthConfig", {"twoFactor": {"validPastTokensCount": "5"}}, "twoFactor.validPastTokensCount"),
        ("AuthConfig", {"twoFactor": {"validPastTokensCount": True}}, "twoFactor.validPastTokensCount"),
        ("AuthConfig", {"twoFactor": {"webhook": {"endpoint": "ftp://x"}}}, "twoFactor.webhook.endpoint"),
        (
            "AuthConfig",
            {"twoFactor": {"webhook": {"endpoint": "http://x", "headers": {"A": 1}}}},
            "twoFactor.webhook.headers.A",
        ),
        (
            "AuthConfig",
            {"twoFactor": {"webhook": {"endpoint": "http://x", "timeout": 2.5}}},
            "twoFactor.webhook.timeout",
        ),
        ("AuthConfig", {"theme": {"title": ["x"]}}, "theme.title"),
        ("AuthConfig", {"theme": {"colour": "red"}}, "theme.colour"),
        ("AuthConfig", {"twoFactors": {}}, "twoFactors"),
        ("Client", {"auth": {"implicit": {"redirect_uri": "not a url"}}}, "auth.implicit.redirect_uri"),
        ("Client", {"first_party": "yes"}, "first_party"),
        ("Client", {"grant_types": "implicit"}, "grant_types"),
        ("Client", {"grant_types": [1]}, "grant_types[0]"),
        ("Client", {"secret": 123}, "secret"),
        ("AidboxConfig", {"provider": {"x": {"type": "carrier-pigeon"}}}, "provider.x.type"),
        ("AidboxConfig", {"provider": {"smtp": {"type": "smtp", "host": "h"}}}, "provider.smtp.port"),
        (
            "AidboxConfig",
            {"provider": {"console": {"type": "console"}, "default": "smtp"}},
            "provider.default",
        ),
        ("User", {"email": "not-an-email"}, "email"),
        ("User", {}, "email"),
        ("User", {"email": "a@b.co", "twoFactor": {"enabled": "true"}}, "twoFactor.enabled"),
        ("User", {"email": "a@b.co", "twoFactor": {"transport": 5}}, "twoFactor.transport"),
        ("User", {"email": "a@b.co", "twoFactor": {"secretKey": "not base32!"}}, "twoFactor.secretKey"),
        ("User", {"email": "a@b.co", "twoFactor": {"secretKey": "JBSWY3DP"}}, "twoFactor.secretKey"),
        ("User", {"email": "a@b.co", "twoFactor": {"enabled": True}}, "twoFactor"),
        ("User", {"email": "a@b.co", "admin": True}, "admin"),
        ("User", {"email": "a@b.co", "resourceType": "Client"}, "resourceType"),
        ("User", {"email": "a@b.co", "id": "other"}, "id"),
    ],
)
def test_wrong_shapes_are_422_naming_the_attribute(client, resource_type, body, field):
    response = client.put(f"/{resource_type}/bad-1", json=body, auth=ADMIN_AUTH)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == field and field.split(".")[-1].split("[")[0] in error["message"]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"data": "[1, 2]", "content_type": "application/json"}, 400),
        ({"data": "email=a@b.co", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"json": {"email": BIG}}, 413),
    ],
    ids=["malformed", "not-an-object", "not-json", "one-megabyte"],
)
def test_bad_bodies(client, kwargs, status):
    response = client.put("/User/u-1", auth=ADMIN_AUTH, **kwargs)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_unknown_resource_type_and_missing_resource(client):
    unknown = client.get("/Patient/1", auth=ADMIN_AUTH)
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "unknown_resource_type"
    assert client.get("/Client/nope", auth=ADMIN_AUTH).status_code == 404
    assert client.patch("/User/nope", json={}, auth=ADMIN_AUTH).status_code == 404
    assert client.put("/Client/bad id!", json={}, auth=ADMIN_AUTH).status_code == 422


@pytest.mark.parametrize("body", [{}, {"password": 5}, {"password": ""}])
def test_check_password_needs_a_password(client, user, body):
    response = client.post(f"/User/{user['id']}/$check-password", json=body, auth=ADMIN_AUTH)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "password"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"grant_type": "password", "username": "a", "password": "b"},
        {"grant_type": "authorization_code"},
        {"grant_type": "authorization_code", "code": "x" * 5000},
        {"grant_type": "refresh_token"},
    ],
)
def test_token_endpoint_errors_are_4xx(client, data):
    response = client.post("/auth/token", data=data, auth=("two-factor-app", "app-secret"))
    assert 400 <= response.status_code < 500 and "error" in response.get_json()


def test_token_endpoint_with_a_huge_body(client):
    response = client.post("/auth/token", data={"code": BIG})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "request_entity_too_large"


@pytest.mark.parametrize(
    "query",
    [
        {"client_id": "web", "response_type": "token", "redirect_uri": 'http://localhost:3000/"auth\\'},
        {"client_id": "web", "response_type": "banana", "redirect_uri": "http://localhost:3000/auth"},
        {
            "client_id": "web",
            "response_type": "token",
            "redirect_uri": "http://localhost:3000/auth",
            "scope": "é",
        },
        {"client_id": "wéb", "response_type": "token"},
        {"response_type": "token"},
        {},
    ],
)
def test_authorize_with_odd_queries_never_500s(client, query):
    response = client.get("/auth/authorize?" + urlencode(query))
    assert response.status_code in (200, 302, 400)


def test_authorize_with_a_foreign_host_header(client):
    response = client.get("/auth/authorize?" + urlencode(implicit_query()), headers={"Host": "evil.example"})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": "x"}, "Enter your email."),
        ({"email": "ann@example.com"}, "Enter your password."),
        ({"email": "ann@example.com", "password": BIG[:70_000]}, None),
    ],
)
def test_login_form_bad_input(client, user, data, message):
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
    )
    if response.status_code == 303:  # the form again, with why (an oversized body is refused at once)
        response = follow(client, response)
    assert 400 <= response.status_code < 500
    if message:
        assert message in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client, user):
    posted = client.post("/auth/login", data={"email": "ann@example.com", "password": "correct horse"})
    response = follow(client, posted)
    assert response.status_code == 422
    assert "This form expired" in response.get_data(as_text=True)
    assert (
        "authserver_session" not in posted.headers.get("Set-Cookie", "")
        or client.get("/auth/done").status_code == 302
    )


def test_step_page_without_a_login(client):
    response = client.post("/auth/two-factor", data={"token": "123456"})
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]


def test_nul_characters_are_400_and_change_nothing(client, user):
    """PostgreSQL cannot store NUL in text: without the check these were 500s there."""
    assert client.get("/AuditEvent?user=a%00b", auth=ADMIN_AUTH).status_code == 400
    page = client.get("/auth/authorize?" + urlencode(implicit_query()))
    form = {"csrf_token": csrf_token(page.text), "email": "ann@example.com\x00", "password": "correct horse"}
    refused = client.post("/auth/login?" + urlencode(implicit_query()), data=form)
    assert refused.status_code == 400
    body = {"email": "nul\x00@example.com", "password": "a long password"}
    answer = client.put("/User/nul-1", json=body, auth=ADMIN_AUTH)
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_characters"
    assert client.get("/User/nul-1", auth=ADMIN_AUTH).status_code == 404
