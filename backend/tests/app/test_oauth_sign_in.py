"""Sign-in with the code flow + PKCE S256 through Authlib, session rotation, and logout."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from .conftest import FRONTEND_URL, closed_port_url, follow_sign_in


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_login_redirects_to_authorize_with_pkce_s256_and_state(client, fake_auth):
    response = client.get("/login")
    assert response.status_code == 302
    assert response.location.startswith(f"{fake_auth.url}/auth/authorize?")
    query = query_of(response.location)
    assert query["response_type"] == "code"
    assert query["client_id"] == "two-factor-app"
    assert query["redirect_uri"] == "http://app.test/auth/callback"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["state"]


def test_signup_goes_to_the_signup_form_with_the_same_query(client, fake_auth):
    response = client.get("/signup")
    assert response.location.startswith(f"{fake_auth.url}/auth/signup?")
    assert query_of(response.location).keys() >= {"state", "code_challenge", "code_challenge_method"}


def test_full_sign_in_then_me_then_logout_kills_the_cookie(client, fake_auth):
    response = follow_sign_in(client)
    assert response.status_code == 302
    assert response.location == f"{FRONTEND_URL}/two-factor"

    me = client.get("/api/me")
    assert me.status_code == 200
    assert me.json == {
        "id": fake_auth.user["id"],
        "email": "ann@example.com",
        "twoFactor": {"enabled": False, "method": None},
    }
    cookie = client.get_cookie("app_session")
    assert cookie is not None

    logout = client.post("/logout", json={})
    assert logout.status_code == 200
    assert logout.json == {"loggedOut": True}
    assert len(fake_auth.ended_sessions) == 1, "DELETE /Session at the auth server"
    assert fake_auth.tokens == {}

    # A copy of the old cookie is refused: the server-side row is gone.
    client.set_cookie("app_session", cookie.value)
    assert client.get("/api/me").status_code == 401


def test_abandoned_sign_ins_leave_a_cookie_a_browser_still_stores(client, fake_auth):
    for start in ("/login", "/signup") * 20:  # Sign in, back, Sign in again...
        client.get(start)
    assert len(client.get_cookie("app_session").value) < 4000
    assert follow_sign_in(client).location == f"{FRONTEND_URL}/two-factor"


def test_the_oldest_of_sign_ins_started_in_several_tabs_can_still_finish(client, fake_auth):
    tabs = [client.get(start).location for start in ("/login", "/signup", "/login", "/login")]
    at_auth_server = requests.get(tabs[0], allow_redirects=False, timeout=10)
    callback = urlsplit(at_auth_server.headers["Location"])
    assert client.get(f"{callback.path}?{callback.query}").location == f"{FRONTEND_URL}/two-factor"


def test_signup_flow_signs_in_too(client, fake_auth):
    response = follow_sign_in(client, "/signup")
    assert response.location == f"{FRONTEND_URL}/two-factor"
    assert fake_auth.authorize_requests[-1]["path"] == "/auth/signup"
    assert client.get("/api/me").status_code == 200


def test_user_with_two_factor_on_lands_on_app(client, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": "X" * 32}
    assert follow_sign_in(client).location == f"{FRONTEND_URL}/app"


def test_session_cookie_is_httponly_lax_and_holds_no_user_data(client, fake_auth):
    follow_sign_in(client)
    cookie = client.get_cookie("app_session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure
    assert "ann" not in cookie.value and fake_auth.user["id"] not in cookie.value


def test_sign_in_rotates_the_session(client):
    client.get("/login")
    before = client.get_cookie("app_session").value
    follow_sign_in(client)
    after = client.get_cookie("app_session").value
    assert before != after
    assert "_state_" not in after


def test_denied_authorization_goes_back_to_signin_with_error(client, fake_auth):
    fake_auth.next_authorize_error = "access_denied"
    response = follow_sign_in(client)
    assert response.location == f"{FRONTEND_URL}/signin?error=access_denied"
    assert client.get("/api/me").status_code == 401


def test_bad_state_is_refused(client):
    client.get("/login")
    response = client.get("/auth/callback?code=abc&state=forged")
    assert response.status_code == 302
    assert response.location.startswith(f"{FRONTEND_URL}/signin?error=")
    assert client.get("/api/me").status_code == 401


def test_a_stale_callback_of_a_signed_in_user_goes_home(signed_in):
    """Back into a finished sign-in (or another tab's): home, not "Sign-in failed"."""
    response = signed_in.get("/auth/callback?code=abc&state=already-used")
    assert response.location == f"{FRONTEND_URL}/app"
    assert signed_in.get("/api/me").status_code == 200


def test_code_without_the_pkce_verifier_is_refused(client, fake_auth):
    """A stolen code replayed from another browser (no state/verifier in its session) gets nowhere."""
    start = client.get("/login")
    callback = requests.get(start.location, allow_redirects=False, timeout=10).headers["Location"]
    other = client.application.test_client()
    response = other.get(urlsplit(callback).path + "?" + urlsplit(callback).query)
    assert response.location.startswith(f"{FRONTEND_URL}/signin?error=")
    assert other.get("/api/me").status_code == 401


def test_unreachable_token_endpoint_at_callback_goes_back_to_signin(client, fake_auth):
    fake_auth.token_endpoint = closed_port_url() + "/auth/token"
    state = query_of(client.get("/login").location)["state"]
    response = client.get(f"/auth/callback?code=abc&state={state}")
    assert response.location == f"{FRONTEND_URL}/signin?error=server_error"


def test_the_endpoints_come_from_the_discovery_document(client, fake_auth):
    fake_auth.authorize_path = "/oauth2/authorize"
    response = client.get("/login")
    assert response.location.startswith(f"{fake_auth.url}/oauth2/authorize?")
    assert "GET /.well-known/openid-configuration" in fake_auth.seen


def test_unreachable_auth_server_at_login_goes_back_to_signin(app_config):
    from backend.app import create_app

    app_config["AUTH_SERVER_URL"] = closed_port_url()
    client = create_app(app_config).test_client()
    for path in ("/login", "/signup"):
        assert client.get(path).location == f"{FRONTEND_URL}/signin?error=server_error"


def test_logout_needs_json(signed_in):
    assert signed_in.post("/logout").status_code == 415
    assert signed_in.post("/logout", data="{}", content_type="text/plain").status_code == 415
    assert signed_in.get("/api/me").status_code == 200


def test_logout_when_signed_out_is_harmless(client):
    assert client.post("/logout", json={}).json == {"loggedOut": True}
