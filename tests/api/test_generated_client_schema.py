"""What a client generated from /api/schema/ needs of the document (issue 13, findings 2, 6, 7
and 8): `cursor` on every paged list, ASCII names that do not change with the language,
downloads as operations of their own, strict OpenAPI 3.0.3 nullables, a closed list of error
codes, integer ids, Location on 201 and `servers`."""

import re

import pytest
from openapi_schema_validator import OAS30Validator
from rest_framework.test import APIClient

from api.errors import ERROR_CODES
from core.errors import ServiceError
from tests.api.test_schema import _list_operations, _response_properties

pytestmark = pytest.mark.django_db

METHODS = ("get", "put", "post", "patch", "delete")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def paged_lists(schema):
    return [
        (path, operation)
        for path, operation in _list_operations(schema)
        if "count" in _response_properties(schema, operation)
    ]


# --- finding 2: cursor ------------------------------------------------------------------------


# A project's history pages by number (it is read in seq order; a consumer following changes
# reads the changes feed): its next link carries `page`.
NUMBERED = {"/api/v1/projects/{project_id}/history/"}


def test_every_paged_list_takes_the_cursor_its_next_link_carries(schema):
    lists = paged_lists(schema)
    assert len(lists) >= 10
    for path, operation in lists:
        cursor = [p for p in operation["parameters"] if p["name"] == "cursor" and p["in"] == "query"]
        if path in NUMBERED:
            assert not cursor and "page" in {p["name"] for p in operation["parameters"]}, path
        else:
            assert cursor and cursor[0]["schema"] == {"type": "string"}, path


def test_the_paged_example_is_a_cursor_link(schema):
    page = schema["components"]["schemas"]["PaginatedProjectList"]["properties"]
    assert "cursor=" in page["next"]["example"] and "page=" not in page["next"]["example"]
    assert page["previous"]["example"] is None


def test_the_cursor_in_next_is_the_documented_parameter(api, manager, project, unit, industry):
    from tests import factories

    for i in range(3):
        factories.make_project(unit=unit, industry=industry, by=manager, name=f"翻页项目{i}")
    client = api.as_user(manager)
    first = client.get("/api/v1/projects/", {"page_size": 2}).json()
    cursor = re.search(r"[?&]cursor=([^&]+)", first["next"]).group(1)
    from urllib.parse import unquote

    second = client.get("/api/v1/projects/", {"page_size": 2, "cursor": unquote(cursor)}).json()
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 4


# --- finding 6: stable ASCII names ------------------------------------------------------------


IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def test_operation_ids_are_unique_ascii_identifiers(schema):
    ids = [operation["operationId"] for _p, _m, operation in operations(schema)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not IDENTIFIER.match(i)] == []
    assert {"projects_list", "projects_create", "projects_events_create", "ledger_xlsx"} <= set(ids)


def test_tags_title_and_component_names_are_ascii(schema):
    assert schema["info"]["title"].isascii()
    tags = {tag for _p, _m, operation in operations(schema) for tag in operation["tags"]}
    assert tags and all(IDENTIFIER.match(tag) for tag in tags), tags
    assert {tag["name"] for tag in schema["tags"]} >= tags
    names = schema["components"]["schemas"]
    assert [name for name in names if not re.match(r"^[A-Z][A-Za-z0-9]*$", name)] == []


def test_no_schema_title_for_a_generator_to_name_classes_after(schema):
    def titles(node, where=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    yield where
                if key != "examples":  # an example's data may have a field called title
                    yield from titles(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from titles(value, f"{where}/{i}")

    assert list(titles(schema["paths"])) == []
    assert list(titles(schema["components"]["schemas"])) == []


def test_enums_shared_by_several_fields_have_chosen_names(schema):
    names = schema["components"]["schemas"]
    assert names["ExitChoiceEnum"]["enum"] == ["exit", "keep"]
    assert names["ReminderKindEnum"]["enum"] == ["notice", "urging"]
    assert names["ReviewInputDecisionEnum"]["enum"] == ["approved", "rejected"]
    assert names["ReviewDecisionEnum"]["enum"] == ["approved", "rejected", "voided"]
    # No name resolved by a hash of the choices (Kind7bdEnum): those changed with the labels.
    assert [name for name in names if name.endswith("Enum") and re.search(r"[0-9]", name)] == []


# --- finding 7: downloads ---------------------------------------------------------------------


def test_downloads_are_operations_with_binary_responses_only(schema):
    downloads = {
        path: operation for path, _m, operation in operations(schema) if "downloads" in operation["tags"]
    }
    assert {
        "/api/v1/ledgers/{month}/ledger.xlsx",
        "/api/v1/stats.xlsx",
        "/api/v1/ledgers/{month}/report.docx",
    } <= set(downloads)
    for path, operation in downloads.items():
        content = operation["responses"]["200"]["content"]
        assert len(content) == 1, path
        (media,) = content.values()
        assert media["schema"] == {"type": "string", "format": "binary"}, path


def test_every_operation_answers_json_or_one_binary_type_and_takes_no_format(schema):
    """A generated client's JSON operations parse JSON; a download (xlsx, docx, ndjson) is an
    operation of its own whose success is one binary type (its refusals are JSON)."""
    for path, method, operation in operations(schema):
        success = {
            media
            for status, response in operation["responses"].items()
            if status.startswith("2")
            for media in response.get("content", {})
        }
        if success - {"application/json"}:
            assert len(success) == 1, (method, path, success)
            for status, response in operation["responses"].items():
                if status.startswith("2") and response.get("content"):
                    (media,) = response["content"].values()
                    assert media["schema"] == {"type": "string", "format": "binary"}, (method, path)
        for status, response in operation["responses"].items():
            if not status.startswith("2"):
                assert set(response.get("content", {})) <= {"application/json"}, (method, path, status)
        assert "format" not in {p["name"] for p in operation.get("parameters", [])}, (method, path)


def test_the_ledger_download_is_a_workbook_and_its_refusals_json(api, manager, project):
    from io import BytesIO

    import openpyxl

    client = api.as_user(manager)
    response = client.get("/api/v1/ledgers/2025-03/ledger.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames
    refused = client.get("/api/v1/ledgers/2025-03/ledger.xlsx", {"colour": "red"})
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_parameter"
    stats = client.get("/api/v1/stats.xlsx", {"year": 2025})
    assert stats.status_code == 200 and stats["Content-Type"] == XLSX


def test_format_xlsx_still_answers_a_workbook_marked_deprecated(api, manager, project):
    params = {"format": "xlsx", "stage": "negotiating"}
    response = api.as_user(manager).get("/api/v1/ledgers/2025-03/", params)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Deprecation"].startswith("@")
    assert response["Link"].startswith("</api/v1/ledgers/2025-03/ledger.xlsx?stage=negotiating>")
    assert "Deprecation" not in api.as_user(manager).get("/api/v1/ledgers/2025-03/")


# --- finding 8: strict 3.0.3, error codes, integer ids, Location, servers -----------------------


def test_nullable_references_admit_null_under_strict_3_0_3(schema):
    ledger = schema["components"]["schemas"]["Ledger"]["properties"]
    for name in ("district", "published", "corrections"):
        node = ledger[name]
        assert "allOf" not in node and "nullable" not in node, name
        validator = OAS30Validator({**node, "components": schema["components"]})
        assert validator.is_valid(None), name
        assert not validator.is_valid("text"), name


def test_error_code_is_the_enum_of_every_code_the_api_sends(schema):
    code = schema["components"]["schemas"]["Error"]["properties"]["code"]
    assert set(code["enum"]) == ERROR_CODES
    assert "read_only_field" not in code["enum"]  # never sent: a read-only key is unknown_field
    assert {"not_acceptable", "request_too_large", "unsupported_media_type", "throttled"} <= ERROR_CODES


def test_every_service_error_code_is_in_the_enum():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    assert {sub.code for sub in subclasses(ServiceError)} - ERROR_CODES == set()


def test_refusals_carry_only_documented_codes(api, manager, project):
    client = api.as_user(manager)
    answers = [
        client.get("/api/v1/projects/", {"colour": "red"}),
        client.get("/api/v1/projects/999999/"),
        client.delete(f"/api/v1/projects/{project.pk}/"),
        client.get("/api/v1/projects/", HTTP_ACCEPT="text/csv"),
        client.post("/api/v1/investors/", "name=x", content_type="application/x-www-form-urlencoded"),
        client.post("/api/v1/investors/", "{", content_type="application/json"),
        client.post("/api/v1/investors/", {"name": "x", "id": 3}, format="json"),
        APIClient().get("/api/v1/projects/"),
        APIClient().get("/api/v1/projects/", HTTP_AUTHORIZATION="Token nope"),
        client.get("/api/v1/nothing/"),
    ]
    codes = [answer.json()["code"] for answer in answers]
    assert codes == [
        "unknown_parameter",
        "not_found",
        "method_not_allowed",
        "not_acceptable",
        "unsupported_media_type",
        "parse_error",
        "unknown_field",
        "not_authenticated",
        "authentication_failed",
        "not_found",
    ]
    assert set(codes) <= ERROR_CODES


def test_ids_in_filters_are_integers(schema):
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in ("project", "investor") and parameter["in"] == "query":
                assert parameter["schema"]["type"] == "integer", (method, path, parameter["name"])


def test_a_fractional_project_id_filter_is_refused(api, manager):
    response = api.as_user(manager).get("/api/v1/events/", {"project": "1.5"})
    assert response.status_code == 400 and response.json()["field"] == "project"


def test_every_201_documents_and_sends_location(schema, api, manager, unit, industry):
    for path, method, operation in operations(schema):
        if "201" in operation["responses"]:
            assert "Location" in operation["responses"]["201"].get("headers", {}), (method, path)
    client = api.as_user(manager)
    investor = client.post("/api/v1/investors/", {"name": "定位测试企业"}, format="json")
    assert investor.status_code == 201
    assert investor["Location"] == f"http://testserver/api/v1/investors/{investor.json()['id']}/"
    assert client.get(investor["Location"]).json()["name"] == "定位测试企业"
    project = client.post(
        "/api/v1/projects/",
        {"name": "定位测试项目", "unit": unit.code, "industry": industry.code},
        format="json",
    )
    assert project["Location"].endswith(f"/api/v1/projects/{project.json()['id']}/")
    progress = client.put(
        f"/api/v1/projects/{project.json()['id']}/progress/{project.json()['created_at'][:7]}/",
        {"funds_in_place": "1.00"},
        format="json",
    )
    assert progress.status_code == 201
    assert client.get(progress["Location"]).json()["funds_in_place"] == "1.00"


def test_the_schema_names_its_server():
    schema = APIClient().get("/api/schema/?format=json").json()
    assert schema["servers"][0]["url"] == "http://testserver"


@pytest.mark.parametrize("path", ["/api/v1/projects/{id}/task-force/", "/api/v1/reminders/0/reply/"])
def test_options_is_never_a_server_error(api, manager, project, path):
    """Found by schemathesis: OPTIONS on a view without a queryset or serializer_class was a 500."""
    response = api.as_user(manager).options(path.format(id=project.pk))
    assert response.status_code < 500
