"""The OpenAPI document: valid OpenAPI 3, and every route under /api/v1/ in it — including
routes added later (the resolver is walked, not a hand-kept list); and real responses have
exactly the keys, types and nulls their documented schema gives."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from pipeline.progress import progress_save
from pipeline.publishing import ledger_publish
from projects.lifecycle import Stage
from tests import factories

D = dt.date

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


def _list_operations(schema):
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation and "results" in _response_properties(schema, operation):
            yield path, operation


def _response_properties(schema, operation) -> dict:
    content = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    node = content.get("schema", {})
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
    return node.get("properties", {})


def test_every_list_documents_the_page_size_limit(schema):
    lists = dict(_list_operations(schema))
    assert "/api/v1/projects/" in lists and "/api/v1/events/" in lists
    for path, operation in lists.items():
        if "count" not in _response_properties(schema, operation):
            continue  # not a paginated list (the grouped statistics)
        page_size = next(p for p in operation["parameters"] if p["name"] == "page_size")
        assert page_size["schema"]["maximum"] == 500, path
        assert page_size["schema"]["minimum"] == 1, path
        assert "500" in page_size["description"], path


def test_every_paged_list_documents_the_404_of_a_page_past_the_end(schema):
    paged = [
        (path, operation)
        for path, operation in _list_operations(schema)
        if "count" in _response_properties(schema, operation)
    ]
    assert len(paged) >= 10
    for path, operation in paged:
        assert "页码超出末页" in operation["responses"]["404"]["description"], path


def test_updated_since_is_documented_as_at_or_after(schema):
    described = {}
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "updated_since":
                described[path] = parameter.get("description", "")
    assert {"/api/v1/projects/", "/api/v1/events/", "/api/v1/ledgers/{month}/"} <= set(described)
    assert {path: text for path, text in described.items() if "不早于" not in text} == {}


def test_descriptions_are_in_chinese(schema):
    assert "招商" in schema["info"]["description"]
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


# --- what the API answers is what the schema says ------------------------------------------


def _closed(node):
    """The schema with every described object closed (additionalProperties: false): a key the
    schema does not name is then an error, not a tolerated extra."""
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _closed(value) for key, value in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    return node


def schema_problems(schema, path, method, data, status="200") -> list[str]:
    """Where `data` (a response body) departs from the documented response of the operation:
    keys the schema does not have, required keys missing, wrong types, nulls where none are
    allowed, malformed dates and amounts."""
    documented = schema["paths"][path][method]["responses"][status]["content"]["application/json"]
    document = {**_closed(documented["schema"]), "components": _closed(schema["components"])}
    validator = OAS30ReadValidator(document, format_checker=oas30_format_checker)
    return sorted(
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(data)
    )


def test_the_schema_check_catches_undocumented_and_missing_keys(schema):
    project = {"name": "x"}
    problems = schema_problems(schema, "/api/v1/projects/{id}/", "get", {**project, "colour": "red"})
    assert any("colour" in problem for problem in problems)
    assert any("'id' is a required property" in problem for problem in problems)


@pytest.fixture
def full_month(unit, industry, manager, district):
    """March 2025 with every part of the ledger filled: a park, a high-tech investor, a lead
    official, a signing in the month, the month's progress; published, then corrected."""
    investor = factories.InvestorFactory(is_high_tech=True)
    park = factories.ParkFactory(code="jlp-park", name="西永微电园", district=district)
    signed = factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        park=park,
        investor=investor,
        lead_official="张副区长",
        planned_production_date=D(2026, 6, 30),
        name="微电园封测基地",
    )
    factories.advance(
        signed,
        (Stage.APPROVED, D(2025, 2, 1)),
        (Stage.SIGNED, D(2025, 3, 10)),
        by=manager,
        signed={"contract_investment": Decimal("520000.00")},
    )
    progress_save(
        project=signed, by=manager, month=D(2025, 3, 1), funds_in_place=Decimal("12.50"), progress="办理用地"
    )
    factories.make_project(unit=unit, industry=industry, by=manager, name="在谈项目")
    ledger_publish(district=district, month="2025-03", by=manager, note="三月")
    # After publishing: a back-dated start changes a row, a back-dated project adds one.
    factories.advance(signed, (Stage.STARTED, D(2025, 3, 30)), by=manager)
    factories.make_project(unit=unit, industry=industry, by=manager, started=D(2025, 3, 5), name="补录项目")
    return signed


def test_a_published_ledger_with_corrections_is_what_the_schema_says(api, schema, manager, full_month):
    data = api.as_user(manager).get("/api/v1/ledgers/2025-03/").json()
    assert data["published"]["version"] == 1
    assert data["corrections"]["added"] and data["corrections"]["changed"] and data["corrections"]["summary"]
    assert data["movements"]["items"]
    row = next(row for row in data["rows"] if row["id"] == full_month.pk)
    assert row["park_name"] == "西永微电园" and row["is_high_tech"] is True
    assert row["lead_official"] == "张副区长" and row["district_name"] == "九龙坡区"
    assert schema_problems(schema, "/api/v1/ledgers/{month}/", "get", data) == []


def test_a_computed_ledger_is_what_the_schema_says(api, schema, manager, full_month):
    data = api.as_user(manager).get("/api/v1/ledgers/2025-03/?stage=signed&stage=started").json()
    assert data["published"] is None and data["corrections"] is None
    assert data["rows"]
    assert schema_problems(schema, "/api/v1/ledgers/{month}/", "get", data) == []


@pytest.mark.parametrize("group_by", [None, "unit", "park", "month"])
def test_statistics_are_what_the_schema_says(api, schema, manager, full_month, group_by):
    params = {"from": "2025-01-01", "to": "2025-06-30", **({"group_by": group_by} if group_by else {})}
    data = api.as_user(manager).get("/api/v1/stats/", params).json()
    assert data["signed_count"] == 1
    if group_by:
        assert data["results"]
    assert schema_problems(schema, "/api/v1/stats/", "get", data) == []


def test_a_project_is_what_the_schema_says(api, schema, manager, full_month):
    client = api.as_user(manager)
    detail = client.get(f"/api/v1/projects/{full_month.pk}/").json()
    assert detail["park"] == "jlp-park" and detail["contract_investment"] == "520000.00"
    assert schema_problems(schema, "/api/v1/projects/{id}/", "get", detail) == []
    listed = client.get("/api/v1/projects/").json()
    assert listed["count"] == 3
    assert schema_problems(schema, "/api/v1/projects/", "get", listed) == []
