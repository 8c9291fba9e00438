"""Whatever a caller sends, the answer is a JSON 4xx, never a 500; CORS only for the frontend."""

from __future__ import annotations

import pytest

from .conftest import FRONTEND_URL, closed_port_url

MUTATIONS = [
    ("post", "/api/user/two-factor"),
    ("put", "/api/user/two-factor"),
    ("delete", "/api/user/two-factor"),
    ("post", "/logout"),
]


@pytest.mark.parametrize(("method", "path"), MUTATIONS)
def test_mutations_need_json_content_type(signed_in, method, path):
    for kwargs in [{}, {"data": "{}", "content_type": "text/plain"}, {"data": {"a": "b"}}]:
        response = getattr(signed_in, method)(path, **kwargs)
        assert response.status_code == 415, kwargs
        assert response.json["error"]["code"] == "unsupported_media_type"
    assert signed_in.get("/api/me").status_code == 200


BAD_BODIES = [
    ("{", 400),
    ('{"enabled": tru', 400),
    ("[]", 400),
    ('"text"', 400),
    ("null", 400),
    ("\xff\xfe", 400),
]


@pytest.mark.parametrize(("method", "path"), MUTATIONS[:3])
@pytest.mark.parametrize(("data", "status"), BAD_BODIES)
def test_malformed_json_is_400(signed_in, method, path, data, status):
    response = getattr(signed_in, method)(path, data=data, content_type="application/json")
    assert response.status_code == status
    assert response.json["error"]["code"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"enabled": True},
        {"enabled": "true", "method": "totp", "code": "123456"},
        {"enabled": False, "method": "totp"},
        {"enabled": True, "method": ["totp"], "code": "123456"},
        {"enabled": True, "method": {"a": 1}, "code": "123456"},
        {"enabled": True, "method": "totp", "code": ["123456"]},
        {"enabled": True, "method": "totp", "code": {"x": 1}},
        {"enabled": True, "method": "totp", "code": "1" * 10_000},
        {"enabled": True, "method": "email", "code": 12},
    ],
)
def test_wrong_types_and_missing_fields_on_put_are_422(signed_in, body):
    response = signed_in.put("/api/user/two-factor", json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"]


@pytest.mark.parametrize(
    ("method", "path", "body", "unknown"),
    [
        (
            "put",
            "/api/user/two-factor",
            {"enabled": True, "method": "email", "sendTo": "eve@x.test"},
            "sendTo",
        ),
        ("post", "/api/user/two-factor", {"secret": "JBSWY3DPEHPK3PXP"}, "secret"),
        ("delete", "/api/user/two-factor", {"password": "x", "force": True}, "force"),
    ],
)
def test_an_unknown_field_is_422_naming_it_and_changes_nothing(
    signed_in, fake_auth, method, path, body, unknown
):
    before = dict(fake_auth.user)
    response = getattr(signed_in, method)(path, json=body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unknown_field" and response.json["error"]["field"] == unknown
    assert fake_auth.user == before


@pytest.mark.parametrize("path", ["/api/user/two-factor", "/logout", "/webhook/two-factor-confirmation"])
def test_one_megabyte_body_is_413_json(signed_in, path):
    big = '{"password": "' + "a" * (1024 * 1024) + '"}'
    response = signed_in.post(path, data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "request_entity_too_large"


def test_unknown_paths_and_methods_are_json(client):
    assert client.get("/api/nothing").status_code in (401, 404)
    response = client.get("/nothing")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    response = client.patch("/api/user/two-factor", json={})
    assert response.status_code in (401, 405)
    assert client.get("/webhook/two-factor-confirmation").status_code == 405


def test_callback_with_junk_is_a_redirect_not_an_error(client):
    for query in ["", "?state=", "?code=&state=x", "?error=%ff&state=x", "?error=" + "a" * 5000]:
        response = client.get("/auth/callback" + query)
        assert response.status_code == 302
        assert response.location.startswith(f"{FRONTEND_URL}/signin?error=")
    assert client.get("/auth/callback?error=%00&state=x").status_code == 400  # as on every route


def test_cors_preflight_allows_the_frontend_with_credentials(client):
    response = client.options(
        "/api/user/two-factor",
        headers={
            "Origin": FRONTEND_URL,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "Content-Type, Authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND_URL
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "content-type" in allowed and "authorization" in allowed
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]


def test_cors_refuses_other_origins(signed_in):
    response = signed_in.get("/api/me", headers={"Origin": "http://evil.test"})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = signed_in.options(
        "/logout", headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_cors_on_simple_get_for_the_frontend(signed_in):
    response = signed_in.get("/api/me", headers={"Origin": FRONTEND_URL})
    assert response.headers["Access-Control-Allow-Origin"] == FRONTEND_URL
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/user/two-factor", None),
        ("post", "/api/user/two-factor", {}),
        ("put", "/api/user/two-factor", {"enabled": True, "method": "totp", "code": "123456"}),
        ("delete", "/api/user/two-factor", {"password": "x"}),
    ],
)
def test_unreachable_auth_server_is_502_not_500(signed_in, method, path, body):
    signed_in.application.extensions["authserver_client"].base_url = closed_port_url()
    kwargs = {} if body is None else {"json": body}
    response = getattr(signed_in, method)(path, **kwargs)
    assert response.status_code == 502
    assert response.json["error"]["code"] == "auth_server_unavailable"


def test_odd_auth_server_answers_are_502(signed_in, fake_auth):
    fake_auth.auth_config = "not a document"
    response = signed_in.post("/api/user/two-factor", json={})
    assert response.status_code == 502
    assert response.json["error"]["code"] == "auth_server_error"


def test_unreachable_auth_server_when_me_is_stale_still_answers_from_the_snapshot(signed_in, clock):
    signed_in.application.extensions["authserver_client"].base_url = closed_port_url()
    clock.advance(31)
    response = signed_in.get("/api/me")
    assert response.status_code == 200, "the refresh runs beside the request"
    signed_in.application.extensions["profile_refresh"].wait()
    assert signed_in.get("/api/me").json == response.json, "the failed refresh kept the snapshot"


def test_deleted_account_ends_the_session(signed_in, fake_auth):
    del fake_auth.users[fake_auth.user["id"]]
    response = signed_in.get("/api/user/two-factor")
    assert response.status_code == 401
    fake_auth.__post_init__()  # the same id exists again, but this session is over
    assert signed_in.get("/api/me").status_code == 401
    assert signed_in.get("/api/user/two-factor").status_code == 401


def test_nul_characters_are_400_and_change_nothing(signed_in):
    body = {"enabled": True, "method": "totp", "code": "12345\x00"}
    response = signed_in.put("/api/user/two-factor", json=body)
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_characters"
    assert signed_in.get("/api/me?x=%00").status_code == 400
    assert signed_in.get("/api/me").json["twoFactor"]["enabled"] is False
