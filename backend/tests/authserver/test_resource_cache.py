"""AuthConfig, Client and AidboxConfig are kept in memory per process for AUTH_RESOURCE_CACHE_SECONDS.

Two apps on one database play two worker processes: a PUT is seen at once by the worker that took it,
by the other one once its copy is older than the cache time (on the injected clock).
"""

from urllib.parse import urlencode

import pytest

from backend.authserver import create_app

from .helpers import FRONTEND_AUTH, Admin, implicit_query


def title_on_login_page(client) -> str:
    html = client.get("/auth/authorize?" + urlencode(implicit_query())).get_data(as_text=True)
    return html.split("<title>", 1)[1].split("</title>", 1)[0]


def set_title(admin: Admin, title: str) -> None:
    admin.put("AuthConfig", "app", {"twoFactor": {"validPastTokensCount": 5}, "theme": {"title": title}})


@pytest.fixture
def other_worker(config, app):
    """A second process on the same database (``app`` has created and seeded it)."""
    return create_app(config)


def test_a_put_is_seen_at_once_by_the_worker_that_took_it(client, admin):
    assert title_on_login_page(client) == "Log in · Two-factor demo"
    set_title(admin, "Clinic")
    assert title_on_login_page(client) == "Log in · Clinic"


def test_another_worker_sees_a_put_within_the_cache_time(client, other_worker, clock):
    assert title_on_login_page(client) == "Log in · Two-factor demo"  # now in this worker's memory
    set_title(Admin(other_worker.test_client()), "Clinic")

    clock.advance(4)
    assert title_on_login_page(client) == "Log in · Two-factor demo"
    clock.advance(1)
    assert title_on_login_page(client) == "Log in · Clinic"


def test_a_changed_redirect_uri_is_refused_by_every_worker_after_the_cache_time(client, other_worker, clock):
    assert client.get("/auth/authorize?" + urlencode(implicit_query())).status_code == 200
    moved = {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": "http://localhost:3000/new"}}}
    Admin(other_worker.test_client()).put("Client", "web", moved)

    clock.advance(5)
    response = client.get("/auth/authorize?" + urlencode(implicit_query()))
    assert response.status_code == 400 and "Location" not in response.headers
    assert "not registered" in response.get_data(as_text=True)


def test_an_unknown_client_is_not_remembered(client, other_worker):
    query = {**implicit_query(), "client_id": "late"}
    assert client.get("/auth/authorize?" + urlencode(query)).status_code == 400
    late = {"grant_types": ["implicit"], "auth": {"implicit": {"redirect_uri": FRONTEND_AUTH}}}
    Admin(other_worker.test_client()).put("Client", "late", late)
    assert client.get("/auth/authorize?" + urlencode(query)).status_code == 200


def test_zero_turns_the_cache_off(config, app):
    first = create_app({**config, "AUTH_RESOURCE_CACHE_SECONDS": 0}).test_client()
    assert title_on_login_page(first) == "Log in · Two-factor demo"
    set_title(Admin(app.test_client()), "Clinic")
    assert title_on_login_page(first) == "Log in · Clinic"
