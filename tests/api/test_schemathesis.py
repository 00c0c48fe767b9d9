"""Property-based fuzzing of the whole /api/v1 schema: no input may make the server fail.

Every operation gets generated valid and invalid inputs (BOH_FUZZ_EXAMPLES each, 10 by default)
as a signed-in owner, so that permission checks do not hide the code behind them. Run on
SQLite and on PostgreSQL: each database refuses different values (NUL bytes, out-of-range
numbers) and any of those reaching it unchecked shows up here as a 500.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import World

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("BOH_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def owner_session(world: World) -> dict[str, Any]:
    """Cookies and headers of a signed-in owner's browser, CSRF token included."""
    client = Client()
    client.force_login(world.owner)
    csrf = secrets.token_hex(16)
    return {
        "cookies": {
            django_settings.SESSION_COOKIE_NAME: client.cookies[
                django_settings.SESSION_COOKIE_NAME
            ].value,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
        "headers": {"X-CSRFToken": csrf},
    }


@pytest.fixture(autouse=True)
def _one_connection_per_test() -> Any:
    # A WSGI server recycles database connections around each request; inside a test that
    # would drop the test's transaction, so keep the connection, as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_the_api_fail(
    case: schemathesis.Case, owner_session: dict[str, Any]
) -> None:
    case.call_and_validate(
        cookies=owner_session["cookies"], headers=owner_session["headers"], checks=CHECKS
    )
