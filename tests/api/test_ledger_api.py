"""GET /api/v1/ledgers/{YYYY-MM}/ (JSON and Excel) and POST .../publish/."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests.api.helpers import MARCH_2025, march_pipeline
from tests.factories import advance, make_project

D = dt.date


def test_the_ledger_of_a_month(api, manager, signed_in_february):
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
        "contract_investment": "520000.00",
        "month_funds_in_place": "0.00",
        "month_investment_completed": "0.00",
        "funds_in_place_total": "0.00",
    }
    assert set(data["summary"]) == {"negotiating", "approved", "signed", "started", "producing"}
    [row] = data["rows"]
    assert row["id"] == signed_in_february.pk
    assert row["code"] == signed_in_february.code
    assert row["stage"] == "signed"
    assert row["stage_since"] == "2025-02-20"
    assert row["months_in_stage"] == 1
    assert row["is_overdue"] is False
    assert row["contract_investment"] == "520000.00"
    assert row["funds_in_place_total"] == "0.00"
    assert data["movements"]["advanced"] == 0


def test_filters_and_bad_input(api, manager, signed_in_february, other_unit):
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


def test_the_excel_format_is_the_same_ledger(api, manager, signed_in_february, unit, industry):
    # Cell for cell, as tests/test_exports.py checks it on a fuller district.
    from pipeline.progress import progress_save
    from tests.test_exports import assert_xlsx_equals_json

    waiting = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 3, 3), name="待谈项目")
    progress_save(
        project=signed_in_february,
        by=manager,
        month=D(2025, 3, 1),
        funds_in_place=Decimal("12.34"),
        investment_completed=Decimal("56.78"),
        progress="办理施工许可",
        problems="用地红线调整",
    )
    client = api.as_user(manager)
    data, book = assert_xlsx_equals_json(client, "2025-03")
    assert [row["code"] for row in data["rows"]] == [signed_in_february.code, waiting.code]
    sheet = book["拟开工"]
    assert sheet["A1"].value.startswith("九龙坡区招商引资项目月度台账（2025年3月）")
    assert sheet.cell(4, 2).value == signed_in_february.code
    assert sheet.cell(4, 10).value.date() == D(2025, 2, 20)  # 签约日期
    response = client.get("/api/v1/ledgers/2025-03/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == book.sheetnames
    data, _book = assert_xlsx_equals_json(client, "2025-03", [("stage", "signed"), ("industry", "ADV")])
    assert len(data["rows"]) == 1
    errors = api.as_user(manager).get("/api/v1/ledgers/2025-13/?format=xlsx")
    assert errors.status_code == 400
    assert errors.json()["field"] == "month"


def test_a_manager_publishes_and_readers_get_the_published_version(api, manager, signed_in_february, city):
    client = api.as_user(manager)
    body = {"note": "三月", "confirm_gaps": True}  # the month's gaps are confirmed (monthend.publication)
    response = client.post("/api/v1/ledgers/2025-03/publish/", body, format="json")
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert response.json()["district"] == "jiulongpo"
    advance(signed_in_february, (Stage.STARTED, D(2025, 3, 30)), by=manager)
    data = client.get("/api/v1/ledgers/2025-03/").json()
    assert data["published"]["version"] == 1
    assert data["rows"][0]["stage"] == "signed"
    assert data["corrections"]["changed"][0]["code"] == signed_in_february.code
    city_view = api.as_user(city).get("/api/v1/ledgers/2025-03/?district=jiulongpo").json()
    assert city_view["published"]["version"] == 1


def test_only_managers_publish(api, staff, city, signed_in_february):
    assert api.as_user(staff).post("/api/v1/ledgers/2025-03/publish/", {}, format="json").status_code == 403
    assert api.as_user(city).post("/api/v1/ledgers/2025-03/publish/", {}, format="json").status_code == 403
    unknown = api.as_user(staff).post("/api/v1/ledgers/2025-03/publish/", {"colour": 1}, format="json")
    assert unknown.status_code == 400


# The district and its published version (none), the summary, the month's movement counts
# and list, the sections' totals, and the rows (two parts: see pipeline.asof.as_of_parts).
LEDGER_QUERIES = 8


def test_the_ledger_takes_the_same_queries_for_one_project_and_for_five_hundred(
    api, manager, unit, industry, django_assert_num_queries
):
    client = api.as_user(manager)
    march_pipeline(unit, industry, 1, prefix="ONE", by=manager)
    with django_assert_num_queries(LEDGER_QUERIES):
        one = client.get("/api/v1/ledgers/2025-03/").json()
    assert len(one["rows"]) == 1
    assert one["movements"]["advanced"] == 2  # signed and started in March

    march_pipeline(unit, industry, 499, prefix="MANY", by=manager)
    with django_assert_num_queries(LEDGER_QUERIES):
        many = client.get("/api/v1/ledgers/2025-03/").json()
    assert len(many["rows"]) == 500
    assert many["summary"]["started"]["count"] == 500
    assert many["movements"]["advanced"] == 1000 and len(many["movements"]["items"]) == 1000
    assert {row["stage"] for row in many["rows"]} == {"started"}
    assert {row["month_funds_in_place"] for row in many["rows"]} == {"5.00"}
    assert {row["funds_in_place_total"] for row in many["rows"]} == {"8.00"}
    assert {row["contract_investment"] for row in many["rows"]} == {"800.00"}


def test_bulk_made_projects_read_in_the_ledger_as_service_made_ones(api, manager, unit, industry):
    """The query-count test builds its projects in bulk: they must be what the services make."""
    [bulk] = march_pipeline(unit, industry, 1, prefix="BULK", by=manager)
    made = make_project(
        unit=unit,
        industry=industry,
        by=manager,
        started=MARCH_2025["began"],
        planned_production_date=MARCH_2025["planned_production_date"],
        total_investment=bulk.total_investment,
    )
    advance(
        made,
        *MARCH_2025["milestones"],
        by=manager,
        signed={"contract_no": "HT-BULK", "contract_investment": Decimal("800.00")},
    )
    for month, funds in MARCH_2025["progress"]:
        progress_save(project=made, by=manager, month=month, funds_in_place=funds)
    made.refresh_from_db()

    derived = ("stage", "stage_since", "negotiation_started_on", "approved_on", "signed_on", "started_on")
    derived += ("producing_on", "contract_investment", "version")
    assert [getattr(bulk, name) for name in derived] == [getattr(made, name) for name in derived]
    events = ("stage", "from_stage", "date", "contract_no", "contract_investment", "voided_at")
    assert list(bulk.events.order_by("date").values_list(*events)) == list(
        made.events.order_by("date").values_list(*events)
    )
    assert bulk.reviews.get().event.stage == made.reviews.get().event.stage == Stage.APPROVED
    rows = {row["id"]: row for row in api.as_user(manager).get("/api/v1/ledgers/2025-03/").json()["rows"]}
    ignored = {"id", "code", "name"}
    assert {k: v for k, v in rows[bulk.pk].items() if k not in ignored} == {
        k: v for k, v in rows[made.pk].items() if k not in ignored
    }


def test_version_reads_an_earlier_published_version(api, manager, signed_in_february):
    client = api.as_user(manager)
    first = {"note": "初版", "confirm_gaps": True}
    assert client.post("/api/v1/ledgers/2025-03/publish/", first, format="json").status_code == 201
    advance(signed_in_february, (Stage.STARTED, D(2025, 3, 30)), by=manager)
    second = {"note": "更正", "confirm_gaps": True}
    assert client.post("/api/v1/ledgers/2025-03/publish/", second, format="json").status_code == 201

    latest = client.get("/api/v1/ledgers/2025-03/").json()
    assert (latest["published"]["version"], latest["published"]["note"]) == (2, "更正")
    assert latest["published"]["versions"] == [1, 2]
    assert latest["rows"][0]["stage"] == "started"
    assert latest["corrections"]["count"] == 0

    first = client.get("/api/v1/ledgers/2025-03/?version=1").json()
    assert (first["published"]["version"], first["published"]["note"]) == (1, "初版")
    assert first["published"]["versions"] == [1, 2]
    assert first["rows"][0]["stage"] == "signed"
    assert first["summary"]["signed"]["count"] == 1 and first["summary"]["started"]["count"] == 0
    # What changed since version 1 is listed beside it.
    assert first["corrections"]["changed"][0]["code"] == signed_in_february.code

    assert client.get("/api/v1/ledgers/2025-03/?version=2").json()["rows"][0]["stage"] == "started"


@pytest.mark.parametrize("version", ["3", "0", "abc", "-1", "1.0"])
def test_a_version_that_was_not_published_is_a_400(api, manager, signed_in_february, version):
    client = api.as_user(manager)
    client.post("/api/v1/ledgers/2025-03/publish/", {"confirm_gaps": True}, format="json")
    response = client.get(f"/api/v1/ledgers/2025-03/?version={version}")
    assert response.status_code == 400
    assert response.json()["field"] == "version"
    assert response.json()["code"] == "invalid_value"


def test_a_version_of_a_month_never_published_is_a_400(api, manager, signed_in_february):
    response = api.as_user(manager).get("/api/v1/ledgers/2025-03/?version=1")
    assert response.status_code == 400
    assert response.json()["field"] == "version"
