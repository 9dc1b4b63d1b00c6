"""Finding 1 (issue 12): one request may not ask for unbounded work. A period of 1901-9998
grouped by month built ~97,000 groups and held a web worker for 30 s."""

import time

import pytest
from rest_framework.test import APIClient

from core.errors import InvalidValue
from pipeline.stats import MAX_MONTH_GROUPS, MAX_PERIOD_YEARS, statistics

HUGE = "from=1901-01-01&to=9998-12-31"
LONG = "from=1990-01-01&to=2025-12-31"  # within the period bound, 432 months


@pytest.fixture
def api_clerk(staff):
    client = APIClient()
    client.force_authenticate(user=staff)
    return client


@pytest.mark.parametrize("suffix", ["&group_by=month", "&group_by=month&format=xlsx", "", "&format=xlsx"])
def test_the_api_refuses_a_huge_period_at_once(api_clerk, suffix):
    started = time.monotonic()
    response = api_clerk.get(f"/api/v1/stats/?{HUGE}{suffix}")
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "to"
    assert f"{MAX_PERIOD_YEARS} 年" in body["detail"]


@pytest.mark.parametrize("suffix", ["", "&format=xlsx"])
def test_the_api_refuses_too_many_month_groups(api_clerk, suffix):
    response = api_clerk.get(f"/api/v1/stats/?{LONG}&group_by=month{suffix}")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "group_by"
    assert f"{MAX_MONTH_GROUPS} 个月" in body["detail"]


def test_the_page_refuses_a_huge_month_grouping_naming_the_limit(client, staff):
    client.force_login(staff)
    started = time.monotonic()
    response = client.get(f"/stats/?{HUGE}&group_by=month")
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert f"{MAX_PERIOD_YEARS} 年" in response.content.decode()
    response = client.get(f"/stats/?{LONG}&group_by=month")
    assert response.status_code == 400
    assert f"{MAX_MONTH_GROUPS} 个月" in response.content.decode()


def test_the_page_export_refuses_it_too(client, staff):
    client.force_login(staff)
    response = client.get(f"/stats/export.xlsx?{LONG}&group_by=month", follow=True)
    assert "xlsx" not in response.get("Content-Type", "")
    assert f"{MAX_MONTH_GROUPS} 个月" in response.content.decode()


def test_the_limits_themselves_are_allowed(db):
    import datetime as dt

    ten_years = statistics(dt.date(2016, 1, 1), dt.date(2025, 12, 31), group_by="month")
    assert len(ten_years["results"]) == MAX_MONTH_GROUPS
    statistics(dt.date(1925, 1, 1), dt.date(2025, 1, 1))
    with pytest.raises(InvalidValue):
        statistics(dt.date(1925, 1, 1), dt.date(2025, 1, 2))
    with pytest.raises(InvalidValue):
        statistics(dt.date(2016, 1, 1), dt.date(2026, 1, 1), group_by="month")
