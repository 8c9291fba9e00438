"""OpenID Connect as Aidbox serves it: discovery, the JWKS, an RS256 id_token for scope=openid with the
nonce, and a signing key that is made once and kept. An unmodified Authlib OIDC client signs in."""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from authlib.integrations.flask_client import OAuth
from authlib.oidc.discovery import OpenIDProviderMetadata
from flask import Flask, jsonify
from joserfc import jwt
from joserfc.jwk import KeySet

from backend.authserver import create_app
from backend.authserver.extensions import db
from backend.authserver.models import SigningKey
from backend.tests.support import ServedApp

from .helpers import PASSWORD, code_query, csrf_token, form_action, log_in, pkce_pair, query_of
from .test_code_flow_pkce import exchange

RP_CALLBACK = "http://localhost:5000/callback"
RP_AUTH = ("oidc-rp", "rp-secret")


@pytest.fixture
def relying_party_client(admin) -> None:
    """A client registered as any OIDC relying party would be: confidential, code flow, its callback."""
    admin.put(
        "Client",
        RP_AUTH[0],
        {
            "secret": RP_AUTH[1],
            "first_party": True,
            "grant_types": ["authorization_code"],
            "auth": {"authorization_code": {"redirect_uri": RP_CALLBACK}},
        },
    )


@pytest.fixture
def issuer(app, clock):
    """The auth server on a real port; its clock at the real time, which the client checks exp against."""
    clock.now = time.time()
    served = ServedApp(app)
    app.config["AUTH_SERVER_URL"] = served.url
    yield served.url
    served.close()


def relying_party(issuer: str) -> Flask:
    """A Flask app signing in with Authlib's OIDC client, configured from the issuer's discovery URL."""
    rp = Flask("relying_party")
    rp.secret_key = "rp-session-key"
    oauth = OAuth(rp)
    oauth.register(
        "demo",
        client_id=RP_AUTH[0],
        client_secret=RP_AUTH[1],
        server_metadata_url=issuer + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email", "code_challenge_method": "S256"},
    )

    @rp.get("/login")
    def login():
        return oauth.demo.authorize_redirect(RP_CALLBACK)

    @rp.get("/callback")
    def callback():
        token = oauth.demo.authorize_access_token()
        return jsonify(userinfo=token["userinfo"], id_token=token["id_token"])

    return rp


def sign_in_at(browser: requests.Session, authorize_url: str) -> str:
    """What a person does at the auth server: the login form, then back to the client; the callback URL."""
    page = browser.get(authorize_url)
    assert page.status_code == 200, page.text
    action = requests.compat.urljoin(page.url, form_action(page.text))
    answer = browser.post(
        action,
        data={"csrf_token": csrf_token(page.text), "email": "ann@example.com", "password": PASSWORD},
        allow_redirects=False,
    )
    while not answer.headers["Location"].startswith(RP_CALLBACK):
        answer = browser.get(
            requests.compat.urljoin(answer.url, answer.headers["Location"]), allow_redirects=False
        )
    return answer.headers["Location"]


def test_discovery_is_valid_provider_metadata(client):
    metadata = client.get("/.well-known/openid-configuration").get_json()
    OpenIDProviderMetadata(metadata).validate()
    assert metadata["issuer"] == "http://localhost"
    assert metadata["authorization_endpoint"] == "http://localhost/auth/authorize"
    assert metadata["token_endpoint"] == "http://localhost/auth/token"
    assert metadata["userinfo_endpoint"] == "http://localhost/auth/userinfo"
    assert metadata["jwks_uri"] == "http://localhost/.well-known/jwks.json"
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]


def test_jwks_serves_only_the_public_key(client):
    keys = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & keys[0].keys()


def test_an_authlib_oidc_client_signs_in_with_the_issuer_url(issuer, user, relying_party_client):
    rp = relying_party(issuer).test_client()
    start = rp.get("/login")
    assert start.status_code == 302 and start.headers["Location"].startswith(issuer + "/auth/authorize?")
    nonce = query_of(start.headers["Location"])["nonce"]

    callback = urlsplit(sign_in_at(requests.Session(), start.headers["Location"]))
    signed_in = rp.get(f"{callback.path}?{callback.query}")

    # Authlib checked the signature against the JWKS, iss, aud, exp and the nonce it sent.
    assert signed_in.status_code == 200, signed_in.get_data(as_text=True)
    claims = signed_in.get_json()["userinfo"]
    assert claims["sub"] == user["id"] and claims["email"] == "ann@example.com"
    assert claims["nonce"] == nonce and claims["iss"] == issuer and claims["aud"] == [RP_AUTH[0]]
    header = jwt.decode(
        signed_in.get_json()["id_token"],
        KeySet.import_key_set(requests.get(issuer + "/.well-known/jwks.json").json()),
    ).header
    assert header["alg"] == "RS256"


def authorize_query(nonce: str, challenge: str, scope: str = "openid email") -> dict:
    return code_query(challenge, scope=scope, nonce=nonce)


def code_for(client, nonce: str, scope: str = "openid email"):
    verifier, challenge = pkce_pair()
    response = log_in(client, authorize_query(nonce, challenge, scope))
    return query_of(response.headers["Location"]), verifier


def id_token_claims(client, id_token: str) -> dict:
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    return jwt.decode(id_token, keys).claims


def test_the_id_token_carries_the_nonce_of_the_authorize_request(client, user, clock):
    params, verifier = code_for(client, "n-0S6_WzA2Mj")
    token = exchange(client, params["code"], verifier).get_json()
    claims = id_token_claims(client, token["id_token"])
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["sub"] == user["id"] and claims["aud"] == ["two-factor-app"]
    assert claims["exp"] == int(clock()) + 3600


def test_a_nonce_of_a_code_still_waiting_is_refused(client, user):
    code_for(client, "same-nonce")
    _, challenge = pkce_pair()
    again = client.get("/auth/authorize?" + urlencode(authorize_query("same-nonce", challenge)))
    params = query_of(again.headers["Location"])
    assert params["error"] == "invalid_request" and "code" not in params


def test_without_openid_scope_there_is_no_id_token(client, user):
    params, verifier = code_for(client, "n-1", scope="profile")
    assert "id_token" not in exchange(client, params["code"], verifier).get_json()


def test_the_signing_key_survives_a_restart(config, app, client, user):
    params, verifier = code_for(client, "n-2")
    id_token = exchange(client, params["code"], verifier).get_json()["id_token"]
    before = client.get("/.well-known/jwks.json").get_json()

    restarted = create_app(config).test_client()

    assert restarted.get("/.well-known/jwks.json").get_json() == before
    assert id_token_claims(restarted, id_token)["sub"] == user["id"]


def test_the_private_key_is_stored_encrypted(app, client):
    client.get("/.well-known/jwks.json")
    with app.app_context():
        stored = db.session.get(SigningKey, "id_token").encrypted_pem
    assert stored.startswith("fernet:") and "PRIVATE KEY" not in stored
