"""GET /api/v1/stats/: the figures of docs/design.md for a period, grouped or not, JSON or Excel."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.dates import local_today
from pipeline.stats import RECORD_COUNTS
from projects.lifecycle import Stage
from tests.api.helpers import march_pipeline
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def year(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    advance(
        project,
        (Stage.APPROVED, D(2025, 2, 1)),
        (Stage.SIGNED, D(2025, 2, 20)),
        (Stage.STARTED, D(2025, 5, 1)),
        by=manager,
        signed={"contract_investment": Decimal("1234.50")},
    )
    return project


def test_the_figures_of_a_year(api, manager, year):
    response = api.as_user(manager).get("/api/v1/stats/?year=2025")
    assert response.status_code == 200
    data = response.json()
    assert data["from"] == "2025-01-01"
    assert data["to"] == "2025-12-31"
    assert data["signed_count"] == 1
    assert data["contract_investment"] == "1234.50"
    assert data["started_count"] == 1
    assert data["signed_and_started_count"] == 1
    assert data["signed_started_rate"] == "100.00"
    assert "results" not in data


def test_a_period_grouped_by_month_and_industry(api, manager, year):
    client = api.as_user(manager)
    months = client.get("/api/v1/stats/?from=2025-01-01&to=2025-06-30&group_by=month").json()
    assert [entry["group"] for entry in months["results"]] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert months["results"][1]["signed_count"] == 1
    industries = client.get("/api/v1/stats/?year=2025&group_by=industry&industry=ADV").json()
    assert industries["results"] == [
        {**industries["results"][0], "group": "ADV-EIT", "name": "新一代电子信息", "signed_count": 1}
    ]


def test_bad_input_is_a_400_naming_the_field(api, manager, year):
    client = api.as_user(manager)
    cases = {
        "/api/v1/stats/": "from",
        "/api/v1/stats/?from=2025-01-01&to=2025-13-01": "to",
        "/api/v1/stats/?year=20x5": "year",
        "/api/v1/stats/?year=2025&group_by=colour": "group_by",
        "/api/v1/stats/?year=2025&unit=nowhere": "unit",
        "/api/v1/stats/?from=2025-02-01&to=2025-01-01": "to",
    }
    for url, field in cases.items():
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["field"] == field, url
    assert client.get("/api/v1/stats/?year=2025&stage=signed").json()["code"] == "unknown_parameter"


def test_the_excel_export(api, manager, year):
    response = api.as_user(manager).get("/api/v1/stats/?year=2025&group_by=unit&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["指标", "分组"]


def test_staff_figures_are_scoped(api, year, other_unit, industry, manager):
    make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 1, 6))
    from tests.factories import staff_of

    colleague = staff_of(other_unit, username="colleague2")
    assert api.as_user(colleague).get("/api/v1/stats/?year=2025").json()["signed_count"] == 0


# The period's events and its monthly progress; unless grouped by month, the stocks as of
# `to` (two parts: see pipeline.asof.as_of_parts); one per model whose records an app above
# registered with pipeline.stats.register_record_counts (the exit reviews decided each way).
STATS_QUERIES = {
    group: n + len(RECORD_COUNTS) for group, n in {None: 4, "unit": 4, "industry": 4, "month": 2}.items()
}


@pytest.mark.parametrize("group_by", list(STATS_QUERIES))
def test_the_stats_take_the_same_queries_for_one_project_and_for_five_hundred(
    api, manager, unit, other_unit, industry, django_assert_num_queries, group_by
):
    client = api.as_user(manager)
    params = {"from": "2025-01-01", "to": "2025-06-30", **({"group_by": group_by} if group_by else {})}
    march_pipeline(unit, industry, 1, prefix="ONE", by=manager)
    with django_assert_num_queries(STATS_QUERIES[group_by]):
        one = client.get("/api/v1/stats/", params).json()
    assert (one["signed_count"], one["started_count"], one["signed_and_started_count"]) == (1, 1, 1)
    assert one["funds_in_place"] == "8.00"

    march_pipeline(unit, industry, 249, prefix="MANY", by=manager)
    march_pipeline(other_unit, industry, 250, prefix="OTHER", by=manager)
    with django_assert_num_queries(STATS_QUERIES[group_by]):
        many = client.get("/api/v1/stats/", params).json()
    assert (many["signed_count"], many["started_count"], many["signed_and_started_count"]) == (500, 500, 500)
    assert many["producing_count"] == 124 + 125
    assert many["contract_investment"] == "400000.00"
    assert many["funds_in_place"] == "4000.00"
    if group_by != "month":
        # the ones still started on 30 June, their planned production date passed
        assert many["overdue_count"] == 500 - many["producing_count"]
    if group_by == "unit":
        assert [entry["signed_count"] for entry in many["results"]] == [250, 250]


@pytest.mark.parametrize(
    "query", ["?year=2025", "?from=2025-01-01&to=2025-06-30&group_by=unit", "?year=2025&format=xlsx"]
)
def test_anonymous_callers_get_401(api, year, query):
    response = api.get(f"/api/v1/stats/{query}")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_year_under_way_is_read_up_to_today_as_on_the_page(api, manager):
    """One period parser (pipeline.filters.year_period) for the API and the statistics page."""
    today = local_today()
    body = api.as_user(manager).get(f"/api/v1/stats/?year={today.year}").json()
    assert (body["from"], body["to"]) == (f"{today.year}-01-01", today.isoformat())
