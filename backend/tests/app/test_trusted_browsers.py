"""The settings page's trusted browsers: the list from the auth server, revoking one, signing out of all;
only the signed-in user's, only with a JSON body (the CSRF defence)."""

from __future__ import annotations

import pytest

from .fake_authserver import USER_ID

LIST = "/api/user/trusted-browsers"


def browser(browser_id: int, label: str) -> dict:
    return {
        "id": browser_id,
        "label": label,
        "created": "2026-12-01T10:00:00Z",
        "lastUsed": "2026-12-03T09:30:00Z",
        "expires": "2026-12-31T10:00:00Z",
    }


@pytest.fixture
def two_browsers(fake_auth):
    fake_auth.trusted_browsers[USER_ID] = [browser(7, "Chrome on Linux"), browser(3, "Firefox on Windows")]


def test_the_list_shows_label_and_dates(signed_in, two_browsers):
    response = signed_in.get(LIST)
    assert response.status_code == 200
    assert response.json == {
        "trustedBrowsers": [browser(7, "Chrome on Linux"), browser(3, "Firefox on Windows")]
    }


def test_revoking_one_leaves_the_other(signed_in, fake_auth, two_browsers):
    response = signed_in.delete(f"{LIST}/7", json={})
    assert response.status_code == 200 and response.json == {
        "trustedBrowsers": [browser(3, "Firefox on Windows")]
    }
    assert [entry["id"] for entry in signed_in.get(LIST).json["trustedBrowsers"]] == [3]


def test_revoking_an_unknown_browser_is_a_404(signed_in, two_browsers):
    response = signed_in.delete(f"{LIST}/99", json={})
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_sign_out_of_all_trusted_browsers(signed_in, fake_auth, two_browsers):
    assert signed_in.delete(LIST, json={}).json == {"trustedBrowsers": []}
    assert signed_in.get(LIST).json == {"trustedBrowsers": []}


def test_a_delete_without_a_json_body_changes_nothing(signed_in, fake_auth, two_browsers):
    assert signed_in.delete(LIST).status_code == 415
    assert len(fake_auth.trusted_browsers[USER_ID]) == 2


def test_signed_out_gets_401(client, two_browsers):
    assert client.get(LIST).status_code == 401
    assert client.delete(LIST, json={}).status_code == 401
