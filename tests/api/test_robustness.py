"""Requests that once made the API answer 500 (found by fuzzing it with schemathesis against
its own OpenAPI document): each is now a clear 400/404 naming the parameter, and writes nothing.
Also: what the API answers is what its schema says."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework import serializers

from core.dates import local_today
from pipeline.models import MonthlyProgress, PublishedLedger, StageEvent
from projects.lifecycle import Stage
from projects.models import Project
from tests import factories
from tests.api.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stats/?year=2025&format=AAA",
        "/api/v1/ledgers/2025-06/?format=AAA",
        "/api/v1/projects/?format=xml",
        "/api/v1/districts/?format=AAA",
    ],
)
def test_an_unknown_format_is_a_400_naming_the_parameter(api, manager, url):
    response = api.as_user(manager).get(url)
    assert response.status_code == 400
    assert body(response)["code"] == "invalid_value" and body(response)["field"] == "format"


def test_publishing_with_an_unknown_format_writes_nothing(api, manager, project):
    response = api.as_user(manager).post("/api/v1/ledgers/2025-06/publish/?format=AAA", {}, format="json")
    assert response.status_code == 400 and body(response)["field"] == "format"
    assert not PublishedLedger.objects.exists()


def test_a_django_404_inside_a_view_is_a_json_404(api, manager, monkeypatch):
    """Http404 (get_object_or_404 and friends) once crashed the error handler."""
    from django.http import Http404

    from api import reference

    def missing(*args, **kwargs):
        raise Http404("gone")

    monkeypatch.setattr(reference.DistrictViewSet, "list", missing)
    response = api.as_user(manager).get("/api/v1/districts/")
    assert response.status_code == 404
    assert body(response)["code"] == "not_found"


def test_options_on_a_month_of_progress_describes_it(api, manager, project):
    response = api.as_user(manager).options(f"/api/v1/projects/{project.pk}/progress/2025-11/")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/exports/events.ndjson"])
def test_an_updated_since_with_an_offset_postgresql_refuses_is_read_in_utc(api, manager, project, path):
    # Python reads offsets up to ±23:59, PostgreSQL only up to ±15:59 (a DataError mid-stream).
    response = api.as_user(manager).get(path, {"updated_since": "2000-01-01T00:00:00+16:00"})
    assert response.status_code == 200
    if response.streaming:
        assert b"".join(response.streaming_content).splitlines()  # the project's events, since 2000
    else:
        assert response.json()["results"]


def test_options_on_a_malformed_month_is_a_400(api, manager, project):
    response = api.as_user(manager).options(f"/api/v1/projects/{project.pk}/progress/2025-13/")
    assert response.status_code == 400 and body(response)["field"] == "month"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/projects/", "/api/v1/events/", "/api/v1/progress/", "/api/v1/investors/", "/api/v1/units/"],
)
@pytest.mark.parametrize("moment", ["0001-01-01", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-10:00"])
def test_an_updated_since_that_cannot_be_written_in_utc_is_a_400(api, manager, path, moment):
    response = api.as_user(manager).get(path, {"updated_since": moment})
    assert response.status_code == 400
    assert body(response)["field"] == "updated_since"


def test_statistics_before_1900_are_refused(api, manager):
    response = api.as_user(manager).get("/api/v1/stats/", {"from": "0001-01-01", "to": "0001-12-31"})
    assert response.status_code == 400
    assert body(response)["field"] == "from"


def test_statistics_by_month_up_to_december_9999_are_answered(api, manager):
    response = api.as_user(manager).get("/api/v1/stats/", {"year": "9999", "group_by": "month"})
    assert response.status_code == 200
    assert len(body(response)["results"]) == 0 or body(response)["results"][-1]["group"] <= "9999-12"


@pytest.mark.parametrize("month", ["２０２５-０１", "2025-01%0A", "2025-1", "0000-01"])
def test_a_ledger_month_must_be_written_in_ascii_digits(api, manager, month):
    response = api.as_user(manager).get(f"/api/v1/ledgers/{month}/")
    assert response.status_code == 400
    assert body(response)["field"] == "month"


def test_a_project_that_began_before_1900_is_refused_and_not_created(api, manager, unit, industry):
    data = {
        "name": "古代项目",
        "unit": unit.code,
        "industry": industry.code,
        "negotiation_started_on": "0284-11-08",
    }
    response = api.as_user(manager).post("/api/v1/projects/", data, format="json")
    assert response.status_code == 400
    assert body(response)["field"] == "negotiation_started_on"
    assert not Project.objects.exists()


def test_a_milestone_dated_before_1900_is_refused_without_a_write(api, manager, project):
    events = StageEvent.objects.count()
    data = {
        "stage": Stage.TERMINATED,
        "date": "1899-12-31",
        "reason": "other",
    }
    response = api.as_user(manager).post(f"/api/v1/projects/{project.pk}/events/", data, format="json")
    assert response.status_code == 400
    assert body(response)["field"] == "date"
    assert StageEvent.objects.count() == events


def test_dates_are_written_with_four_digit_years():
    """DRF's strftime('%Y') wrote year 284 as '284-11-08', which is not an OpenAPI date."""
    assert serializers.DateField().to_representation(dt.date(284, 11, 8)) == "0284-11-08"


@pytest.mark.parametrize("value", ["\x00", "a\x00b"])
def test_progress_text_with_a_nul_byte_is_refused_without_a_write(api, manager, project, value):
    month = local_today().strftime("%Y-%m")
    response = api.as_user(manager).put(
        f"/api/v1/projects/{project.pk}/progress/{month}/", {"progress": value}, format="json"
    )
    assert response.status_code == 400 and body(response)["field"] == "progress"
    assert not MonthlyProgress.objects.exists()


# --- the schema tells the truth --------------------------------------------------------------


def _allowed_values(schema, node) -> set:
    if "$ref" in node:
        return _allowed_values(schema, schema["components"]["schemas"][node["$ref"].split("/")[-1]])
    if "enum" in node:
        return set(node["enum"])
    values = set()
    for option in node.get("oneOf", []) + node.get("anyOf", []) + node.get("allOf", []):
        values |= _allowed_values(schema, option)
    return values


def test_an_event_that_is_not_a_termination_has_a_reason_the_schema_allows(api, manager, project, schema):
    response = api.as_user(manager).get(f"/api/v1/projects/{project.pk}/events/")
    reason = body(response)["results"][0]["reason"]
    assert reason == ""
    assert reason in _allowed_values(schema, schema["components"]["schemas"]["Event"]["properties"]["reason"])


def test_report_refusals_are_documented_as_json_only(schema):
    for path in ("/api/v1/ledgers/{month}/", "/api/v1/stats/"):
        responses = schema["paths"][path]["get"]["responses"]
        assert list(responses["400"]["content"]) == ["application/json"], path
    publish = schema["paths"]["/api/v1/ledgers/{month}/publish/"]["post"]["responses"]
    assert all(list(response["content"]) == ["application/json"] for response in publish.values())


def test_month_path_parameters_say_their_pattern(schema):
    for path in ("/api/v1/ledgers/{month}/", "/api/v1/projects/{project_id}/progress/{month}/"):
        operation = next(iter(v for k, v in schema["paths"][path].items() if k != "parameters"))
        month = next(p for p in operation["parameters"] if p["name"] == "month")
        assert month["schema"]["pattern"] == "^[0-9]{4}-(0[1-9]|1[0-2])$"


def test_an_api_url_for_another_district_is_a_404(api, manager, foreign_unit, industry):
    foreign = factories.make_project(unit=foreign_unit, industry=industry, name="外区项目")
    for url in (
        reverse("api-v1:project-detail", args=[foreign.pk]),
        f"/api/v1/projects/{foreign.pk}/events/",
        f"/api/v1/projects/{foreign.pk}/progress/2025-11/",
        "/api/v1/projects/99999999999999999999999/",
        "/api/v1/projects/9223372036854775807/events/",
    ):
        assert api.as_user(manager).get(url).status_code == 404, url
