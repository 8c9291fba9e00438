"""manifest.py: the docs' values in --print, and --apply against the real auth server, twice."""

import pytest
import requests

import manifest
from backend.authserver import create_app as create_auth_server

from .support import ServedApp

ADMIN = ("admin", "admin-secret-for-tests")
ENVIRON = {
    "ADMIN_CLIENT_SECRET": ADMIN[1],
    "APP_CLIENT_SECRET": "app-secret-for-tests",
    "WEBHOOK_CLIENT_SECRET": "webhook-secret-for-tests",
}


@pytest.fixture
def auth_server(tmp_path, databases):
    app = create_auth_server(
        {
            "AUTH_DATABASE_URL": databases.url("auth"),
            "AUTH_SECRET_KEY": "test-key",
            "AUTH_ENCRYPTION_KEY": "test-encryption-key-0123456789abcdef",
            "ADMIN_CLIENT_ID": ADMIN[0],
            "ADMIN_CLIENT_SECRET": ADMIN[1],
            "DATA_DIR": str(tmp_path),
        }
    )
    served = ServedApp(app)
    yield served
    served.close()


def test_print_shows_the_docs_values(capsys):
    assert manifest.main(["--print"], environ={}) == 0
    text = capsys.readouterr().out
    for expected in (
        "AuthConfig app:",
        "issuerName: Demo",
        "validPastTokensCount: 5",
        "endpoint: http://localhost:8081/webhook/two-factor-confirmation",
        "timeout: 5000",
        "Client web:",
        "redirect_uri: http://localhost:3000/auth",
        "first_party: true",
        "- implicit",
        "Client two-factor-app:",
        "Client two-factor-webhook:",
        "AidboxConfig provider:",
        "default: console",
    ):
        assert expected in text


def test_print_hides_secrets(capsys):
    manifest.main(["--print"], environ=ENVIRON)
    text = capsys.readouterr().out
    assert "Authorization: Basic <hidden>" in text
    for secret in ENVIRON.values():
        assert secret not in text


def test_print_takes_values_from_the_environment(capsys):
    manifest.main(["--print"], environ={"TWO_FACTOR_ISSUER_NAME": "Acme", "PROVIDER": "smtp"})
    text = capsys.readouterr().out
    assert "issuerName: Acme" in text and "default: smtp" in text


def test_two_factor_required_with_a_grace_period(capsys):
    manifest.main(["--print"], environ={"TWO_FACTOR_REQUIRED": "true", "TWO_FACTOR_GRACE_DAYS": "7"})
    text = capsys.readouterr().out
    assert "required: true" in text and "gracePeriodDays: 7" in text
    manifest.main(["--print"], environ={})
    assert "required" not in capsys.readouterr().out
    with pytest.raises(SystemExit, match="TWO_FACTOR_REQUIRED must be true or false"):
        manifest.main(["--print"], environ={"TWO_FACTOR_REQUIRED": "always"})


def _stored(url: str) -> list[dict]:
    documents = manifest.resources(manifest.settings_from(ENVIRON))
    return [
        requests.get(f"{url}/{d['resourceType']}/{d['id']}", auth=ADMIN, timeout=5).json() for d in documents
    ]


def test_apply_twice_leaves_identical_resources(auth_server, capsys):
    assert manifest.main(["--apply", auth_server.url], environ=ENVIRON) == 0
    first = _stored(auth_server.url)
    assert manifest.main(["--apply", auth_server.url], environ=ENVIRON) == 0
    assert _stored(auth_server.url) == first
    assert first[0]["twoFactor"]["validPastTokensCount"] == 5
    assert first[1]["auth"]["implicit"]["redirect_uri"] == "http://localhost:3000/auth"


def test_apply_fails_clearly_when_unreachable(capsys):
    assert manifest.main(["--apply", "http://127.0.0.1:9"], environ=ENVIRON) == 1
    assert "Cannot reach the auth server at http://127.0.0.1:9" in capsys.readouterr().err


def test_apply_fails_clearly_when_refused(auth_server, capsys):
    wrong = {**ENVIRON, "ADMIN_CLIENT_SECRET": "wrong"}
    assert manifest.main(["--apply", auth_server.url], environ=wrong) == 1
    assert "refused PUT /AuthConfig/app: 401" in capsys.readouterr().err


def test_apply_needs_the_secrets(capsys):
    assert manifest.main(["--apply", "http://127.0.0.1:9"], environ={}) == 1
    assert "Set ADMIN_CLIENT_SECRET" in capsys.readouterr().err


@pytest.mark.parametrize(("kind", "grants"), [("bundled", []), ("aidbox", ["password"])])
def test_the_app_client_may_check_passwords_only_for_an_aidbox(kind, grants):
    documents = manifest.resources(manifest.settings_from({**ENVIRON, "AUTH_SERVER_KIND": kind}))
    app_client = next(doc for doc in documents if doc["id"] == "two-factor-app")
    assert app_client["grant_types"] == ["authorization_code", "refresh_token", *grants]
