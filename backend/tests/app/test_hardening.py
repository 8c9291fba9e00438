"""The app's side of the hardening: no caching of codes or tokens, cookie flags, 429 passed on."""

from __future__ import annotations

from backend.common import totp

from .conftest import follow_sign_in


def test_two_factor_answers_and_the_callback_are_not_cacheable(client, clock):
    callback = follow_sign_in(client)
    assert callback.headers["Cache-Control"] == "no-store"
    setup = client.post("/api/user/two-factor", json={})
    confirm = client.put(
        "/api/user/two-factor",
        json={"enabled": True, "method": "totp", "code": totp.code_at(setup.json["secret"], clock())},
    )
    for response in (setup, confirm, client.get("/api/user/two-factor"), client.get("/api/me")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_httponly_and_lax(client):
    callback = follow_sign_in(client)
    cookie = next(v for v in callback.headers.getlist("Set-Cookie") if v.startswith("app_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_throttled_confirmation_is_429_with_retry_after(signed_in, fake_auth, clock):
    secret = signed_in.post("/api/user/two-factor", json={}).json["secret"]
    fake_auth.throttle_next_verify = 42
    body = {"enabled": True, "method": "totp", "code": totp.code_at(secret, clock())}
    response = signed_in.put("/api/user/two-factor", json=body)
    assert response.status_code == 429 and response.headers["Retry-After"] == "42"
    assert response.json["error"]["code"] == "too_many_attempts"
    assert fake_auth.user["twoFactor"]["enabled"] is False
    assert signed_in.put("/api/user/two-factor", json=body).status_code == 200


def test_regenerate_needs_two_factor_on_and_a_code(signed_in):
    response = signed_in.post("/api/user/two-factor/recovery-codes", json={"code": "123456"})
    assert response.status_code == 422 and response.json["error"]["code"] == "two_factor_off"
    assert signed_in.post("/api/user/two-factor/recovery-codes", json={}).status_code == 422


def test_the_end_users_address_is_forwarded_to_the_auth_server(signed_in, fake_auth, monkeypatch):
    seen = []
    original = fake_auth.app.wsgi_app

    def recording(environ, start_response):
        seen.append(environ.get("HTTP_X_FORWARDED_FOR"))
        return original(environ, start_response)

    monkeypatch.setattr(fake_auth.app, "wsgi_app", recording)
    signed_in.get("/api/user/two-factor", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert "203.0.113.9" in seen


def test_the_throttled_wait_is_said_in_minutes_and_seconds(signed_in, fake_auth, clock):
    secret = signed_in.post("/api/user/two-factor", json={}).json["secret"]
    fake_auth.throttle_next_verify = 472
    body = {"enabled": True, "method": "totp", "code": totp.code_at(secret, clock())}
    response = signed_in.put("/api/user/two-factor", json=body)
    assert response.json["error"]["message"] == "Too many wrong attempts. Try again in 7 minutes 52 seconds."
