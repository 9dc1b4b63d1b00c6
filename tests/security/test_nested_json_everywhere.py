"""Finding 7 (issue 12) on every route: a body nested 1000 deep ('['*1000 + ']'*1000) POSTed to
any API route is refused as bad input (or not accepted at all), never a 500."""

import pytest
from django.test import Client

from tests.security.matrix_world import clients, concrete, routes, world

NESTED = "[" * 1000 + "]" * 1000


@pytest.fixture
def signed_in(unit, foreign_unit, industry, manager, district):
    ids = world(unit, foreign_unit, industry, manager)
    return clients(unit, foreign_unit, district, manager)("manager"), ids


def test_no_api_route_answers_a_deep_body_with_a_500(signed_in):
    client, ids = signed_in
    assert isinstance(client, Client)
    tried = 0
    for pattern, _name in routes():
        if not pattern.startswith("api/"):
            continue
        url = concrete(pattern, ids)
        for method in ("post", "put", "patch"):
            response = getattr(client, method)(url, NESTED, content_type="application/json")
            assert response.status_code in (400, 403, 404, 405, 415), (method, url, response.status_code)
            tried += 1
    assert tried > 100
