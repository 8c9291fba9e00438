"""The frontend server: runtime config, SPA fallback, real 404s for missing assets, headers."""

import pytest

from backend.spa import create_app


@pytest.fixture
def client(tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<script src='/config.js'></script><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("outside-dist")
    app = create_app({"DIST_DIR": str(dist), "BACKEND_URL": "http://b:1", "AUTH_SERVER_URL": "http://a:2"})
    return app.test_client()


def test_config_js_carries_the_urls(client):
    response = client.get("/config.js")
    assert response.mimetype == "text/javascript"
    assert response.text == (
        'window.__CONFIG__ = {"backendUrl": "http://b:1", "authServerUrl": "http://a:2"};\n'
    )
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/signin", "/settings/two-factor", "/auth"])
def test_app_routes_get_index(client, path):
    response = client.get(path)
    assert response.status_code == 200 and "id=root" in response.text


def test_assets_served_and_missing_assets_404(client):
    assert client.get("/assets/app.js").text == "console.log(1)"
    assert client.get("/assets/missing.js").status_code == 404


@pytest.mark.parametrize("path", ["/../secret.txt", "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt"])
def test_files_outside_dist_not_served(client, path):
    assert "outside-dist" not in client.get(path).text


def test_security_headers(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "connect-src 'self' http://a:2 http://b:1" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_refuses_to_start_without_a_build(tmp_path):
    with pytest.raises(RuntimeError, match="build the frontend first"):
        create_app({"DIST_DIR": str(tmp_path / "none")})
