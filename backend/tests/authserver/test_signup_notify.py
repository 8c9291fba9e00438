"""Signup: account created, welcome notification through AidboxConfig provider, signed in, flow continues."""

import logging
import threading
from urllib.parse import urlencode, urljoin

import pytest
import requests

from backend.authserver import store
from backend.tests.support import ServedApp

from .helpers import (
    ADMIN_AUTH,
    FRONTEND_AUTH,
    csrf_token,
    follow,
    form_action,
    implicit_query,
    post_form,
    submit,
)


def sign_up(client, email="new@example.com", password="long enough", confirm=None):
    page = client.get("/auth/signup?" + urlencode(implicit_query()))
    assert page.status_code == 200
    data = {
        "email": email,
        "password": password,
        "password_confirm": password if confirm is None else confirm,
    }
    return submit(client, page, data)


def test_signup_page_fields(client):
    html = client.get("/auth/signup?" + urlencode(implicit_query())).get_data(as_text=True)
    for label in ('for="email">Email', 'for="password">Password', 'for="password_confirm">Confirm password'):
        assert label in html
    assert html.count('autocomplete="new-password"') == 2 and ">Sign up</button>" in html


def test_signup_with_console_provider_logs_and_signs_in(client, caplog):
    with caplog.at_level(logging.INFO, logger="authserver.notify"):
        response = sign_up(client, email="New@Example.com")

    assert response.status_code == 303
    assert [r.getMessage() for r in caplog.records if r.name == "authserver.notify"] == [
        "Welcome email to new@example.com"
    ]
    assert response.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    bundle = client.get("/User?email=new@example.com", auth=ADMIN_AUTH).get_json()
    assert bundle["entry"][0]["resource"]["email"] == "new@example.com"
    assert "long enough" not in str(bundle)


def test_signup_with_smtp_provider_sends_real_mail(client, admin, smtp_sink):
    admin.put(
        "AidboxConfig",
        "provider",
        {
            "provider": {
                "smtp": {
                    "type": "smtp",
                    "host": smtp_sink.host,
                    "port": smtp_sink.port,
                    "from": "demo@example.com",
                },
                "default": "smtp",
            }
        },
    )
    assert sign_up(client).status_code == 303
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == "new@example.com" and message["From"] == "demo@example.com"
    assert "new@example.com" in smtp_sink.bodies()[0]


def test_smtp_failure_does_not_block_signup(client, admin, caplog):
    admin.put(
        "AidboxConfig",
        "provider",
        {
            "provider": {
                "smtp": {"type": "smtp", "host": "127.0.0.1", "port": 1, "from": "d@x.io"},
                "default": "smtp",
            }
        },
    )
    with caplog.at_level(logging.WARNING, logger="authserver.notify"):
        assert sign_up(client).status_code == 303
    assert "Could not send the welcome email" in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "short"}, "Use at least 8 characters for your password."),
        ({"confirm": "something else"}, "The two passwords do not match."),
        ({"email": "not-an-email"}, "Enter an email address like ann@example.com."),
        ({"email": ""}, "Enter your email."),
    ],
)
def test_signup_validation_messages(client, kwargs, message):
    response = sign_up(client, **kwargs)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_duplicate_email_has_a_clear_message(client, user):
    response = sign_up(client, email="ANN@example.com")
    assert response.status_code == 422
    assert "An account with this email already exists. Log in instead." in response.get_data(as_text=True)


def test_signup_without_a_client_ends_on_a_done_page(client):
    page = client.get("/auth/signup")
    data = {"email": "solo@example.com", "password": "long enough", "password_confirm": "long enough"}
    done = submit(client, page, data)
    assert done.status_code == 200 and "Signed in as solo@example.com" in done.get_data(as_text=True)


def post_signup_form(client, page, email="new@example.com", password="long enough"):
    data = {"email": email, "password": password, "password_confirm": password}
    return post_form(client, page, data)


def signup_page_and_cookie(client):
    page = client.get("/auth/signup?" + urlencode(implicit_query()))
    return page, client.get_cookie("authserver_session").value


def post_again(client, page, cookie, **kwargs):
    """The form posted again before the first answer arrived: with the cookie the page was shown with."""
    client.set_cookie("authserver_session", cookie)
    return post_signup_form(client, page, **kwargs)


def test_the_same_form_posted_twice_signs_in_to_one_account(client, caplog):
    """A double-clicked Sign up: both answers go back to the client signed in; one account, one email."""
    page, cookie = signup_page_and_cookie(client)
    with caplog.at_level(logging.INFO, logger="authserver.notify"):
        first = post_signup_form(client, page)
        second = post_again(client, page, cookie)  # the same cookie and CSRF token as the first
    for answer in (first, second):
        assert answer.status_code == 303
        assert answer.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")
    assert len(client.get("/User?email=new@example.com", auth=ADMIN_AUTH).get_json()["entry"]) == 1
    assert [r.getMessage() for r in caplog.records if r.name == "authserver.notify"] == [
        "Welcome email to new@example.com"
    ]


def test_the_second_post_of_a_double_click_arriving_after_the_first_answer_also_signs_in(client):
    """The browser stored the first answer's rotated cookie before it sent the second POST, so the
    form's CSRF token no longer matches the session: still signed in, not "This form expired"."""
    page, _ = signup_page_and_cookie(client)
    assert post_signup_form(client, page).status_code == 303
    second = post_signup_form(client, page)  # the same form, with the cookie the first answer set
    assert second.status_code == 303
    assert second.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")


def test_a_stale_form_of_another_signup_still_expires_for_a_signed_in_browser(client):
    page, _ = signup_page_and_cookie(client)
    assert post_signup_form(client, page).status_code == 303
    other = follow(client, post_signup_form(client, page, email="other@example.com"))
    assert other.status_code == 422 and "This form expired" in other.text


def test_another_password_or_another_browser_still_hears_the_email_is_taken(app, clock):
    client = app.test_client()
    page, cookie = signup_page_and_cookie(client)
    assert post_signup_form(client, page).status_code == 303

    other_password = follow(client, post_again(client, page, cookie, password="another one"))
    assert other_password.status_code == 422 and "already exists" in other_password.text

    other_browser = app.test_client()
    other_page = other_browser.get("/auth/signup?" + urlencode(implicit_query()))
    other = follow(other_browser, post_signup_form(other_browser, other_page))
    assert other.status_code == 422 and "already exists" in other.text

    clock.advance(61)
    later = follow(client, post_again(client, page, cookie))
    assert later.status_code == 422 and "already exists" in later.text


def test_a_refused_signup_keeps_the_email_but_not_the_password(client):
    page = client.get("/auth/signup?" + urlencode(implicit_query()))
    data = {"email": "new@example.com", "password": "long enough", "password_confirm": "different!"}
    posted = post_form(client, page, data)
    assert posted.status_code == 303
    shown = follow(client, posted)
    assert shown.status_code == 422 and "The two passwords do not match." in shown.text
    assert 'value="new@example.com"' in shown.text and "long enough" not in shown.text


def test_two_posts_of_the_form_at_the_same_moment_make_one_account(app, monkeypatch):
    """The double click's two requests race each other on a real server: one account, both signed in."""
    both_checked_the_email = threading.Barrier(2, timeout=10)
    hash_password = store.hash_password

    def hash_when_both_are_here(password: str) -> str:
        both_checked_the_email.wait()  # each found the email free; one of the two inserts will fail
        return hash_password(password)

    monkeypatch.setattr(store, "hash_password", hash_when_both_are_here)
    server = ServedApp(app)
    try:
        browser = requests.Session()
        page = browser.get(f"{server.url}/auth/signup?" + urlencode(implicit_query()), timeout=10)
        data = {
            "csrf_token": csrf_token(page.text),
            "email": "new@example.com",
            "password": "long enough",
            "password_confirm": "long enough",
        }
        url = urljoin(server.url, form_action(page.text))
        barrier = threading.Barrier(2)
        answers = []

        def post() -> None:
            barrier.wait()
            answers.append(
                requests.post(url, data=data, cookies=browser.cookies, allow_redirects=False, timeout=30)
            )

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.close()
    assert [answer.status_code for answer in answers] == [303, 303]
    assert all(answer.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=") for answer in answers)
    assert len(app.test_client().get("/User?email=new@example.com", auth=ADMIN_AUTH).get_json()["entry"]) == 1
