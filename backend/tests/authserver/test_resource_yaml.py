"""The resource API in YAML, as the Aidbox docs write resources: bodies and answers; YAML that is too
big, too deep, a bomb of aliases or not a mapping is a 4xx."""

import pytest
import yaml

from .helpers import ADMIN_AUTH

AUTH_CONFIG_YAML = """\
twoFactor:
  issuerName: Demo
  validPastTokensCount: 5
  webhook:
    endpoint: http://localhost:8081/webhook/two-factor-confirmation
    headers: {Authorization: "Basic dHdvLWZhY3Rvci13ZWJob29rOnNlY3JldA=="}
    timeout: 5000
"""


@pytest.mark.parametrize("content_type", ["text/yaml", "application/yaml"])
def test_put_yaml_then_get_yaml_and_json_agree(client, content_type):
    put = client.put("/AuthConfig/app", data=AUTH_CONFIG_YAML, content_type=content_type, auth=ADMIN_AUTH)
    assert put.status_code in (200, 201)
    as_json = client.get("/AuthConfig/app", auth=ADMIN_AUTH)
    as_yaml = client.get("/AuthConfig/app", headers={"Accept": "text/yaml"}, auth=ADMIN_AUTH)
    assert as_json.mimetype == "application/json" and as_yaml.mimetype == "text/yaml"
    assert yaml.safe_load(as_yaml.get_data(as_text=True)) == as_json.get_json()
    assert as_json.get_json() == {
        "resourceType": "AuthConfig",
        "id": "app",
        **yaml.safe_load(AUTH_CONFIG_YAML),
    }


def test_format_parameter_reads_and_answers_yaml(client):
    put = client.put(
        "/User/u1?_format=yaml", data="email: ann@example.com\npassword: correct horse\n", auth=ADMIN_AUTH
    )
    assert put.status_code == 201 and put.mimetype == "text/yaml"
    assert yaml.safe_load(put.get_data(as_text=True)) == {
        "resourceType": "User",
        "id": "u1",
        "email": "ann@example.com",
    }


def test_json_stays_the_default(client, user):
    answer = client.get(f"/User/{user['id']}", headers={"Accept": "*/*"}, auth=ADMIN_AUTH)
    assert answer.mimetype == "application/json"


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "status", "code"),
    [
        (BILLION_LAUGHS, 400, "malformed_yaml"),
        ("a: " + "[" * 30_000, 400, "malformed_yaml"),
        (
            "a:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 40)) + "  " * 40 + "x",
            400,
            "malformed_yaml",
        ),
        ("- 1\n- 2\n", 400, "malformed_yaml"),
        ("just text", 400, "malformed_yaml"),
        ("", 400, "malformed_yaml"),
        ("a: [unclosed", 400, "malformed_yaml"),
        ("email: 2020-01-01\n", 400, "malformed_yaml"),
        ("1: one\n", 400, "malformed_yaml"),
        ('email: "a\\0b@example.com"\n', 400, "invalid_characters"),
        ("email: " + "a" * 70_000, 413, None),
        ("email: ann@example.com\nshoeSize: 9\n", 422, "unknown_field"),
    ],
    ids=[
        "aliases",
        "brackets",
        "indentation",
        "list",
        "scalar",
        "empty",
        "unclosed",
        "date",
        "int-key",
        "nul",
        "huge",
        "unknown-field",
    ],
)
def test_bad_yaml_is_a_4xx_and_stores_nothing(client, text, status, code):
    answer = client.put("/User/y1", data=text.encode(), content_type="text/yaml", auth=ADMIN_AUTH)
    assert answer.status_code == status
    if code:
        assert answer.get_json()["error"]["code"] == code
    assert client.get("/User/y1", auth=ADMIN_AUTH).status_code == 404


def test_errors_stay_json_when_yaml_is_asked_for(client):
    answer = client.get("/User/nobody?_format=yaml", auth=ADMIN_AUTH)
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"


def test_a_body_neither_json_nor_yaml_is_415_naming_both(client):
    answer = client.put("/User/y1", data="email=a@b.co", content_type="text/plain", auth=ADMIN_AUTH)
    assert answer.status_code == 415
    assert "text/yaml" in answer.get_json()["error"]["message"]
