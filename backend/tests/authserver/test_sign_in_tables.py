"""A database from an earlier version (tokens in clear, no last use on login sessions) still starts:
the sign-in tables are rebuilt, so old tokens and sessions stop working; accounts stay."""

import sqlalchemy

from backend.authserver import create_app
from backend.common.database import engine_url

from .helpers import fragment, implicit_query, log_in

OLD_LAYOUT = (
    "DROP TABLE oauth2_tokens",
    "DROP TABLE login_sessions",
    "CREATE TABLE oauth2_tokens (id INTEGER PRIMARY KEY, access_token VARCHAR(255), user_id VARCHAR(128),"
    " login_session_id VARCHAR(64), expires_in INTEGER, issued_at INTEGER)",
    "CREATE TABLE login_sessions (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(128), created_at FLOAT,"
    " second_factor_pending BOOLEAN, code_delivered BOOLEAN)",
    "INSERT INTO login_sessions VALUES ('old-session', 'u', 1700000000, false, null)",
    "INSERT INTO oauth2_tokens VALUES (1, 'old-clear-token', 'u', 'old-session', 3600, 1700000000)",
)


def put_back_the_old_layout(url: str) -> None:
    engine = sqlalchemy.create_engine(engine_url(url))
    try:
        with engine.begin() as connection:
            for statement in OLD_LAYOUT:
                connection.execute(sqlalchemy.text(statement))
    finally:
        engine.dispose()


def test_an_old_database_gets_new_sign_in_tables_and_keeps_its_users(app, config, user):
    put_back_the_old_layout(config["AUTH_DATABASE_URL"])

    client = create_app(config).test_client()

    old = client.get("/auth/userinfo", headers={"Authorization": "Bearer old-clear-token"})
    assert old.status_code == 401
    token = fragment(log_in(client, implicit_query()).headers["Location"])["access_token"]
    info = client.get("/auth/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert info.status_code == 200 and info.get_json()["id"] == user["id"]
