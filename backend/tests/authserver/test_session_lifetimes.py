"""Login sessions end: idle (AUTH_SESSION_IDLE_SECONDS), at most AUTH_SESSION_MAX_SECONDS after the
password, and a half-signed-in one (password, no code yet) after AUTH_SESSION_SECOND_FACTOR_SECONDS.

An ended session is no session: the login form again, and no new token from it (authorize, code
exchange, refresh). Time moves on the injected clock.
"""

from urllib.parse import urlencode

import pytest
from sqlalchemy import event

from backend.authserver import create_app
from backend.authserver.extensions import db
from backend.authserver.settings import DEFAULTS
from backend.common import totp

from .helpers import FRONTEND_AUTH, code_query, implicit_query, log_in, pkce_pair, query_of
from .test_code_flow_pkce import CLIENT_AUTH, exchange, get_code
from .test_totp_step import enter, to_step_page

IDLE = DEFAULTS["AUTH_SESSION_IDLE_SECONDS"]
MAX = DEFAULTS["AUTH_SESSION_MAX_SECONDS"]
SECOND_FACTOR = DEFAULTS["AUTH_SESSION_SECOND_FACTOR_SECONDS"]


def authorize(client):
    return client.get("/auth/authorize?" + urlencode(implicit_query()))


def assert_gets_a_token(response):
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def assert_login_form(response):
    assert response.status_code == 200, response.headers.get("Location")
    assert ">Log in</button>" in response.get_data(as_text=True)


def test_the_defaults_are_an_idle_and_an_absolute_limit_like_keycloaks():
    assert (IDLE, MAX, SECOND_FACTOR) == (2 * 3600, 10 * 3600, 15 * 60)


def test_a_session_aged_ninety_days_gets_no_token(client, user, clock):
    log_in(client, implicit_query())
    clock.advance(90 * 24 * 3600)
    assert_login_form(authorize(client))


def test_an_idle_session_ends(client, user, clock):
    log_in(client, implicit_query())
    clock.advance(IDLE - 60)
    assert_gets_a_token(authorize(client))
    clock.advance(IDLE + 1)
    assert_login_form(authorize(client))


def test_use_keeps_a_session_alive_up_to_its_absolute_limit(client, user, clock):
    log_in(client, implicit_query())
    elapsed = 0
    while elapsed + IDLE / 2 < MAX:
        clock.advance(IDLE / 2)
        elapsed += IDLE / 2
        assert_gets_a_token(authorize(client))
    clock.advance(MAX - elapsed + 1)
    assert_login_form(authorize(client))


def test_the_last_use_is_written_at_most_once_a_minute(app, client, user, clock):
    log_in(client, implicit_query())
    with app.app_context():
        engine = db.engine
    writes = []

    def note_session_write(conn, cursor, statement, *args):
        if statement.startswith("UPDATE login_sessions"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", note_session_write)
    try:
        clock.advance(59)
        assert_gets_a_token(authorize(client))
        assert writes == []
        clock.advance(2)
        assert_gets_a_token(authorize(client))
        assert len(writes) == 1
    finally:
        event.remove(engine, "before_cursor_execute", note_session_write)


def test_the_code_step_waits_a_few_minutes_only(client, totp_user, clock):
    page = to_step_page(client)
    clock.advance(SECOND_FACTOR + 1)
    late = enter(client, page, totp.code_at(totp_user["secret"], clock()))
    assert_login_form(late)
    assert_login_form(authorize(client))


def test_the_code_step_within_its_time_signs_in(client, totp_user, clock):
    page = to_step_page(client)
    clock.advance(SECOND_FACTOR - 30)
    response = enter(client, page, totp.code_at(totp_user["secret"], clock()))
    assert response.status_code == 303 and "#access_token=" in response.headers["Location"]


def code_from_the_session(client, challenge):
    """A code from the browser's current login session (no password)."""
    response = client.get("/auth/authorize?" + urlencode(code_query(challenge)))
    assert response.status_code == 302, response.get_data(as_text=True)
    return query_of(response.headers["Location"])["code"]


def refresh(client, refresh_token):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return client.post("/auth/token", data=data, auth=CLIENT_AUTH)


def test_an_idle_session_takes_its_refresh_tokens_with_it(client, user, clock):
    verifier, challenge = pkce_pair()
    token = exchange(client, get_code(client, challenge)["code"], verifier).get_json()
    clock.advance(IDLE + 1)
    refused = refresh(client, token["refresh_token"])
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_grant"


def test_a_code_from_a_session_that_ended_since_buys_no_token(client, user, clock):
    verifier, challenge = pkce_pair()
    signed_in_at = clock()
    exchange(client, get_code(client, challenge)["code"], verifier)
    while clock() + IDLE / 2 < signed_in_at + MAX - 100:
        clock.advance(IDLE / 2)
        assert_gets_a_token(authorize(client))
    clock.now = signed_in_at + MAX - 100
    late_code = code_from_the_session(client, challenge)
    clock.advance(200)  # the code is 200 s old (it lives 300 s); the session is past its limit
    late = exchange(client, late_code, verifier)
    assert late.status_code == 400 and late.get_json()["error"] == "invalid_grant"


def test_refreshing_counts_as_use(client, user, clock):
    verifier, challenge = pkce_pair()
    token = exchange(client, get_code(client, challenge)["code"], verifier).get_json()
    for _ in range(3):
        clock.advance(IDLE - 60)
        data = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
        refreshed = client.post("/auth/token", data=data, auth=CLIENT_AUTH)
        assert refreshed.status_code == 200, refreshed.get_json()
        token = refreshed.get_json()


def test_the_lifetimes_are_settings(config, user, clock):
    client = create_app({**config, "AUTH_SESSION_IDLE_SECONDS": 120}).test_client()
    log_in(client, implicit_query())
    clock.advance(121)
    assert_login_form(authorize(client))


def test_the_lifetimes_come_from_the_environment(config, monkeypatch):
    monkeypatch.setenv("AUTH_SESSION_MAX_SECONDS", "3600")
    assert create_app(config).config["AUTH_SESSION_MAX_SECONDS"] == 3600


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_a_lifetime_that_is_not_a_positive_number_refuses_to_start(config, monkeypatch, value):
    monkeypatch.setenv("AUTH_SESSION_IDLE_SECONDS", value)
    with pytest.raises(RuntimeError, match="AUTH_SESSION_IDLE_SECONDS"):
        create_app(config)
