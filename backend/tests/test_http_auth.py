"""The Basic-credentials check and the 401 answer both servers share."""

from __future__ import annotations

import base64

import pytest
from flask import Flask

from backend.common.http_auth import basic_credentials_match, unauthorized


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.parametrize(
    ("headers", "matches"),
    [
        (basic("admin", "s3cret"), True),
        (basic("admin", "wrong"), False),
        (basic("other", "s3cret"), False),
        (basic("admin", ""), False),
        ({"Authorization": "Bearer s3cret"}, False),
        ({}, False),
    ],
)
def test_only_the_exact_basic_credentials_match(headers, matches):
    with Flask(__name__).test_request_context(headers=headers):
        assert basic_credentials_match("admin", "s3cret") is matches


def test_unauthorized_names_the_scheme_in_the_json_error_shape():
    with Flask(__name__).test_request_context():
        response = unauthorized("unauthorized", "Sign in first.", 'Basic realm="x"')
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="x"'
    assert response.get_json() == {"error": {"code": "unauthorized", "message": "Sign in first."}}
