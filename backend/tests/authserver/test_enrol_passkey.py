"""The enrol page's passkey method, where two-factor is required: the browser creates a user-verified
passkey for the options the page carries; keeping it ends the flow, and the next login asks for it."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest

from backend.tests.software_authenticator import SoftwareAuthenticator

from .helpers import ADMIN_AUTH, FRONTEND_AUTH, implicit_query, log_in, submit
from .test_passkey_second_factor import AUTH_SERVER, use_passkey
from .test_required_two_factor import ENROL, require
from .test_trusted_browser import audit_types


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator(origin=AUTH_SERVER)


@pytest.fixture
def passkey_page(client, admin, user):
    """ann@example.com, signed in with the password, on the enrol page's passkey method."""
    require(admin)
    log_in(client, implicit_query(state="pk"))
    page = client.get(ENROL + urlencode({**implicit_query(state="pk"), "method": "passkey"}))
    assert page.status_code == 200
    return page


def create_form(page) -> tuple[str, dict, dict]:
    """The "Add a passkey" form: its action, its hidden fields and the creation options it carries."""
    html = page.get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="([^"]+)" data-passkey-create-options="([^"]+)">(.*?)</form>', html, re.S
    )
    assert form, html
    fields = dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', form.group(3))
    )
    return unescape(form.group(1)), fields, {"publicKey": json.loads(unescape(form.group(2)))}


def add_passkey(client, page, authenticator: SoftwareAuthenticator, **answer):
    action, fields, offered = create_form(page)
    offered["challengeId"] = fields["challenge_id"]
    credential = authenticator.create(offered, **answer)
    return client.post(action, data={**fields, "credential": json.dumps(credential)})


def test_the_page_asks_for_a_user_verified_passkey_of_this_site(passkey_page):
    html = passkey_page.get_data(as_text=True)
    assert "Add a passkey and continue" in html and "passkey.js" in html
    assert 'name="token"' not in html  # no code to enter for this method
    _, fields, offered = create_form(passkey_page)
    assert fields["challenge_id"]
    assert offered["publicKey"]["rp"]["id"] == "localhost"
    assert offered["publicKey"]["authenticatorSelection"]["userVerification"] == "required"


def test_a_new_passkey_is_asked_for_at_the_next_login_and_comes_with_recovery_codes(
    app, client, passkey_page, user, authenticator
):
    added = add_passkey(client, passkey_page, authenticator)
    assert added.status_code == 303 and added.headers["Location"].startswith(
        "/auth/two-factor/enrol/recovery-codes?"
    )
    codes_page = client.get(added.headers["Location"])
    html = codes_page.get_data(as_text=True)
    assert "If you lose the device that holds it" in html
    codes = re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4})</code></li>", html)
    assert len(set(codes)) == 10
    done = client.get(unescape(re.search(r'href="([^"]+)">I have saved them, continue', html).group(1)))
    assert done.status_code in (302, 303) and done.headers["Location"].startswith(
        FRONTEND_AUTH + "#access_token="
    )
    assert fragment_state(done) == "pk"
    assert {"passkey-added", "recovery-codes-generated"} <= set(audit_types(client, user["id"]))
    assert client.get(f"/Passkey?user={user['id']}", auth=ADMIN_AUTH).get_json()["total"] == 1

    browser = app.test_client()
    step = log_in(browser, implicit_query())
    assert step.status_code == 200 and "Use your passkey to finish signing in." in step.get_data(as_text=True)
    again = use_passkey(browser, step, authenticator)
    assert again.headers["Location"].startswith(FRONTEND_AUTH + "#access_token=")

    lost = app.test_client()
    step = log_in(lost, implicit_query())
    assert "Lost your passkey? <a" in step.get_data(as_text=True)
    recovery = lost.get("/auth/two-factor?" + urlencode({**implicit_query(), "recovery": "1"}))
    signed_in = submit(lost, recovery, {"token": codes[0]})
    assert signed_in.status_code == 303 and signed_in.headers["Location"].startswith(FRONTEND_AUTH + "#")


def test_removing_the_last_passkey_ends_its_recovery_codes(client, passkey_page, user, authenticator):
    client.get(add_passkey(client, passkey_page, authenticator).headers["Location"])
    recovery_codes = f"/User/{user['id']}/$recovery-codes"
    assert client.get(recovery_codes, auth=ADMIN_AUTH).get_json() == {"remaining": 10}
    passkey = client.get(f"/Passkey?user={user['id']}", auth=ADMIN_AUTH).get_json()["entry"][0]["resource"]
    assert client.delete(f"/Passkey/{passkey['id']}", auth=ADMIN_AUTH).status_code in (200, 204)
    assert client.get(recovery_codes, auth=ADMIN_AUTH).get_json() == {"remaining": 0}


def fragment_state(response) -> str:
    return re.search(r"[#&]state=([^&]+)", response.headers["Location"]).group(1)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"verified": False}, "The passkey did not verify you"),
        ({"origin": "https://evil.example"}, "The passkey answered for another website"),
    ],
)
def test_a_refused_passkey_goes_back_to_the_page_with_why(
    client, passkey_page, authenticator, answer, message
):
    refused = add_passkey(client, passkey_page, authenticator, **answer)
    assert refused.status_code == 303 and refused.headers["Location"].startswith(ENROL)
    page = client.get(refused.headers["Location"])
    assert page.status_code == 422 and message in unescape(page.get_data(as_text=True))


@pytest.mark.parametrize("credential", ["", "not json", "[]", json.dumps({"id": "x"})])
def test_a_malformed_answer_is_a_clear_4xx(client, passkey_page, credential):
    action, fields, _ = create_form(passkey_page)
    response = client.post(action, data={**fields, "credential": credential})
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 422


def test_the_form_needs_its_csrf_token(client, passkey_page, user, authenticator):
    action, fields, offered = create_form(passkey_page)
    offered["challengeId"] = fields["challenge_id"]
    credential = json.dumps(authenticator.create(offered))
    response = client.post(action, data={"challenge_id": fields["challenge_id"], "credential": credential})
    assert client.get(response.headers["Location"]).status_code == 422
    assert client.get(f"/Passkey?user={user['id']}", auth=ADMIN_AUTH).get_json()["total"] == 0
