"""POST /<Type> and DELETE /<Type>/<id> as Aidbox has them, and /User search by _id, _count and email."""

import pytest
from sqlalchemy import func, select

from backend.authserver.extensions import db
from backend.authserver.models import ThrottleEntry
from backend.common import totp

from .helpers import ADMIN_AUTH, fragment, implicit_query, log_in, submit

CLIENT = {"secret": "s3cret", "grant_types": ["client_credentials"]}


def test_post_without_id_generates_one(client):
    created = client.post("/Client", json=CLIENT, auth=ADMIN_AUTH)
    assert created.status_code == 201
    document = created.get_json()
    assert document["id"] and created.headers["Location"] == f"/Client/{document['id']}"
    assert client.get(created.headers["Location"], auth=ADMIN_AUTH).get_json() == document


def test_post_with_id_creates_it_and_a_second_time_is_409(client):
    created = client.post("/Client", json={"id": "batch", **CLIENT}, auth=ADMIN_AUTH)
    assert created.status_code == 201 and created.headers["Location"] == "/Client/batch"
    again = client.post("/Client", json={"id": "batch", **CLIENT, "secret": "other"}, auth=ADMIN_AUTH)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_exists"
    assert client.get("/Client/batch", auth=ADMIN_AUTH).get_json()["secret"] == "s3cret"


@pytest.mark.parametrize("bad_id", ["\ud975\udf50", "has space", "x" * 65, ""])
def test_post_with_an_id_no_resource_may_have_is_422_naming_it(client, bad_id):
    response = client.post("/Client", json={"id": bad_id, **CLIENT}, auth=ADMIN_AUTH)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "id"


def test_post_a_user_with_a_password(client):
    created = client.post("/User", json={"email": "new@example.com", "password": "pw"}, auth=ADMIN_AUTH)
    assert created.status_code == 201 and "password" not in created.get_json()
    user_id = created.get_json()["id"]
    check = client.post(f"/User/{user_id}/$check-password", json={"password": "pw"}, auth=ADMIN_AUTH)
    assert check.status_code == 200


def test_post_and_delete_need_the_admin(client, user):
    assert client.post("/Client", json=CLIENT).status_code == 401
    assert client.delete(f"/User/{user['id']}").status_code == 401
    assert client.get(f"/User/{user['id']}", auth=ADMIN_AUTH).status_code == 200


def test_delete_answers_the_document_then_it_is_gone(client):
    client.put("/Client/gone", json=CLIENT, auth=ADMIN_AUTH)
    deleted = client.delete("/Client/gone", auth=ADMIN_AUTH)
    assert deleted.status_code == 200 and deleted.get_json()["id"] == "gone"
    assert client.get("/Client/gone", auth=ADMIN_AUTH).status_code == 404
    assert client.delete("/Client/gone", auth=ADMIN_AUTH).status_code == 404
    assert client.delete("/Nothing/gone", auth=ADMIN_AUTH).status_code == 404


def _rows_of(user_id: str) -> dict[str, int]:
    counts = {}
    for table in db.metadata.sorted_tables:
        column = table.c.get("user_id") if "user_id" in table.c else table.c.get("id")
        if table.name in ("users", "audit_events") or "user_id" in table.c:
            counts[table.name] = db.session.scalar(select(func.count()).where(column == user_id))
    throttled = select(func.count()).where(ThrottleEntry.key.contains(user_id))
    counts["throttle_entries"] = db.session.scalar(throttled)
    return counts


def test_a_deleted_user_leaves_nothing_but_its_audit_record(app, client, admin):
    secret = totp.new_secret()
    user = admin.create_user(
        "del@example.com", "correct horse", twoFactor={"enabled": True, "secretKey": secret}
    )
    client.post(f"/User/{user['id']}/$recovery-codes", json={}, auth=ADMIN_AUTH)
    page = log_in(client, implicit_query(), email="del@example.com", password="correct horse")
    submit(client, page, {"token": "000000"})  # a wrong code: counted by the throttle
    done = submit(client, page, {"token": totp.code_at(secret, app.config["CLOCK"]())})
    assert "access_token" in fragment(done.headers["Location"])
    with app.app_context():
        before = _rows_of(user["id"])
    assert before["recovery_codes"] and before["oauth2_tokens"] and before["throttle_entries"]

    deleted = client.delete(f"/User/{user['id']}", auth=ADMIN_AUTH)
    assert deleted.status_code == 200 and deleted.get_json()["email"] == "del@example.com"
    with app.app_context():
        left = {name: count for name, count in _rows_of(user["id"]).items() if count}
    assert set(left) == {"audit_events"}
    events = client.get(f"/AuditEvent?user={user['id']}", auth=ADMIN_AUTH).get_json()["entry"]
    assert events[0]["resource"]["type"] == "user-deleted"
    again = admin.create_user("del@example.com", "correct horse")  # the email is free again
    assert again["email"] == "del@example.com"


@pytest.fixture
def three_users(admin) -> list[dict]:
    return [admin.create_user(f"{name}@example.com", "pw") for name in ("ann", "bob", "cat")]


def _search(client, query: str):
    return client.get(f"/User?{query}", auth=ADMIN_AUTH)


def test_search_by_one_id_and_by_several(client, three_users):
    ann, bob, cat = three_users
    one = _search(client, f"_id={bob['id']}&_count=1").get_json()
    assert one["total"] == 1 and [e["resource"]["id"] for e in one["entry"]] == [bob["id"]]
    two = _search(client, f"_id={ann['id']},{cat['id']}").get_json()
    assert two["total"] == 2 and {e["resource"]["id"] for e in two["entry"]} == {ann["id"], cat["id"]}
    assert _search(client, "_id=nobody").get_json() == {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 0,
        "entry": [],
    }


def test_count_limits_the_entries_not_the_total(client, three_users):
    page = _search(client, "_count=2").get_json()
    assert page["total"] == 3 and len(page["entry"]) == 2


def test_email_and_id_together(client, three_users):
    ann, bob, _ = three_users
    assert _search(client, f"email=ann@example.com&_id={ann['id']}").get_json()["total"] == 1
    assert _search(client, f"email=ann@example.com&_id={bob['id']}").get_json()["total"] == 0


def test_unknown_underscore_parameters_are_ignored(client, three_users):
    assert _search(client, "_sort=email&_elements=id").get_json()["total"] == 3


@pytest.mark.parametrize("count", ["0", "-1", "abc", "1.5", "１", "99999", "9" * 5000, ""])
def test_bad_count_is_400(client, count):
    answer = _search(client, f"_count={count}")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["field"] == "_count"
    assert "_count" in answer.get_json()["error"]["message"]
