"""The dev outbox: in demo mode every email and text message the app sends is readable at /dev/outbox."""

from __future__ import annotations

import re

import pytest

from backend.app import create_app
from backend.app.outbox import CAPACITY

from .conftest import follow_sign_in
from .test_webhook import GOOD, URL, body


@pytest.fixture
def app_config(app_config):
    return {**app_config, "APP_MODE": "demo"}


def rows(html: str) -> list[str]:
    """The text of each message row, in page order."""
    found = re.findall(r'<tr class="message">(.*?)</tr>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in found]


def test_demo_mode_lists_the_email_and_sms_codes_of_a_run_newest_first(client, clock):
    follow_sign_in(client)
    assert client.put("/api/user/two-factor", json={"enabled": True, "method": "email"}).status_code == 202
    clock.advance(60)
    sms = {"enabled": True, "method": "sms", "phoneNumber": "+1 415 555 0100"}
    assert client.put("/api/user/two-factor", json=sms).status_code == 202
    clock.advance(60)
    assert client.post(URL, json=body("sms", token="654321"), headers=GOOD).status_code == 200

    page = client.get("/dev/outbox")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    newest, middle, oldest = rows(page.get_data(as_text=True))
    assert newest.startswith("2023-11-14 22:15:20 UTC Text message +14155550100")
    assert "654321" in newest
    assert "Text message +14155550100 Your verification code is" in middle
    assert "Email ann@example.com Your verification code is" in oldest
    assert re.search(r"\b[0-9]{6}\b", middle) and re.search(r"\b[0-9]{6}\b", oldest)


def test_the_page_escapes_what_it_shows(client):
    user = {"id": "u1", "email": "<script>alert(1)</script>@x.test"}
    assert client.post(URL, json=body(user=user), headers=GOOD).status_code == 200
    html = client.get("/dev/outbox").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;@x.test" in html


def test_only_the_newest_messages_are_kept(client):
    for n in range(CAPACITY + 5):
        assert client.post(URL, json=body(token=f"{n:06d}"), headers=GOOD).status_code == 200
    shown = rows(client.get("/dev/outbox").get_data(as_text=True))
    assert len(shown) == CAPACITY
    assert f"{CAPACITY + 4:06d}" in shown[0]
    assert "000005" in shown[-1]


@pytest.mark.parametrize("mode", [None, "production"])
def test_in_production_mode_there_is_no_outbox(app_config, mode):
    if mode is None:
        del app_config["APP_MODE"]
    else:
        app_config["APP_MODE"] = mode
    client = create_app(app_config).test_client()
    assert client.post(URL, json=body(), headers=GOOD).status_code == 200
    assert client.get("/dev/outbox").status_code == 404


def test_an_unknown_mode_refuses_to_start(app_config):
    with pytest.raises(RuntimeError, match="APP_MODE must be one of production, demo"):
        create_app({**app_config, "APP_MODE": "debug"})
