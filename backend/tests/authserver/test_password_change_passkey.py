"""/auth/password for a user whose only second factor is a passkey, asked for after the password under
``AuthConfig.twoFactor.required``: changing the password asks for the passkey too, as the login does."""

from __future__ import annotations

import json

import pytest

from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import PASSWORD, implicit_query, log_in
from .test_passkey_second_factor import AUTH_SERVER, passkey_form, use_passkey
from .test_password_change import NEW, change
from .test_required_two_factor import require
from .test_required_two_factor_passkey import add_passkey
from .test_trusted_browser import audit_types

PASSKEY_STEP = "Use your passkey to finish signing in."


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator(origin=AUTH_SERVER)


@pytest.fixture
def signed_in(app, admin, user, authenticator):
    """ann@example.com, a passkey her only second factor, the policy on, signed in with both."""
    client = app.test_client()
    add_passkey(client, user["id"], authenticator)
    require(admin)
    done = use_passkey(client, log_in(client, implicit_query(state="pk")), authenticator)
    assert done.status_code == 303
    return client


def asks_for_the_passkey_after(app, password: str) -> bool:
    """Whether ``password`` is ann's: the login goes on to the passkey step."""
    step = log_in(app.test_client(), implicit_query(), password=password)
    return step.status_code == 200 and PASSKEY_STEP in step.get_data(as_text=True)


def change_with_passkey(client, authenticator, current: str = PASSWORD, **answer):
    """Fill in the form and answer its passkey request as passkey.js does, then post it."""
    action, fields, offered = passkey_form(client.get("/auth/password").get_data(as_text=True))
    data = {
        **fields,
        "current_password": current,
        "new_password": NEW,
        "new_password_confirm": NEW,
        "credential": json.dumps(authenticator.get(offered, **answer)),
    }
    response = client.post(action, data=data)
    assert response.status_code == 303
    return client.get(response.headers["Location"])


def test_the_password_alone_changes_nothing(app, signed_in):
    page = change(signed_in)
    assert page.status_code == 422 and "Use your passkey first." in page.get_data(as_text=True)
    assert asks_for_the_passkey_after(app, PASSWORD)


def test_the_password_and_the_passkey_change_it(app, signed_in, authenticator, user):
    page = change_with_passkey(signed_in, authenticator)
    assert page.status_code == 200 and "Your password was changed" in page.get_data(as_text=True)
    assert asks_for_the_passkey_after(app, NEW) and not asks_for_the_passkey_after(app, PASSWORD)
    assert "password-changed" in audit_types(app.test_client(), user["id"])


def test_a_passkey_that_does_not_verify_the_user_changes_nothing(app, signed_in, authenticator):
    page = change_with_passkey(signed_in, authenticator, verified=False)
    assert page.status_code == 401
    assert asks_for_the_passkey_after(app, PASSWORD)


def test_a_wrong_password_with_the_passkey_changes_nothing(app, signed_in, authenticator):
    page = change_with_passkey(signed_in, authenticator, current="not my password")
    assert page.status_code == 401 and "current password is not correct" in page.get_data(as_text=True)
    assert asks_for_the_passkey_after(app, PASSWORD)


def test_without_the_policy_the_password_alone_still_changes_it(app, client, user, authenticator):
    add_passkey(client, user["id"], authenticator)
    assert log_in(client, implicit_query()).status_code == 303
    page = change(client)
    assert "Your password was changed" in page.get_data(as_text=True)
    assert 'name="credential"' not in client.get("/auth/password").get_data(as_text=True)
