"""`make start` on a `data/` folder left by release 0e445d9 (before migrations) upgrades both databases."""

from pathlib import Path

import requests
import sqlalchemy

import backend.app
import backend.authserver
from backend.app.db import db as app_db
from backend.authserver.extensions import db as authserver_db
from backend.authserver.models import CodeSend
from backend.launcher import free_port
from backend.tests.schema_history import insert_rows, made_by_release_0e445d9

from .test_start_command import _environ, _start, _stop_with_ctrl_c


def test_the_start_command_upgrades_a_data_folder_of_release_0e445d9(tmp_path: Path):
    authserver_url = f"sqlite:///{tmp_path / 'authserver.sqlite3'}"
    made_by_release_0e445d9(backend.authserver, authserver_db, authserver_url)
    made_by_release_0e445d9(backend.app, app_db, f"sqlite:///{tmp_path / 'app.sqlite3'}")
    insert_rows(authserver_url, "code_sends", {"user_id": "u-1", "sent_at": 1.0, "delivered": True})
    environ = _environ(tmp_path, [free_port() for _ in range(3)])

    process, _ = _start(environ)
    try:
        signup = requests.get(f"{environ['AUTH_SERVER_URL']}/auth/signup", timeout=5)
        assert signup.status_code == 200
    finally:
        _stop_with_ctrl_c(process)

    engine = sqlalchemy.create_engine(authserver_url)
    try:
        with engine.connect() as connection:
            purposes = connection.execute(sqlalchemy.select(CodeSend.purpose)).scalars().all()
    finally:
        engine.dispose()
    assert purposes == ["login"]
