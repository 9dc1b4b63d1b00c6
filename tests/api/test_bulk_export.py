"""Bulk export (GET /api/v1/exports/<kind>.ndjson): one line per row, each what the list returns,
the list's filters and scope, streamed in chunks with memory that does not grow with the rows."""

import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import bulk
from changes.models import Change
from core.dates import local_today
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories
from tests.api.helpers import bulk_projects
from tests.factories import make_project, reach


def export(client, kind, **params):
    response = client.get(f"/api/v1/exports/{kind}.ndjson", params)
    assert response.status_code == 200, response.content
    assert response.streaming
    assert response["Content-Type"].startswith("application/x-ndjson")
    text = b"".join(response.streaming_content).decode()
    assert text == "" or text.endswith("\n")
    return response, [json.loads(line) for line in text.splitlines()]


def pull(client, path, **params):
    """Every row of a list, following `next`."""
    rows, url = [], path
    params = {"page_size": 500, **params}
    while url:
        page = client.get(url, params).json()
        rows += page["results"]
        url, params = page["next"], {}
    return rows


def test_each_export_holds_what_its_list_holds(api, unit, industry, manager):
    projects = [make_project(unit=unit, industry=industry, by=manager) for _ in range(3)]
    reach(projects[0], Stage.SIGNED, by=manager)
    progress_save(project=projects[1], by=manager, month="2025-03", funds_in_place="12.50")
    today = local_today()
    task_create(by=manager, unit=unit, due_date=today, content="协调用电接入")
    task_create(
        by=manager,
        unit=unit,
        due_date=today,
        content="用地指标",
        project=projects[2],
        source="request",
        category="land",
    )
    client = api.as_user(manager)
    for kind, path in [
        ("projects", "/api/v1/projects/"),
        ("events", "/api/v1/events/"),
        ("progress", "/api/v1/progress/"),
        ("reviews", "/api/v1/reviews/"),
        ("requests", "/api/v1/requests/"),
        ("tasks", "/api/v1/tasks/"),
    ]:
        response, rows = export(client, kind)
        assert rows == pull(client, path), kind
        assert response["Content-Disposition"] == f'attachment; filename="{kind}.ndjson"'
    assert len(export(client, "events")[1]) == 3 + 2  # three creations, the approval, the signing
    assert len(export(client, "tasks")[1]) == 2 and len(export(client, "requests")[1]) == 1
    _, signed = export(client, "projects", stage="signed")
    assert [row["id"] for row in signed] == [projects[0].pk]


def test_the_export_names_the_feed_seq_to_follow_afterwards(api, project, manager):
    response, _ = export(api.as_user(manager), "projects")
    assert int(response["Changes-Seq"]) == Change.objects.order_by("-seq").first().seq


def test_exports_are_scoped_like_the_lists(api, unit, other_unit, foreign_unit, industry, manager):
    mine = make_project(unit=unit, industry=industry, by=manager)
    make_project(unit=other_unit, industry=industry, by=manager)
    make_project(unit=foreign_unit, industry=industry)
    clerk = factories.staff_of(unit, username="export-clerk")
    assert [row["id"] for row in export(api.as_user(clerk), "projects")[1]] == [mine.pk]
    assert len(export(api.as_user(manager), "projects")[1]) == 2
    assert len(export(api.as_user(factories.city_user(username="export-city")), "projects")[1]) == 3
    assert api.logout() is None
    response = api.get("/api/v1/exports/projects.ndjson")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("params", "field"), [({"stage": "nowhere"}, "stage"), ({"colour": "red"}, "colour")]
)
def test_a_bad_filter_is_a_json_400_naming_it(api, manager, params, field):
    response = api.as_user(manager).get("/api/v1/exports/projects.ndjson", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["field"] == field


def test_the_export_reads_in_chunks_and_its_memory_does_not_grow_with_the_rows(
    api, unit, industry, manager, monkeypatch
):
    monkeypatch.setattr(bulk, "CHUNK", 100)
    client = api.as_user(manager)

    def measure():
        response = client.get("/api/v1/exports/projects.ndjson")
        tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            count = sum(1 for _ in response.streaming_content)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return count, len(queries), peak

    bulk_projects(unit, industry, 200, prefix="SMALL")
    small_rows, small_queries, small_peak = measure()
    bulk_projects(unit, industry, 1800, prefix="LARGE")
    large_rows, large_queries, large_peak = measure()
    assert (small_rows, large_rows) == (200, 2000)
    assert large_queries - small_queries <= 18 + 1  # one query per chunk of 100 more rows
    assert large_peak < 2 * small_peak  # ten times the rows, not ten times the memory
