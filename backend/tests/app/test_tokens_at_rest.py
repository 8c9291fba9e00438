"""The auth server's tokens in the app's session rows are encrypted (key from APP_SECRET_KEY), read
only when signing out, and unreadable with another key."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from backend.app import create_app
from backend.app.db import db
from backend.app.sessions import AppSession, update_tokens

SESSION_COOKIE = "app_session"


def stored_row(app) -> tuple[str, str, str]:
    """The only session row as the database holds it: id, access token, refresh token."""
    with app.app_context():
        return tuple(
            db.session.execute(text("SELECT id, access_token, refresh_token FROM app_sessions")).one()
        )


def overwrite_tokens(app, value: str) -> None:
    with app.app_context():
        db.session.execute(
            text("UPDATE app_sessions SET access_token = :v, refresh_token = :v"), {"v": value}
        )
        db.session.commit()


def test_sign_in_stores_neither_token_in_clear(signed_in, app, fake_auth):
    [access_token] = fake_auth.tokens
    [refresh_token] = fake_auth.refresh_tokens

    _, stored_access, stored_refresh = stored_row(app)

    for stored in (stored_access, stored_refresh):
        assert stored.startswith("fernet:")
        assert access_token not in stored and refresh_token not in stored
    with app.app_context():
        row = db.session.scalars(db.select(AppSession)).one()
        assert (row.access_token, row.refresh_token) == (access_token, refresh_token)


def test_a_rotated_token_pair_is_stored_encrypted(signed_in, app):
    session_id, *_ = stored_row(app)
    with app.app_context():
        update_tokens(db.session.get(AppSession, session_id), "rotated-access-token", "rotated-refresh-token")

    _, stored_access, stored_refresh = stored_row(app)

    assert stored_access.startswith("fernet:") and stored_refresh.startswith("fernet:")
    assert "rotated" not in stored_access + stored_refresh
    with app.app_context():
        row = db.session.get(AppSession, session_id)
        assert (row.access_token, row.refresh_token) == ("rotated-access-token", "rotated-refresh-token")


def test_logout_with_an_expired_token_refreshes_it_and_ends_the_new_one(signed_in, fake_auth):
    [refresh_token] = fake_auth.refresh_tokens
    fake_auth.tokens.clear()  # the access token has expired: DELETE /Session refuses it

    assert signed_in.post("/logout", json={}).status_code == 200

    # The fake accepts only the refresh token it issued, once, and hands out a new pair.
    [new_refresh_token] = fake_auth.refresh_tokens
    assert new_refresh_token != refresh_token
    [ended] = fake_auth.ended_sessions
    assert fake_auth.token_clients[ended] == "two-factor-app"
    assert fake_auth.tokens == {}


def test_a_request_of_the_signed_in_user_does_not_decrypt_the_tokens(signed_in, app):
    overwrite_tokens(app, "fernet:not-a-token")

    assert signed_in.get("/api/me").status_code == 200


def test_another_app_secret_key_cannot_read_the_tokens(signed_in, app_config):
    other = create_app({**app_config, "APP_SECRET_KEY": "another-secret-key-0123456789"})
    browser = other.test_client()
    browser.set_cookie(SESSION_COOKIE, signed_in.get_cookie(SESSION_COOKIE).value)

    assert browser.get("/api/me").status_code == 401  # the cookie was signed with the old key too
    with (
        other.app_context(),
        pytest.raises(RuntimeError, match="was APP_SECRET_KEY changed"),
    ):
        _ = db.session.scalars(db.select(AppSession)).one().access_token


def test_a_token_stored_in_clear_is_refused(signed_in, app):
    overwrite_tokens(app, "token-in-clear")

    with app.app_context(), pytest.raises(RuntimeError, match="not encrypted"):
        _ = db.session.scalars(db.select(AppSession)).one().access_token
