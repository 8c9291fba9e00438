"""Database round trips of a browser's 2FA login in the code flow: each statement, BEGIN and COMMIT
costs a round trip, so the steps are held to the few they need."""

from collections import Counter

import pytest
from sqlalchemy import event

from backend.authserver.extensions import db
from backend.common import totp

from .helpers import (
    APP_CALLBACK,
    PASSWORD,
    code_query,
    follow,
    fragment,
    implicit_query,
    log_in,
    pkce_pair,
    post_form,
    query_of,
    submit,
)
from .test_code_flow_pkce import exchange


@pytest.fixture
def round_trips(app):
    counts = Counter()
    with app.app_context():
        engine = db.engine
    listeners = {
        "before_cursor_execute": lambda *args: counts.update(["statement"]),
        "begin": lambda *args: counts.update(["begin"]),
        "commit": lambda *args: counts.update(["commit"]),
        "rollback": lambda *args: counts.update(["rollback"]),
    }
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    yield counts
    for name, listener in listeners.items():
        event.remove(engine, name, listener)


def counted(counts: Counter, call):
    counts.clear()
    response = call()
    return response, sum(counts.values())


def test_a_two_factor_login_in_the_code_flow(client, totp_user, clock, round_trips):
    verifier, challenge = pkce_pair()
    query = code_query(challenge)
    form, form_trips = counted(round_trips, lambda: client.get("/auth/authorize", query_string=query))
    login_form = client.get("/auth/authorize", query_string=query)
    data = {"email": "bob@example.com", "password": PASSWORD}
    to_code_form, password_trips = counted(round_trips, lambda: post_form(client, login_form, data))
    code_form = follow(client, to_code_form)
    code = totp.code_at(totp_user["secret"], clock())
    back, code_trips = counted(round_trips, lambda: submit(client, code_form, {"token": code}))
    assert back.headers["Location"].startswith(APP_CALLBACK + "?")
    token, token_trips = counted(
        round_trips, lambda: exchange(client, query_of(back.headers["Location"])["code"], verifier)
    )
    assert token.status_code == 200 and token.get_json()["userinfo"]["email"] == "bob@example.com"

    # The Client and AuthConfig come from memory; no login session yet.
    assert form_trips == 0
    # BEGIN, the user, the new login session, COMMIT; and the throttle (database://, one SELECT per
    # tier): the account's 3 tiers of wrong passwords and the address's 2.
    assert password_trips <= 4 + 5
    # BEGIN, session + user, the used TOTP step, the half-signed-in session deleted and its successor
    # inserted under a new id (rotation), the code, COMMIT; and the throttle: the lock, the 2 tiers of
    # wrong codes, and their DELETE as the right code starts them over.
    assert code_trips <= 7 + 5
    # BEGIN, code + session + user, DELETE code, INSERT token, COMMIT.
    assert token_trips <= 5


def test_userinfo_reads_the_token_and_its_user_at_once(client, user, round_trips):
    access_token = fragment(log_in(client, implicit_query()).headers["Location"])["access_token"]
    bearer = {"Authorization": f"Bearer {access_token}"}
    info, trips = counted(round_trips, lambda: client.get("/auth/userinfo", headers=bearer))
    assert info.get_json()["email"] == "ann@example.com"
    assert trips <= 3  # BEGIN, token + user, ROLLBACK
