"""The forms wear the AuthConfig app theme: title, brand image, external stylesheet, all escaped."""

from urllib.parse import urlencode

import pytest

from backend.authserver import create_app
from backend.authserver.extensions import db
from backend.authserver.models import Resource

from .helpers import ADMIN_AUTH, implicit_query


def login_page(client):
    return client.get("/auth/authorize?" + urlencode(implicit_query())).get_data(as_text=True)


def test_theme_title_brand_and_stylesheet(client, admin):
    admin.put(
        "AuthConfig",
        "app",
        {
            "theme": {
                "title": "Clinic",
                "brand": "https://cdn.example/logo.png",
                "styleUrl": "https://cdn.example/t.css",
            }
        },
    )
    html = login_page(client)
    assert "<title>Log in · Clinic</title>" in html
    assert '<img class="brand-image" src="https://cdn.example/logo.png" alt="Clinic">' in html
    assert '<link rel="stylesheet" href="https://cdn.example/t.css">' in html
    assert "/static/authserver.css" in html


def test_theme_values_are_escaped_and_unsafe_urls_dropped(client, admin):
    admin.put(
        "AuthConfig",
        "app",
        {"theme": {"title": "<script>alert(1)</script>", "brand": "javascript:alert(1)"}},
    )
    html = login_page(client)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html and 'src="javascript:' not in html


def only_the_forms_own_script(csp: str) -> bool:
    """The policy's one script-src allows the server's own forms.js and nothing else."""
    return [d.strip() for d in csp.split(";") if "script-src" in d] == ["script-src 'self'"]


CSP_INJECTIONS = [
    "https://x.example; script-src 'unsafe-inline' *",
    "https://x.example;script-src",
    "https://x.example, script-src *",
    "https://x.example/a b.css",
    "https://x.example\tscript-src",
    "https://x.example/'unsafe-inline'",
    'https://x.example/"',
    "https://x.example\n",
]


@pytest.mark.parametrize("attribute", ["styleUrl", "brand"])
@pytest.mark.parametrize("url", CSP_INJECTIONS)
def test_theme_url_that_could_write_csp_directives_is_422(client, admin, attribute, url):
    response = client.put("/AuthConfig/app", json={"theme": {attribute: url}}, auth=ADMIN_AUTH)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == f"theme.{attribute}"
    csp = client.get("/auth/login").headers["Content-Security-Policy"]
    assert only_the_forms_own_script(csp) and "x.example" not in csp


@pytest.mark.parametrize("url", ["javascript:x", "/static/x.css", "data:text/css,body{}", "x.css"])
def test_stylesheet_must_be_an_http_url(client, url):
    response = client.put("/AuthConfig/app", json={"theme": {"styleUrl": url}}, auth=ADMIN_AUTH)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "theme.styleUrl"


@pytest.mark.parametrize(
    "brand", ["Clinic; script-src *", "https://cdn.example:8443/logo.png?v=2", "data:image/png;base64,AAAA"]
)
def test_brand_text_and_safe_image_urls_are_accepted(admin, brand):
    assert admin.put("AuthConfig", "app", {"theme": {"brand": brand}})["theme"]["brand"] == brand


def test_a_stored_theme_that_escaped_validation_adds_no_directive(config):
    """Defence in depth: the header builder itself names only a plain origin."""
    app = create_app({**config, "AUTH_RESOURCE_CACHE_SECONDS": 0})
    injected = {
        "brand": "https://img.example; script-src 'unsafe-inline' *",
        "styleUrl": "https://css.example/x.css, script-src *",
    }
    with app.app_context():
        db.session.add(Resource(resource_type="AuthConfig", id="app", document={"theme": injected}))
        db.session.commit()
    csp = app.test_client().get("/auth/login").headers["Content-Security-Policy"]
    assert only_the_forms_own_script(csp) and "unsafe-inline" not in csp
    assert "style-src 'self';" in csp and "img-src 'self' data:;" in csp


def test_builtin_stylesheet_is_served(client):
    response = client.get("/static/authserver.css")
    assert response.status_code == 200 and ".card" in response.get_data(as_text=True)
