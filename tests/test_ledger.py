"""The monthly ledger: each project's stage as of the month's last day, from the events."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import add_months, month_end
from core.errors import InvalidValue
from pipeline.asof import latest_events
from pipeline.ledger import ledger, ledger_summary
from pipeline.progress import progress_save
from pipeline.transitions import event_void
from projects.lifecycle import PIPELINE_STAGES, Stage
from tests import factories
from tests.factories import FORWARD, advance, make_project

D = dt.date


def rows_by_code(data):
    return {row["code"]: row for row in data["rows"]}


def stage_of(project, month, **kwargs):
    row = rows_by_code(ledger(month, **kwargs)).get(project.code)
    return row and row["stage"]


@pytest.fixture
def signed_project(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="签约项目")
    advance(
        project,
        (Stage.APPROVED, D(2025, 2, 10)),
        (Stage.SIGNED, D(2025, 3, 5)),
        by=manager,
        signed={"contract_investment": Decimal("12345.67")},
    )
    return project


def test_each_month_shows_the_stage_as_of_its_last_day(signed_project):
    assert stage_of(signed_project, "2025-01") == Stage.NEGOTIATING
    assert stage_of(signed_project, "2025-02") == Stage.APPROVED
    assert stage_of(signed_project, "2025-03") == Stage.SIGNED
    assert stage_of(signed_project, "2024-12") is None  # negotiations had not begun


def test_a_row_carries_stage_since_months_in_stage_and_the_contract_as_of_that_day(signed_project):
    march = rows_by_code(ledger("2025-03"))[signed_project.code]
    assert march["stage_since"] == D(2025, 3, 5)
    assert march["months_in_stage"] == 0
    assert march["contract_investment"] == Decimal("12345.67")
    june = rows_by_code(ledger("2025-06"))[signed_project.code]
    assert june["months_in_stage"] == 3
    february = rows_by_code(ledger("2025-02"))[signed_project.code]
    assert february["contract_investment"] is None
    assert february["signed_on"] is None


def test_backdated_start_changes_the_earlier_months_ledger(signed_project, manager):
    assert stage_of(signed_project, "2025-04") == Stage.SIGNED
    # Recorded today, effective on 15 April: April's ledger moves, March's does not.
    advance(signed_project, (Stage.STARTED, D(2025, 4, 15)), by=manager)
    assert stage_of(signed_project, "2025-04") == Stage.STARTED
    assert stage_of(signed_project, "2025-03") == Stage.SIGNED
    summary = ledger_summary("2025-04")
    assert summary[Stage.STARTED]["count"] == 1
    assert summary[Stage.SIGNED]["count"] == 0


def test_a_voided_signing_falls_back_in_every_month(signed_project, manager):
    before = ledger("2025-02")
    event_void(project=signed_project, by=manager, reason="合同录错")
    assert stage_of(signed_project, "2025-03") == Stage.APPROVED
    after = ledger("2025-03")
    assert after["summary"][Stage.SIGNED]["count"] == 0
    assert after["movements"]["by_stage"][Stage.SIGNED] == 0
    assert ledger("2025-02")["summary"] == before["summary"]


def test_projects_that_left_the_pipeline_are_not_rows(signed_project, manager):
    advance(signed_project, (Stage.TERMINATED, D(2025, 12, 10)), by=manager)
    assert stage_of(signed_project, "2025-11") == Stage.SIGNED
    december = ledger("2025-12")
    assert signed_project.code not in rows_by_code(december)
    assert december["movements"]["terminated"] == 1
    assert december["totals"]["count"] == 0


def test_overdue_flag_follows_the_stale_rule_as_of_the_month_end(unit, industry, manager, settings):
    settings.STALE_MONTHS = 3
    project = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    march = rows_by_code(ledger("2025-03"))[project.code]
    april = rows_by_code(ledger("2025-04"))[project.code]
    assert (march["is_overdue"], april["is_overdue"]) == (False, True)
    assert april["months_in_stage"] == 3
    assert ledger_summary("2025-04")[Stage.NEGOTIATING]["overdue"] == 1
    assert [row["code"] for row in ledger("2025-04", filters={"is_overdue": "true"})["rows"]] == [
        project.code
    ]
    assert ledger("2025-03", filters={"is_overdue": "true"})["rows"] == []


def test_started_project_is_overdue_once_its_planned_production_date_passed(unit, industry, manager):
    project = make_project(
        unit=unit,
        industry=industry,
        by=manager,
        started=D(2025, 1, 6),
        planned_production_date=D(2025, 6, 15),
    )
    advance(
        project,
        (Stage.APPROVED, D(2025, 1, 10)),
        (Stage.SIGNED, D(2025, 1, 20)),
        (Stage.STARTED, D(2025, 2, 1)),
        by=manager,
    )
    assert rows_by_code(ledger("2025-05"))[project.code]["is_overdue"] is False
    assert rows_by_code(ledger("2025-06"))[project.code]["is_overdue"] is True


def test_month_progress_and_cumulative_funds(signed_project, manager):
    progress_save(project=signed_project, by=manager, month=D(2025, 2, 1), funds_in_place=Decimal("100.00"))
    progress_save(
        project=signed_project,
        by=manager,
        month=D(2025, 3, 1),
        funds_in_place=Decimal("50.25"),
        progress="完成土地摘牌",
        problems="用电报装待批",
    )
    march = rows_by_code(ledger("2025-03"))[signed_project.code]
    assert march["month_funds_in_place"] == Decimal("50.25")
    assert march["funds_in_place_total"] == Decimal("150.25")
    assert march["progress"] == "完成土地摘牌"
    assert march["problems"] == "用电报装待批"
    april = rows_by_code(ledger("2025-04"))[signed_project.code]
    assert april["month_funds_in_place"] == Decimal("0.00")
    assert april["funds_in_place_total"] == Decimal("150.25")


def test_movements_of_the_month(signed_project, unit, industry, manager):
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 3, 20))
    march = ledger("2025-03")["movements"]
    assert (march["new"], march["advanced"], march["terminated"], march["reached_capacity"]) == (1, 1, 0, 0)
    assert [item["stage"] for item in march["items"]] == [Stage.SIGNED, Stage.NEGOTIATING]
    assert march["items"][0]["from_stage"] == Stage.APPROVED


def test_filters_narrow_the_ledger_and_refuse_unknown_codes(signed_project, other_unit, industry, manager):
    other = make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 1, 6))
    assert set(rows_by_code(ledger("2025-03", filters={"unit": "jlp-sci"}))) == {other.code}
    assert set(rows_by_code(ledger("2025-03", filters={"stage": ["signed"]}))) == {signed_project.code}
    assert set(rows_by_code(ledger("2025-03", filters={"industry": "ADV"}))) == {
        signed_project.code,
        other.code,
    }
    with pytest.raises(InvalidValue) as refused:
        ledger("2025-03", filters={"unit": "nowhere"})
    assert refused.value.field == "unit"
    with pytest.raises(InvalidValue) as refused:
        ledger("2025-03", filters={"stage": "at_capacity"})
    assert refused.value.field == "stage"
    with pytest.raises(InvalidValue):
        ledger("2025-13")


def test_staff_see_only_their_units_projects(signed_project, other_unit, industry, manager):
    make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 1, 6))
    clerk = factories.staff_of(signed_project.unit, username="clerk2")
    assert set(rows_by_code(ledger("2025-03", user=clerk))) == {signed_project.code}
    assert ledger_summary("2025-03", user=clerk)[Stage.NEGOTIATING]["count"] == 0
    assert ledger_summary("2025-03", user=manager)[Stage.NEGOTIATING]["count"] == 1


def test_the_ledger_takes_the_same_number_of_queries_for_few_and_many_projects(unit, industry, manager):
    from tests.api.helpers import bulk_projects

    bulk_projects(unit, industry, 3, prefix="FEW")
    with CaptureQueriesContext(connection) as few:
        ledger("2025-02", filters={"unit": unit.code})
    bulk_projects(unit, industry, 40, prefix="MANY")
    with CaptureQueriesContext(connection) as many:
        data = ledger("2025-02", filters={"unit": unit.code})
    assert len(data["rows"]) == 43
    assert len(few) == len(many)


def test_the_summary_is_one_query(unit, industry, manager):
    from tests.api.helpers import bulk_projects

    bulk_projects(unit, industry, 5)
    with CaptureQueriesContext(connection) as queries:
        ledger_summary("2025-02")
    assert len(queries) == 1


@pytest.mark.postgres
def test_column_totals_are_exact_decimal_sums(unit, industry, manager):
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("123456789.99"), Decimal("0.01")]
    for amount in amounts:
        make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), total_investment=amount)
    summary = ledger_summary("2025-01")
    assert summary[Stage.NEGOTIATING]["total_investment"] == Decimal("123456790.30")
    assert summary[Stage.NEGOTIATING]["count"] == 4
    data = ledger("2025-01")
    assert data["totals"]["total_investment"] == Decimal("123456790.30")
    assert sum(row["total_investment"] for row in data["rows"]) == Decimal("123456790.30")


def _as_of_from_events(day):
    return {
        row["project_id"]: (row["stage"], row["date"])
        for row in latest_events(day).filter(stage__in=PIPELINE_STAGES).values("project_id", "stage", "date")
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=700),  # negotiations begin, days after 2024-01-01
            st.lists(st.integers(min_value=0, max_value=120), max_size=5),  # gaps to each milestone
            st.booleans(),  # the latest milestone is voided afterwards
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_ledger_reads_the_same_stages_as_the_events_say_on_every_month(
    unit, industry, manager, histories
):
    """The ledger's shortcut (pipeline.asof.as_of_parts: unchanged projects read their derived
    stage) gives, for every month, exactly the latest standing event on or before its last day."""
    # Hypothesis reuses the test's database between examples: earlier examples' projects stay,
    # and are compared too.
    today = D(2025, 12, 31)  # a fixed horizon: the work does not grow with the calendar
    for begin, gaps, void_last in histories:
        day = min(D(2024, 1, 1) + dt.timedelta(days=begin), today)
        project = make_project(unit=unit, industry=industry, by=manager, started=day)
        for stage, gap in zip(FORWARD, gaps, strict=False):
            day = min(day + dt.timedelta(days=gap), today)  # gap 0: the same day, ordered by entry
            advance(project, (stage, day), by=manager)
        if void_last and gaps:
            event_void(project=project, by=manager, reason="录入有误")
    month = D(2024, 1, 1)
    while month <= today:
        day = month_end(month)
        rows = ledger(month)["rows"]
        assert {row["id"]: (row["stage"], row["stage_since"]) for row in rows} == _as_of_from_events(day)
        summary = ledger_summary(month)
        for stage in PIPELINE_STAGES:
            assert summary[stage]["count"] == sum(1 for row in rows if row["stage"] == stage)
        month = add_months(month, 1)


@pytest.mark.parametrize("name", ["is_overdue", "is_high_tech"])
def test_a_yes_no_filter_that_is_neither_is_refused_not_ignored(signed_project, name):
    with pytest.raises(InvalidValue) as refused:
        ledger_summary("2025-03", filters={name: "maybe"})
    assert refused.value.field == name
    assert ledger_summary("2025-03", filters={name: "true"})[Stage.SIGNED]["count"] == 0
    if name == "is_overdue":  # signed on 5 March: not overdue on the 31st
        assert ledger_summary("2025-03", filters={name: "false"})[Stage.SIGNED]["count"] == 1
