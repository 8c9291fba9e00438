"""Implicit grant for Client web: the token comes back in the redirect fragment with the state."""

from urllib.parse import urlencode

from .helpers import FRONTEND_AUTH, fragment, implicit_query, log_in


def test_login_form_then_token_in_fragment(client, user):
    response = log_in(client, implicit_query(state="xyz"))

    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(FRONTEND_AUTH + "#access_token=")
    params = fragment(location)
    assert params["state"] == "xyz" and params["token_type"].lower() == "bearer"
    info = client.get("/auth/userinfo", headers={"Authorization": f"Bearer {params['access_token']}"})
    assert info.status_code == 200
    assert info.get_json() == {"id": user["id"], "email": "ann@example.com", "twoFactor": {"enabled": False}}


def test_signed_in_user_goes_straight_on(client, user):
    log_in(client, implicit_query())
    again = client.get("/auth/authorize?" + urlencode(implicit_query(state="second")))
    assert again.status_code == 302 and fragment(again.headers["Location"])["state"] == "second"


def test_login_page_has_labels_and_autocomplete(client):
    html = client.get("/auth/authorize?" + urlencode(implicit_query())).get_data(as_text=True)
    assert '<label for="email">Email</label>' in html and '<label for="password">Password</label>' in html
    assert 'autocomplete="email"' in html and 'autocomplete="current-password"' in html
    assert ">Log in</button>" in html and "Two-factor demo" in html


def test_wrong_password_shows_the_form_again(client, user):
    response = log_in(client, implicit_query(), password="wrong password")
    assert response.status_code == 401
    assert 'role="alert">The email or password is not correct.' in response.get_data(as_text=True)
