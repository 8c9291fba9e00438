"""The forms wear the AuthConfig app theme: title, brand image, external stylesheet, all escaped."""

from urllib.parse import urlencode

from .helpers import implicit_query


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
        {
            "theme": {
                "title": "<script>alert(1)</script>",
                "brand": "javascript:alert(1)",
                "styleUrl": "javascript:x",
            }
        },
    )
    html = login_page(client)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html and 'src="javascript:' not in html


def test_builtin_stylesheet_is_served(client):
    response = client.get("/static/authserver.css")
    assert response.status_code == 200 and ".card" in response.get_data(as_text=True)
