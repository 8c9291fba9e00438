"""The admin resource API: round trips, merge patch, search, password check, Basic auth only."""

import pytest

from .helpers import ADMIN_AUTH, APP_SECRET, Admin, fragment, implicit_query, log_in

DOCUMENTS = {
    "AuthConfig": {
        "twoFactor": {
            "issuerName": "Demo",
            "validPastTokensCount": 3,
            "webhook": {
                "endpoint": "http://localhost:8081/webhook/two-factor-confirmation",
                "headers": {"Authorization": "Basic dHdvLWZhY3Rvci13ZWJob29rOnNlY3JldA=="},
                "timeout": 5000,
            },
        },
        "theme": {
            "title": "Demo",
            "brand": "https://example.com/logo.svg",
            "styleUrl": "https://example.com/a.css",
        },
    },
    "Client": {
        "secret": "s3cret",
        "first_party": True,
        "grant_types": ["authorization_code", "refresh_token"],
        "auth": {"authorization_code": {"redirect_uri": "http://localhost:8081/auth/callback", "pkce": True}},
    },
    "AidboxConfig": {
        "provider": {
            "smtp": {
                "type": "smtp",
                "host": "localhost",
                "port": 2525,
                "from": "demo@example.com",
                "tls": False,
            },
            "default": "smtp",
        }
    },
    "User": {
        "email": "cat@example.com",
        "phoneNumber": "+14155550100",
        "twoFactor": {"enabled": True, "transport": "email", "secretKey": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"},
    },
}


@pytest.mark.parametrize("resource_type", DOCUMENTS)
def test_put_then_get_round_trips(client, resource_type):
    body = DOCUMENTS[resource_type]
    created = client.put(f"/{resource_type}/rt-1", json=body, auth=ADMIN_AUTH)
    assert created.status_code == 201
    expected = {"resourceType": resource_type, "id": "rt-1", **body}
    assert created.get_json() == expected
    assert client.get(f"/{resource_type}/rt-1", auth=ADMIN_AUTH).get_json() == expected
    again = client.put(f"/{resource_type}/rt-1", json=expected, auth=ADMIN_AUTH)
    assert again.status_code == 200 and again.get_json() == expected


def test_password_is_hashed_and_never_returned(client, admin, user):
    document = admin.get("User", user["id"]).get_json()
    assert "password" not in document and "correct horse" not in str(document)
    ok = client.post(
        f"/User/{user['id']}/$check-password", json={"password": "correct horse"}, auth=ADMIN_AUTH
    )
    assert ok.status_code == 200 and ok.get_json() == {"valid": True}
    bad = client.post(f"/User/{user['id']}/$check-password", json={"password": "nope"}, auth=ADMIN_AUTH)
    assert bad.status_code == 422
    assert bad.get_json()["error"] == {
        "code": "invalid_password",
        "message": "The password is not correct.",
        "field": "password",
    }


def test_patch_is_a_json_merge_patch(admin, totp_user):
    enabled = admin.patch_user(totp_user["id"], {"phoneNumber": "+1555", "twoFactor": {"enabled": False}})
    assert enabled.status_code == 200
    assert enabled.get_json()["twoFactor"] == {"enabled": False, "secretKey": totp_user["secret"]}
    removed = admin.patch_user(totp_user["id"], {"twoFactor": None, "phoneNumber": None})
    assert "twoFactor" not in removed.get_json() and "phoneNumber" not in removed.get_json()


def test_patch_can_change_the_password(client, admin, user):
    assert admin.patch_user(user["id"], {"password": "a new password"}).status_code == 200
    url = f"/User/{user['id']}/$check-password"
    assert client.post(url, json={"password": "a new password"}, auth=ADMIN_AUTH).status_code == 200


def test_search_users_by_email(client, user):
    bundle = client.get("/User?email=ANN@example.com", auth=ADMIN_AUTH).get_json()
    assert bundle["resourceType"] == "Bundle"
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [user["id"]]
    assert client.get("/User?email=nobody@example.com", auth=ADMIN_AUTH).get_json()["entry"] == []


def test_emails_are_stored_lower_case_and_unique(client, admin, user):
    created = admin.create_user("Dan@Example.COM", "password 1")
    assert created["email"] == "dan@example.com"
    clash = client.put("/User/other", json={"email": "ANN@example.com"}, auth=ADMIN_AUTH)
    assert clash.status_code == 409 and clash.get_json()["error"]["field"] == "email"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/AuthConfig/app"),
        ("put", "/Client/web"),
        ("get", "/Client/two-factor-app"),
        ("patch", "/User/x"),
        ("get", "/User?email=ann@example.com"),
        ("post", "/User/x/$check-password"),
    ],
)
@pytest.mark.parametrize("auth", [None, ("admin", "wrong"), ("two-factor-app", APP_SECRET)])
def test_admin_credentials_required(client, method, path, auth):
    response = getattr(client, method)(path, json={}, auth=auth)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_user_token_cannot_read_secrets(client, app, totp_user, user):
    token = fragment(log_in(client, implicit_query()).headers["Location"])["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    for path in (f"/User/{totp_user['id']}", f"/User/{user['id']}", "/Client/two-factor-app", "/User?email="):
        response = client.get(path, headers=bearer)
        assert response.status_code == 401
        assert totp_user["secret"] not in response.get_data(as_text=True)
        assert APP_SECRET not in response.get_data(as_text=True)
    info = client.get("/auth/userinfo", headers=bearer).get_data(as_text=True)
    assert "secretKey" not in info and "password" not in info


def test_admin_sees_the_secrets(app, totp_user):
    admin = Admin(app.test_client())
    assert admin.get("User", totp_user["id"]).get_json()["twoFactor"]["secretKey"] == totp_user["secret"]
    assert admin.get("Client", "two-factor-app").get_json()["secret"] == APP_SECRET
