"""Helpers that drive the auth server like a browser or an OAuth client would."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

ADMIN_AUTH = ("admin", "admin-secret")
APP_SECRET = "app-secret"
FRONTEND_AUTH = "http://localhost:3000/auth"
APP_CALLBACK = "http://localhost:8081/auth/callback"
PASSWORD = "correct horse"


class Admin:
    """The resource API with the admin client's Basic credentials."""

    def __init__(self, client) -> None:
        self.client = client

    def put(self, resource_type: str, resource_id: str, body: dict):
        response = self.client.put(f"/{resource_type}/{resource_id}", json=body, auth=ADMIN_AUTH)
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        return response.get_json()

    def get(self, resource_type: str, resource_id: str):
        return self.client.get(f"/{resource_type}/{resource_id}", auth=ADMIN_AUTH)

    def patch_user(self, user_id: str, body: dict):
        return self.client.patch(f"/User/{user_id}", json=body, auth=ADMIN_AUTH)

    def create_user(self, email: str, password: str, **extra) -> dict:
        return self.put("User", str(uuid.uuid4()), {"email": email, "password": password, **extra})

    def set_webhook(self, url: str, timeout_ms: int = 2000, headers: dict | None = None) -> None:
        self.put(
            "AuthConfig",
            "app",
            {
                "twoFactor": {
                    "issuerName": "Demo",
                    "validPastTokensCount": 5,
                    "webhook": {"endpoint": url, "headers": headers or {}, "timeout": timeout_ms},
                }
            },
        )


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in page"
    return unescape(match.group(1))


def form_action(html: str, index: int = 0) -> str:
    actions = re.findall(r'<form method="post" action="([^"]+)"', html)
    return unescape(actions[index])


def implicit_query(state: str = "s-123") -> dict:
    return {"client_id": "web", "response_type": "token", "redirect_uri": FRONTEND_AUTH, "state": state}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def code_query(challenge: str, state: str = "st-1", **overrides) -> dict:
    query = {
        "client_id": "two-factor-app",
        "response_type": "code",
        "redirect_uri": APP_CALLBACK,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    query.update(overrides)
    return {key: value for key, value in query.items() if value is not None}


def post_form(client, page, data: dict, index: int = 0):
    """POST the page's ``index``-th form with ``data`` and its CSRF token; the answer to the POST."""
    html = page.get_data(as_text=True)
    return client.post(form_action(html, index), data={"csrf_token": csrf_token(html), **data})


def submit(client, page, data: dict, index: int = 0):
    """POST the page's ``index``-th form as a browser does: the 303 to one of the auth server's own
    pages (post/redirect/get) is followed, so the answer is the page the user sees next; a redirect to
    a client is returned as it is."""
    response = post_form(client, page, data, index)
    if response.status_code == 303 and response.headers["Location"].startswith("/"):
        return client.get(response.headers["Location"])
    return response


def log_in(client, query: dict, email: str = "ann@example.com", password: str = PASSWORD):
    """Open /auth/authorize and submit the login form; returns the response to the POST."""
    page = client.get("/auth/authorize?" + urlencode(query))
    assert page.status_code == 200, page.get_data(as_text=True)
    return submit(client, page, {"email": email, "password": password})


def follow(client, response):
    """Follow one local redirect."""
    assert response.status_code in (302, 303), (response.status_code, response.get_data(as_text=True))
    return client.get(response.headers["Location"])


def fragment(location: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).fragment).items()}


def query_of(location: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
