"""Implicit grant for Client web: the token comes back in the redirect fragment with the state."""

from urllib.parse import urlencode

from .helpers import FRONTEND_AUTH, fragment, implicit_query, log_in, post_form, query_of


def test_login_form_then_token_in_fragment(client, user):
    response = log_in(client, implicit_query(state="xyz"))

    assert response.status_code == 303
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
    assert 'autocomplete="username webauthn"' in html and 'autocomplete="current-password"' in html
    assert ">Log in</button>" in html and "Two-factor demo" in html


def test_wrong_password_shows_the_form_again(client, user):
    response = log_in(client, implicit_query(), password="wrong password")
    assert response.status_code == 401
    assert 'role="alert">The email or password is not correct.' in response.get_data(as_text=True)


def test_a_refused_login_is_a_redirect_to_the_form_keeping_the_email_only(client, user):
    """Post/redirect/get: Back and Reload repeat a GET; the password never waits in the cookie."""
    page = client.get("/auth/authorize?" + urlencode(implicit_query()))
    posted = post_form(client, page, {"email": "ann@example.com", "password": "wrong password"})
    assert posted.status_code == 303
    assert posted.headers["Location"].startswith("/auth/login?")
    assert query_of(posted.headers["Location"]) == implicit_query()
    assert "wrong password" not in posted.headers.get("Set-Cookie", "")
    shown = client.get(posted.headers["Location"])
    assert shown.status_code == 401 and 'value="ann@example.com"' in shown.text
    assert "wrong password" not in shown.text
    reloaded = client.get(posted.headers["Location"])
    assert reloaded.status_code == 200 and "not correct" not in reloaded.text


def test_with_two_factor_on_the_password_is_answered_with_a_redirect_to_the_code_step(client, totp_user):
    page = client.get("/auth/authorize?" + urlencode(implicit_query()))
    posted = post_form(client, page, {"email": "bob@example.com", "password": "correct horse"})
    assert posted.status_code == 303
    assert posted.headers["Location"].startswith("/auth/two-factor?")
    assert query_of(posted.headers["Location"]) == implicit_query()
