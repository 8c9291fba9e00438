"""Two identical POST /<Type> racing for one id: one creates it, the other gets 409 already_exists (never
a 500, never an overwrite answered as a creation). The race is replayed by hiding the first request's
row from the second one's look-ups, as if it had been committed just after them."""

from __future__ import annotations

import pytest

from backend.authserver import store
from backend.authserver.extensions import db

from .helpers import ADMIN_AUTH

FIRST = {"id": "batch", "secret": "s3cret", "grant_types": ["client_credentials"]}
SECOND = {**FIRST, "secret": "other"}


@pytest.fixture
def first_client_stored(client):
    assert client.post("/Client", json=FIRST, auth=ADMIN_AUTH).status_code == 201


def test_a_row_committed_after_the_check_is_not_overwritten(client, first_client_stored, monkeypatch):
    monkeypatch.setattr(store, "get_document", lambda *_: None)
    again = client.post("/Client", json=SECOND, auth=ADMIN_AUTH)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_exists"
    monkeypatch.undo()
    assert client.get("/Client/batch", auth=ADMIN_AUTH).get_json()["secret"] == "s3cret"


def _unseen(monkeypatch, model_name: str) -> None:
    """The session's get() finds no row of ``model_name``: the INSERT then meets the primary key."""
    real_get = db.session.get

    def get(entity, key, *args, **kwargs):
        if getattr(entity, "__name__", "") == model_name:
            return None
        return real_get(entity, key, *args, **kwargs)

    monkeypatch.setattr(db.session, "get", get, raising=False)


def test_an_insert_that_meets_the_other_row_is_409(app, client, first_client_stored, monkeypatch):
    monkeypatch.setattr(store, "get_document", lambda *_: None)
    with app.app_context():
        _unseen(monkeypatch, "Resource")
        again = client.post("/Client", json=SECOND, auth=ADMIN_AUTH)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_exists"


def test_two_identical_user_creates(client, monkeypatch):
    body = {"id": "ann", "email": "ann@example.com", "password": "correct horse"}
    assert client.post("/User", json=body, auth=ADMIN_AUTH).status_code == 201
    monkeypatch.setattr(store, "get_document", lambda *_: None)
    again = client.post("/User", json=body, auth=ADMIN_AUTH)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_exists"
