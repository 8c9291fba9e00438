"""Secrets at rest: twoFactor.secretKey is encrypted with AUTH_ENCRYPTION_KEY (nothing base32 in clear);
access tokens, refresh tokens and authorization codes are kept as SHA-256 hashes only."""

from __future__ import annotations

import sqlite3

import pytest

from backend.authserver import create_app
from backend.common import totp

from ..databases import postgres_base, stored_bytes
from .helpers import ADMIN_AUTH, fragment, implicit_query, log_in, pkce_pair
from .test_code_flow_pkce import exchange, get_code
from .test_totp_step import assert_signed_in, enter, to_step_page


def database_bytes(config) -> bytes:
    return stored_bytes(config["AUTH_DATABASE_URL"])


def test_database_file_holds_no_secret_in_clear(client, config, totp_user, clock):
    raw = database_bytes(config)
    assert totp_user["secret"].encode() not in raw
    assert totp_user["secret"].lower().encode() not in raw
    assert b"fernet:" in raw
    # ...and it still works: the admin API shows it, the login step checks codes with it.
    assert (
        client.get(f"/User/{totp_user['id']}", auth=ADMIN_AUTH).get_json()["twoFactor"]["secretKey"]
        == (totp_user["secret"])
    )
    assert_signed_in(client, enter(client, to_step_page(client), totp.code_at(totp_user["secret"], clock())))


def test_no_live_token_or_code_is_stored_in_clear(app, config, user):
    """SQLite: the bytes of the file; PostgreSQL: every row of every table."""
    client = app.test_client()
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)["code"]
    assert code.encode() not in database_bytes(config)
    token = exchange(client, code, verifier).get_json()
    implicit = fragment(log_in(app.test_client(), implicit_query()).headers["Location"])["access_token"]

    raw = database_bytes(config)

    for secret in (token["access_token"], token["refresh_token"], implicit):
        assert secret.encode() not in raw
    # ...and they work: the stored hash finds them.
    for access_token in (token["access_token"], implicit):
        bearer = {"Authorization": f"Bearer {access_token}"}
        assert app.test_client().get("/auth/userinfo", headers=bearer).status_code == 200


@pytest.mark.skipif(postgres_base() is not None, reason="edits the SQLite file directly")
def test_a_row_from_before_encryption_is_read_and_encrypted_on_the_next_write(client, admin, config, user):
    secret = totp.new_secret()
    path = config["AUTH_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE users SET document = json_set(document, '$.twoFactor', json(?)) WHERE id = ?",
            (f'{{"enabled": false, "secretKey": "{secret}"}}', user["id"]),
        )
    assert admin.get("User", user["id"]).get_json()["twoFactor"]["secretKey"] == secret
    admin.patch_user(user["id"], {"phoneNumber": "+14155550100"})
    assert secret.encode() not in database_bytes(config)


def test_missing_key_refuses_to_start(config, monkeypatch):
    monkeypatch.delenv("AUTH_ENCRYPTION_KEY", raising=False)
    without = {key: value for key, value in config.items() if key != "AUTH_ENCRYPTION_KEY"}
    with pytest.raises(RuntimeError, match="Set AUTH_ENCRYPTION_KEY .* encrypts"):
        create_app(without)


def test_short_key_refuses_to_start(config):
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app({**config, "AUTH_ENCRYPTION_KEY": "too-short"})


def test_another_key_cannot_read_the_secret(config, totp_user):
    app = create_app({**config, "AUTH_ENCRYPTION_KEY": "another-key-0123456789abcdefghijklmn"})
    response = app.test_client().get(f"/User/{totp_user['id']}", auth=ADMIN_AUTH)
    assert response.status_code == 500
    assert totp_user["secret"] not in response.get_data(as_text=True)
