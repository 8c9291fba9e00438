"""Schemathesis, in-process against a Flask app's /openapi.json: one bounded Hypothesis run per operation.

Schemathesis' own pytest integration (``from_fixture``) does not run under pytest 9, so each test
builds the schema from the app and drives one operation's strategy with ``@given``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: Examples per operation, half valid and half invalid input; keeps both suites well under a minute.
EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

METHODS = ("get", "put", "post", "patch", "delete")


def operations(description: dict[str, Any]) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in an OpenAPI description, for ``parametrize``."""
    return [
        (method.upper(), path)
        for path, item in description["paths"].items()
        for method in item
        if method in METHODS
    ]


def operations_with_body(description: dict[str, Any]) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation that takes a request body."""
    return [
        (method, path)
        for method, path in operations(description)
        if "requestBody" in description["paths"][path][method.lower()]
    ]


def fuzz(app, method: str, path: str, prepare: Callable[[Any], dict[str, str]]) -> None:
    """Call ``METHOD path`` with generated input; ``prepare(case)`` may adjust the case and gives headers.

    Fails (with the smallest failing case) on a 5xx, an undocumented status, a wrong content type or
    a JSON answer that does not match its documented schema.
    """
    operation = schemathesis.openapi.from_wsgi("/openapi.json", app)[path][method]
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def run(case) -> None:
        case.call_and_validate(headers=prepare(case), checks=CHECKS)

    run()
