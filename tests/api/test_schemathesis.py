"""Schemathesis over every operation of /api/schema/ (bounded): generated requests, valid and
not, answered through the WSGI application by a district manager with a token. No answer may
be a 5xx, and every answer must be what the schema says (status code documented, body and
headers conforming, content type declared)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from tests import factories

pytestmark = pytest.mark.slow

# What "no 5xx, no schema mismatch" means. Not positive_data_acceptance: a request the schema
# admits may still break a business rule (a milestone out of order is a 400 by design).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
EXAMPLES = 5  # per operation: bounded (about a minute for the ~50 operations)


# The schema is read when the module is collected (its view reads no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _connection_outlives_requests(transactional_db):
    """Each request commits on its own, as in production (transactional_db, not one test-wide
    transaction: there, a request the database refuses — a DataError answered as a 400 — left
    every later request of the test refused, which no deployed server does). The connection
    outlives each request, as with Django's test client."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(manager, unit, industry):
    factories.make_project(unit=unit, industry=industry, by=manager, name="模糊测试项目")
    return Token.objects.create(user=manager).key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
