"""GET /api/v1/ledgers/{YYYY-MM}/ (JSON and Excel) and POST .../publish/."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pipeline.stages import Stage
from tests.api.helpers import bulk_projects
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def signed(unit, industry, manager):
    project = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="长安配套项目"
    )
    advance(
        project,
        (Stage.APPROVED, D(2025, 2, 1)),
        (Stage.SIGNED, D(2025, 2, 20)),
        by=manager,
        signed={"contract_investment": Decimal("520000.00")},
    )
    return project


def test_the_ledger_of_a_month(api, manager, signed):
    response = api.as_user(manager).get("/api/v1/ledgers/2025-03/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"month", "as_of", "published", "summary", "movements", "rows"}
    assert data["month"] == "2025-03"
    assert data["as_of"] == "2025-03-31"
    assert data["published"] is None
    assert data["summary"]["signed"] == {
        "label": "拟开工",
        "count": 1,
        "total_investment": "10000.00",
        "overdue": 0,
    }
    assert set(data["summary"]) == {"negotiating", "approved", "signed", "started", "producing"}
    [row] = data["rows"]
    assert row["id"] == signed.pk
    assert row["code"] == signed.code
    assert row["stage"] == "signed"
    assert row["stage_since"] == "2025-02-20"
    assert row["months_in_stage"] == 1
    assert row["is_overdue"] is False
    assert row["contract_investment"] == "520000.00"
    assert row["funds_in_place_total"] == "0.00"
    assert data["movements"]["advanced"] == 0


def test_filters_and_bad_input(api, manager, signed, other_unit):
    client = api.as_user(manager)
    assert client.get("/api/v1/ledgers/2025-03/?unit=jlp-sci").json()["rows"] == []
    assert len(client.get("/api/v1/ledgers/2025-03/?stage=signed&industry=ADV").json()["rows"]) == 1
    bad_month = client.get("/api/v1/ledgers/2025-3/")
    assert bad_month.status_code == 400
    assert bad_month.json()["code"] == "invalid_value"
    assert bad_month.json()["field"] == "month"
    assert client.get("/api/v1/ledgers/2999-01/").status_code == 400
    unknown = client.get("/api/v1/ledgers/2025-03/?colour=red")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "unknown_parameter"
    bad_unit = client.get("/api/v1/ledgers/2025-03/?unit=nowhere")
    assert bad_unit.status_code == 400
    assert bad_unit.json()["field"] == "unit"


def test_anonymous_callers_get_401(api):
    assert api.get("/api/v1/ledgers/2025-03/").status_code == 401


def test_the_excel_format_is_the_same_ledger(api, manager, signed):
    response = api.as_user(manager).get("/api/v1/ledgers/2025-03/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["拟开工"]
    assert sheet["A1"].value.startswith("九龙坡区招商引资项目月度台账（2025年3月）")
    assert sheet.cell(4, 2).value == signed.code
    errors = api.as_user(manager).get("/api/v1/ledgers/2025-13/?format=xlsx")
    assert errors.status_code == 400
    assert errors.json()["field"] == "month"


def test_a_manager_publishes_and_readers_get_the_published_version(api, manager, signed, city):
    client = api.as_user(manager)
    response = client.post("/api/v1/ledgers/2025-03/publish/", {"note": "三月"}, format="json")
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert response.json()["district"] == "jiulongpo"
    advance(signed, (Stage.STARTED, D(2025, 3, 30)), by=manager)
    data = client.get("/api/v1/ledgers/2025-03/").json()
    assert data["published"]["version"] == 1
    assert data["rows"][0]["stage"] == "signed"
    assert data["corrections"]["changed"][0]["code"] == signed.code
    city_view = api.as_user(city).get("/api/v1/ledgers/2025-03/?district=jiulongpo").json()
    assert city_view["published"]["version"] == 1


def test_only_managers_publish(api, staff, city, signed):
    assert api.as_user(staff).post("/api/v1/ledgers/2025-03/publish/", {}, format="json").status_code == 403
    assert api.as_user(city).post("/api/v1/ledgers/2025-03/publish/", {}, format="json").status_code == 403
    unknown = api.as_user(staff).post("/api/v1/ledgers/2025-03/publish/", {"colour": 1}, format="json")
    assert unknown.status_code == 400


def test_the_ledger_endpoint_takes_the_same_queries_for_few_and_many_projects(api, manager, unit, industry):
    client = api.as_user(manager)
    bulk_projects(unit, industry, 2, prefix="FEW")
    client.get("/api/v1/ledgers/2025-02/")  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/ledgers/2025-02/").json()["rows"]) == 2
    bulk_projects(unit, industry, 60, prefix="MANY")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/ledgers/2025-02/").json()["rows"]) == 62
    assert len(few) == len(many)
