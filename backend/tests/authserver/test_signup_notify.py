"""Signup: account created, welcome notification through AidboxConfig provider, signed in, flow continues."""

import logging
from urllib.parse import urlencode

import pytest

from .helpers import ADMIN_AUTH, FRONTEND_AUTH, follow, implicit_query, submit


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

    assert response.status_code == 302
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
    assert sign_up(client).status_code == 302
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
        assert sign_up(client).status_code == 302
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
    done = follow(client, submit(client, page, data))
    assert done.status_code == 200 and "Signed in as solo@example.com" in done.get_data(as_text=True)
