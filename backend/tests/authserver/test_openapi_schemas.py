"""/openapi.json describes each body with the schema the server checks it with, and each answer as sent."""

from __future__ import annotations

import jsonschema_rs
import pytest

from .helpers import ADMIN_AUTH
from .test_second_factor_lock import twenty_wrong_codes


def described(client, method: str, path: str, status: str | None = None) -> jsonschema_rs.Validator:
    """The served description's schema of an operation's JSON body, or of its answer with ``status``."""
    document = client.get("/openapi.json").get_json()
    operation = document["paths"][path][method]
    part = operation["responses"][status] if status else operation["requestBody"]
    schema = part["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})


REFUSED = [
    ("/AuthConfig/{id}", {"twoFactor": {"validPastTokensCount": 11}}),
    ("/AuthConfig/{id}", {"twoFactor": {"webhook": {"timeout": 5000}}}),
    ("/AuthConfig/{id}", {"theme": {"title": "x" * 201}}),
    ("/Client/{id}", {"grant_types": [1]}),
    ("/Client/{id}", {"first_party": "yes"}),
    ("/AidboxConfig/{id}", {"provider": {"smtp": {"type": "smtp", "host": "h"}}}),
    ("/AidboxConfig/{id}", {"provider": {"x": {"type": "carrier-pigeon"}}}),
    ("/User/{id}", {"email": "a@b.co", "twoFactor": {"transport": ""}}),
    ("/User/{id}", {"email": "a@b.co", "admin": True}),
    ("/User/{id}", {"password": "a long password"}),
]


@pytest.mark.parametrize(("path", "body"), REFUSED)
def test_a_document_the_description_refuses_is_refused(client, path, body):
    assert not described(client, "put", path).is_valid(body)
    response = client.put(path.replace("{id}", "doc-1"), json=body, auth=ADMIN_AUTH)
    assert response.status_code == 422


ACCEPTED = [
    ("/AuthConfig/{id}", {"twoFactor": {"issuerName": "Demo", "validPastTokensCount": 5}, "theme": None}),
    (
        "/Client/{id}",
        {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": "http://x.example"}}},
    ),
    ("/AidboxConfig/{id}", {"provider": {"console": {"type": "console"}, "default": "console"}}),
    ("/User/{id}", {"email": "new@example.com", "twoFactor": {"enabled": False}, "meta": {"v": 1}}),
]


@pytest.mark.parametrize(("path", "body"), ACCEPTED)
def test_a_document_the_description_accepts_is_stored_and_answered_as_described(client, path, body):
    assert described(client, "put", path).is_valid(body)
    response = client.put(path.replace("{id}", "doc-1"), json=body, auth=ADMIN_AUTH)
    assert response.status_code == 201
    assert described(client, "put", path, "201").is_valid(response.get_json())


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/login", {"loginId": "ann@example.com", "password": "x" * 1025, "applicationId": "web"}),
        ("/api/two-factor/login", {"twoFactorId": "t", "code": "1" * 33, "applicationId": "web"}),
        ("/User/{userId}/$verify-totp", {"code": "123456", "extra": 1}),
    ],
)
def test_a_body_the_description_refuses_is_refused(client, user, path, body):
    assert not described(client, "post", path).is_valid(body)
    response = client.post(path.replace("{userId}", user["id"]), json=body, auth=ADMIN_AUTH)
    assert response.status_code == 422


def test_the_audit_log_of_a_locked_user_is_answered_as_described(client, totp_user, clock):
    twenty_wrong_codes(client, totp_user, clock)
    answer = client.get(f"/AuditEvent?user={totp_user['id']}", auth=ADMIN_AUTH).get_json()
    assert "second-factor-locked" in [entry["resource"]["type"] for entry in answer["entry"]]
    assert described(client, "get", "/AuditEvent", "200").is_valid(answer)
