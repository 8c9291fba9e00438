"""Passwords are hashed with argon2id at OWASP's minimum or above; older hashes are replaced at sign-in."""

from __future__ import annotations

import pytest
from argon2 import Type, extract_parameters
from werkzeug.security import generate_password_hash

from backend.authserver.accounts import passwords
from backend.authserver.extensions import db
from backend.authserver.models import User
from backend.authserver.settings import load_settings

from .helpers import ADMIN_AUTH, implicit_query, log_in
from .test_api_login import api_login

PASSWORD = "correct horse"
REQUIRED = {"ADMIN_CLIENT_SECRET": "s", "AUTH_SECRET_KEY": "k", "AUTH_ENCRYPTION_KEY": "e" * 32}


def stored_hash(app, user_id: str) -> str:
    with app.app_context():
        return db.session.get(User, user_id).password_hash


def set_stored_hash(app, user_id: str, password_hash: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).password_hash = password_hash
        db.session.commit()


def test_default_cost_meets_owasp_minimum(tmp_path):
    """OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 at least."""
    config = load_settings({}, {**REQUIRED, "DATA_DIR": str(tmp_path)})
    parameters = extract_parameters(passwords.hash_password(PASSWORD, config))
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 19 * 1024
    assert parameters.time_cost >= 2
    assert parameters.parallelism >= 1


def test_cost_is_read_from_the_environment(tmp_path):
    environ = {
        "AUTH_PASSWORD_HASH_TIME_COST": "3",
        "AUTH_PASSWORD_HASH_MEMORY_KIB": "65536",
        "AUTH_PASSWORD_HASH_PARALLELISM": "2",
    }
    config = load_settings(environ, {**REQUIRED, "DATA_DIR": str(tmp_path)})
    assert passwords.hasher(config).time_cost == 3
    assert passwords.hasher(config).memory_cost == 65536
    assert passwords.hasher(config).parallelism == 2


@pytest.mark.parametrize("value", ["0", "-1", "many", ""])
def test_a_cost_that_is_not_a_positive_integer_stops_start_up(tmp_path, value):
    with pytest.raises(RuntimeError, match="AUTH_PASSWORD_HASH_TIME_COST must be a positive integer"):
        load_settings({}, {**REQUIRED, "DATA_DIR": str(tmp_path), "AUTH_PASSWORD_HASH_TIME_COST": value})


def test_a_new_password_is_argon2id_with_the_configured_cost(app, config, user):
    parameters = extract_parameters(stored_hash(app, user["id"]))
    assert parameters.type is Type.ID
    assert parameters.time_cost == config["AUTH_PASSWORD_HASH_TIME_COST"]
    assert parameters.memory_cost == config["AUTH_PASSWORD_HASH_MEMORY_KIB"]
    assert parameters.parallelism == config["AUTH_PASSWORD_HASH_PARALLELISM"]


def sign_in_by_form(client, _user):
    return log_in(client, implicit_query(), password=PASSWORD).status_code == 303


def sign_in_by_api(client, _user):
    return api_login(client, "ann@example.com", PASSWORD).status_code == 200


def check_password(client, user):
    response = client.post(
        f"/User/{user['id']}/$check-password", json={"password": PASSWORD}, auth=ADMIN_AUTH
    )
    return response.status_code == 200


SIGN_INS = [sign_in_by_form, sign_in_by_api, check_password]


@pytest.mark.parametrize("sign_in", SIGN_INS)
def test_an_old_scrypt_hash_still_signs_in_and_is_replaced_by_argon2id(app, client, user, sign_in):
    old = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    set_stored_hash(app, user["id"], old)
    assert sign_in(client, user)
    new = stored_hash(app, user["id"])
    assert new != old and extract_parameters(new).type is Type.ID
    assert sign_in(client.application.test_client(), user)
    assert stored_hash(app, user["id"]) == new


def test_a_hash_made_with_other_cost_settings_is_replaced(app, client, config, user):
    """Raising AUTH_PASSWORD_HASH_* upgrades each stored hash at the user's next sign-in."""
    earlier = {**config, "AUTH_PASSWORD_HASH_MEMORY_KIB": 2 * config["AUTH_PASSWORD_HASH_MEMORY_KIB"]}
    set_stored_hash(app, user["id"], passwords.hash_password(PASSWORD, earlier))
    assert sign_in_by_api(client, user)
    memory = extract_parameters(stored_hash(app, user["id"])).memory_cost
    assert memory == config["AUTH_PASSWORD_HASH_MEMORY_KIB"]


def test_a_wrong_password_changes_no_hash(app, client, user):
    old = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    set_stored_hash(app, user["id"], old)
    assert api_login(client, "ann@example.com", "wrong horse").status_code == 404
    assert log_in(client, implicit_query(), password="wrong horse").status_code == 401
    assert stored_hash(app, user["id"]) == old


def test_an_unknown_email_costs_one_argon2id_check(client, monkeypatch):
    """Timing must not tell which emails have accounts: an unknown one is checked against a dummy hash."""
    checked = []
    real_verify = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda *args: checked.append(args[0]) or real_verify(*args))
    assert api_login(client, "nobody@example.com", PASSWORD).status_code == 404
    assert len(checked) == 1 and extract_parameters(checked[0]).type is Type.ID
