"""schemathesis against /api/v1/openapi.json, signed in (HARDENING §6): no 5xx, every answer
matches its documented status, content type and schema, and every error is problem+json.

`make test` runs a bounded number of examples per operation; a longer run (README):
FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_api_fuzz.py
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from server import create_app
from tests.conftest import (
    PASSWORD,
    TEST_SETTINGS,
    Factory,
    build_app,
    build_world,
    dispose,
    fresh_database_url,
)
from tests.hazard_helpers import report

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
# The fuzzer signs in from its own address, so its random failed sign-ins lock only 127.0.0.1.
SIGN_IN_ADDRESS = {"REMOTE_ADDR": "10.0.0.1"}


@pytest.fixture(scope="module")
def fuzz_app(database, tmp_path_factory):
    directory = tmp_path_factory.mktemp("fuzz")
    app = build_app(fresh_database_url(database, directory), directory)
    world = build_world(Factory(app))
    reporter = app.test_client()
    reporter.login("worker-a")
    for _ in range(3):
        report(reporter, world.zones["A"].id)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
    )
    return schema


def _session(app, username="admin"):
    """A fresh session per example: a fuzzed logout or password change must not end the next one."""
    client = app.test_client()
    answer = client.post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD}, environ_base=SIGN_IN_ADDRESS
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    # The WSGI transport does not undo Content-Encoding the way an HTTP client does, so ask for none
    # (the gzip of JSON answers has its own tests in test_compression.py).
    headers = {"X-CSRF-Token": answer.get_json()["csrf_token"], "Accept-Encoding": "identity"}
    return {"session": client.get_cookie("session").value}, headers


def problem_json_on_error(ctx, response, case):
    """Every error is problem+json (DESIGN §4), whatever the route."""
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), (
            f"{response.status_code} as {content_type}"
        )


def _operations():
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops if method != "parameters"]


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    problem_json_on_error,
]


@pytest.mark.parametrize(("method", "path"), _operations())
def test_operation(api_schema, fuzz_app, method, path):
    operation = api_schema[path][method]
    cases = strategies.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        cookies, headers = _session(fuzz_app)
        response = case.call(cookies=cookies, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
