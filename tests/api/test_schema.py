"""The OpenAPI document: valid OpenAPI 3, and every route under /api/v1/ in it — including
routes added later (the resolver is walked, not a hand-kept list)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)|\{\w+\}")


def _normalise(path: str) -> str:
    return _PARAM.sub("{}", path.replace("^", "").replace("$", "").replace("\\", ""))


def _routes(patterns, prefix="/"):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def v1_routes():
    return {
        _normalise(route) for route in _routes(get_resolver().url_patterns) if route.startswith("/api/v1/")
    }


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_every_v1_route_is_documented(schema):
    documented = {_normalise(path) for path in schema["paths"]}
    routes = v1_routes()
    assert "/api/v1/projects/{}/events/{}/void/" in routes
    assert routes - documented == set()


def test_every_operation_is_described_with_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert "401" in operation["responses"], where
            if method in ("post", "put", "patch"):
                assert {"400", "403"} <= set(operation["responses"]), where
            if method == "get" and "{" not in path.rstrip("/").rsplit("/", 1)[-1]:
                assert "400" in operation["responses"], where


def test_project_filters_and_headers_are_documented(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert {
        "stage", "district", "unit", "park", "industry", "source", "is_overdue", "investor", "is_high_tech",
        "min_investment", "max_investment", "signed_from", "signed_to", "started_from", "started_to",
        "updated_since", "search", "ordering", "page", "page_size",
    } <= params  # fmt: skip
    patch = schema["paths"]["/api/v1/projects/{id}/"]["patch"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    assert "412" in patch["responses"]
    assert "ETag" in patch["responses"]["200"].get("headers", {})


def test_descriptions_are_in_chinese(schema):
    assert "招商" in schema["info"]["title"]
    assert schema["paths"]["/api/v1/projects/"]["get"]["summary"] == "项目列表"


def test_docs_are_served_with_local_assets():
    client = APIClient()
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar" in asset for asset in assets)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    bundle = next(a for a in assets if a.endswith("swagger-ui-bundle.js"))
    assert client.get(bundle).status_code == 200
