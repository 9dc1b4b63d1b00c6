"""One parser for a report's request (pipeline.filters): the month, the published version, the
statistics period and the project filters read alike by the API, the pages and the exports."""

import datetime as dt

import pytest

from core.dates import local_today
from core.errors import InvalidValue
from pipeline.filters import (
    LedgerFilter,
    as_month,
    bound,
    parse_version,
    report_period,
    report_projects,
    year_period,
)

D = dt.date


def test_a_past_year_is_its_whole_calendar_year():
    assert year_period(2024) == (D(2024, 1, 1), D(2024, 12, 31))


def test_a_year_under_way_ends_today():
    today = local_today()
    assert year_period(today.year) == (D(today.year, 1, 1), today)


def test_the_period_is_from_and_to_or_the_year():
    assert report_period({"from": "2025-02-01", "to": "2025-03-31"}) == (D(2025, 2, 1), D(2025, 3, 31), None)
    assert report_period({"year": "2024", "group_by": "unit"}) == (D(2024, 1, 1), D(2024, 12, 31), "unit")
    default = (D(2025, 1, 1), D(2025, 1, 31))
    assert report_period({}, default=default) == (*default, None)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"from": "2025-02-01"}, "to"),
        ({"to": "2025-02-01"}, "from"),
        ({"year": "2025", "from": "2025-02-01"}, "year"),
        ({"year": "20x5"}, "year"),
        ({"year": "99"}, "year"),
        ({"from": "01/02/2025", "to": "2025-03-31"}, "from"),
        ({"from": "2025-02-01", "to": "2025-02-30"}, "to"),
        ({"year": "2025", "group_by": "colour"}, "group_by"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(params, field):
    with pytest.raises(InvalidValue) as refused:
        report_period(params)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("word", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("0", False), ("off", False)],
)
def test_a_yes_no_filter_reads_the_usual_words(word, value):
    assert bound(LedgerFilter, {"is_overdue": word}).form.cleaned_data["is_overdue"] is value


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"is_overdue": "maybe"}, "is_overdue"),
        ({"stage": "at_capacity"}, "stage"),
        ({"stage": ["signed", "colour"]}, "stage"),
    ],
)
def test_a_bad_ledger_filter_is_refused_naming_the_field(params, field):
    with pytest.raises(InvalidValue) as refused:
        bound(LedgerFilter, params)
    assert refused.value.field == field


@pytest.mark.django_db
def test_an_unknown_code_is_refused_not_ignored(district):
    with pytest.raises(InvalidValue) as refused:
        report_projects({"district": "NOWHERE"})
    assert refused.value.field == "district"
    projects, data = report_projects({"district": [district.code], "stage": ["signed", "started"]})
    assert data["stage"] == ["signed", "started"]
    assert projects.query.has_filters()


def test_the_month_and_the_version():
    assert as_month("2025-02") == as_month(D(2025, 2, 17)) == D(2025, 2, 1)
    assert parse_version(None) is None and parse_version("") is None
    assert parse_version("2") == 2
    for bad in ("2025-13", "2025-2", "abc"):
        with pytest.raises(InvalidValue) as refused:
            as_month(bad)
        assert refused.value.field == "month"
    for bad in ("-1", "1.5", "abc", "１"):
        with pytest.raises(InvalidValue) as refused:
            parse_version(bad)
        assert refused.value.field == "version"


@pytest.mark.django_db
def test_the_pages_refuse_a_bad_request_with_the_field_named(client, manager):
    client.force_login(manager)
    for url in (
        "/ledger/2025-06/?is_overdue=maybe",
        "/ledger/2025-06/?version=abc",
        "/stats/?year=2025&from=2025-01-01",
    ):
        assert client.get(url).status_code == 400, url


@pytest.mark.django_db
def test_the_statistics_page_reads_a_year_as_the_api_does(client, manager):
    client.force_login(manager)
    today = local_today()
    response = client.get(f"/stats/?year={today.year}")
    assert (response.context["date_from"], response.context["date_to"]) == year_period(today.year)
