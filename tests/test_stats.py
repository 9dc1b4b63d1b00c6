"""The year's figures: one definition (docs/design.md, The figures), computed in the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import InvalidValue
from pipeline.progress import progress_save
from pipeline.stats import RECORD_COUNTS, compare, shift_year, statistics, statistics_compared
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from tests import factories
from tests.factories import advance, make_project

D = dt.date
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def sign(project, date, amount, by, *, start=None, produce=None):
    steps = [(Stage.APPROVED, date), (Stage.SIGNED, date)]
    if start:
        steps.append((Stage.STARTED, start))
    if produce:
        steps.append((Stage.PRODUCING, produce))
    advance(project, *steps, by=by, signed={"contract_investment": Decimal(amount)})
    return project


@pytest.fixture
def cohort(unit, other_unit, industry, manager):
    """A hand-built year: four projects, each a different story."""
    high_tech = factories.InvestorFactory(is_high_tech=True)
    other_industry = factories.IndustryFactory(code="MOD", name="现代服务业")
    park = factories.ParkFactory(code="jlp-park", name="西部物流园", district=unit.district)

    def project(**fields):
        fields.setdefault("started", D(2024, 10, 8))
        return make_project(by=manager, **fields)

    return {
        # signed in 2025 and started in 2025: a cohort project
        "p1": sign(
            project(unit=unit, industry=industry, investor=high_tech, park=park),
            D(2025, 2, 10),
            "1000.10",
            manager,
            start=D(2025, 5, 6),
        ),
        # signed in 2024, started in 2025: a start, not a cohort one
        "p2": sign(
            project(unit=unit, industry=industry), D(2024, 12, 1), "2000.20", manager, start=D(2025, 3, 3)
        ),
        # signed, started and producing in 2025
        "p3": sign(
            project(unit=other_unit, industry=other_industry),
            D(2025, 3, 1),
            "3000.30",
            manager,
            start=D(2025, 4, 1),
            produce=D(2025, 10, 1),
        ),
        # signed in November by a high-tech enterprise, nothing more
        "p4": sign(
            project(unit=other_unit, industry=other_industry, investor=high_tech),
            D(2025, 11, 20),
            "4000.40",
            manager,
        ),
    }


def test_cohort_figures_on_a_hand_built_year(cohort):
    result = statistics(*YEAR)
    figures = result["figures"]
    assert figures["signed_count"] == 3
    assert figures["contract_investment"] == Decimal("8000.80")
    assert figures["started_count"] == 3
    assert figures["started_contract_investment"] == Decimal("6000.60")
    assert figures["producing_count"] == 1
    assert figures["high_tech_signed_count"] == 2
    assert figures["signed_and_started_count"] == 2
    assert figures["signed_and_producing_count"] == 1
    assert figures["terminated_count"] == 0
    assert figures["terminated_in_period_count"] == 0
    assert result["rates"] == {
        "signed_started_rate": Decimal("66.67"),
        "signed_producing_rate": Decimal("33.33"),
        "started_signed_share": Decimal("66.67"),
        "high_tech_share": Decimal("66.67"),
    }


def test_a_project_terminated_in_december_still_counts_as_signed_in_march(cohort, manager):
    advance(cohort["p3"], (Stage.TERMINATED, D(2025, 12, 15)), by=manager)
    march = statistics(D(2025, 3, 1), D(2025, 3, 31))["figures"]
    assert march["signed_count"] == 1
    assert march["contract_investment"] == Decimal("3000.30")
    assert march["terminated_count"] == 0  # not terminated yet on 31 March
    year = statistics(*YEAR)["figures"]
    assert year["signed_count"] == 3
    assert year["terminated_in_period_count"] == 1
    assert year["terminated_count"] == 1
    later = statistics(D(2026, 1, 1), D(2026, 2, 28))["figures"]
    assert later["terminated_in_period_count"] == 0
    assert later["terminated_count"] == 1  # a stock: still terminated as of February 2026


def test_a_voided_signing_leaves_every_figure(unit, industry, manager, cohort):
    before = statistics(*YEAR)
    project = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    advance(project, (Stage.APPROVED, D(2025, 6, 1)), by=manager)
    approved_only = statistics(*YEAR)
    approved_only_by_month = statistics(*YEAR, group_by="month")
    approved_only_by_unit = statistics(*YEAR, group_by="unit")
    advance(project, (Stage.SIGNED, D(2025, 6, 2)), by=manager)
    assert statistics(*YEAR)["figures"]["signed_count"] == before["figures"]["signed_count"] + 1
    assert statistics(*YEAR, group_by="month") != approved_only_by_month
    event_void(project=project, by=manager, reason="误录")
    assert statistics(*YEAR) == approved_only
    assert statistics(*YEAR, group_by="month") == approved_only_by_month
    assert statistics(*YEAR, group_by="unit") == approved_only_by_unit


@pytest.mark.parametrize("group_by", ["industry", "unit", "park", "district", "month"])
def test_group_figures_add_up_to_the_ungrouped_figure(cohort, group_by, manager, other_unit, industry):
    # An overdue project and some progress, so every figure has something to add up.
    make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 1, 6))
    progress_save(project=cohort["p1"], by=manager, month=D(2025, 5, 1), funds_in_place=Decimal("10.10"))
    progress_save(project=cohort["p3"], by=manager, month=D(2025, 6, 1), funds_in_place=Decimal("20.20"))
    whole = statistics(*YEAR)["figures"]
    grouped = statistics(*YEAR, group_by=group_by)
    for name, value in whole.items():
        if group_by == "month" and name in ("overdue_count", "terminated_count"):
            continue
        parts = [entry["figures"][name] for entry in grouped["results"]]
        assert sum(parts) == value, name


def test_industry_groups_count_each_project_under_its_own_node(cohort):
    grouped = statistics(*YEAR, group_by="industry")
    by_code = {entry["group"]: entry for entry in grouped["results"]}
    assert set(by_code) == {"ADV-EIT", "MOD"}
    assert by_code["ADV-EIT"]["name"] == "新一代电子信息"
    assert by_code["ADV-EIT"]["figures"]["signed_count"] == 1
    assert by_code["MOD"]["figures"]["signed_count"] == 2


def test_month_groups_cover_every_month_of_the_period(cohort):
    grouped = statistics(*YEAR, group_by="month")
    assert [entry["group"] for entry in grouped["results"]] == [f"2025-{m:02d}" for m in range(1, 13)]
    may = grouped["results"][4]["figures"]
    assert (may["started_count"], may["signed_and_started_count"]) == (1, 1)
    assert may["overdue_count"] is None


def test_filters_by_unit_and_industry_subtree(cohort):
    assert statistics(*YEAR, filters={"unit": "jlp-sci"})["figures"]["signed_count"] == 2
    assert statistics(*YEAR, filters={"industry": "ADV"})["figures"]["signed_count"] == 1
    assert statistics(*YEAR, filters={"park": "jlp-park"})["figures"]["started_count"] == 1
    with pytest.raises(InvalidValue) as refused:
        statistics(*YEAR, filters={"industry": "NOPE"})
    assert refused.value.field == "industry"


def test_funds_in_place_sum_the_months_of_the_period(cohort, manager):
    progress_save(project=cohort["p1"], by=manager, month=D(2024, 12, 1), funds_in_place=Decimal("1.00"))
    progress_save(project=cohort["p1"], by=manager, month=D(2025, 1, 1), funds_in_place=Decimal("2.50"))
    progress_save(project=cohort["p2"], by=manager, month=D(2025, 12, 1), funds_in_place=Decimal("3.25"))
    assert statistics(*YEAR)["figures"]["funds_in_place"] == Decimal("5.75")
    assert statistics(D(2025, 1, 15), D(2025, 1, 20))["figures"]["funds_in_place"] == Decimal("2.50")


def test_overdue_count_is_as_of_the_end_of_the_period(unit, industry, manager):
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    assert statistics(D(2025, 1, 1), D(2025, 3, 31))["figures"]["overdue_count"] == 0
    assert statistics(D(2025, 1, 1), D(2025, 4, 30))["figures"]["overdue_count"] == 1


def test_bad_period_or_group_is_refused(cohort):
    with pytest.raises(InvalidValue) as refused:
        statistics(D(2025, 2, 1), D(2025, 1, 1))
    assert refused.value.field == "to"
    with pytest.raises(InvalidValue) as refused:
        statistics(*YEAR, group_by="colour")
    assert refused.value.field == "group_by"


def test_staff_figures_cover_their_unit_only(cohort, unit):
    clerk = factories.staff_of(unit, username="clerk3")
    assert statistics(*YEAR, user=clerk)["figures"]["signed_count"] == 1


def test_comparison_with_the_year_before(cohort):
    current = statistics(*YEAR)["figures"]
    previous = statistics(D(2024, 1, 1), D(2024, 12, 31))["figures"]
    comparison = compare(current, previous)
    assert comparison["signed_count"] == {
        "current": 3,
        "previous": 1,
        "change": 2,
        "change_pct": Decimal("200.0"),
    }
    assert comparison["started_count"]["change_pct"] is None  # nothing started in 2024


def test_statistics_take_a_few_queries_whatever_the_grouping(cohort):
    for group_by in (None, "industry", "month"):
        with CaptureQueriesContext(connection) as queries:
            statistics(*YEAR, group_by=group_by, filters={"district": "jiulongpo"})
        # Besides the district look-up: events, progress, overdue in two parts (projects
        # unchanged since `to`, and the events of the others; pipeline.asof.as_of_parts),
        # and one per registered record model (the exit reviews decided each way).
        reads = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SET"))]
        assert len(reads) <= 5 + len(RECORD_COUNTS), group_by


@pytest.mark.parametrize("group_by", [None, "industry", "unit", "park", "district", "month"])
@pytest.mark.parametrize(
    "period",
    [
        YEAR,
        (D(2025, 3, 1), D(2025, 11, 30)),
        (D(2024, 6, 1), D(2025, 12, 31)),  # longer than a year: the year before overlaps it
    ],
)
def test_the_year_before_read_in_the_same_queries_equals_it_read_alone(cohort, manager, period, group_by):
    """The page's year-on-year columns come from the same queries as the period's figures (one
    FILTER per period); they must equal the figures of those days computed on their own."""
    event_void(project=cohort["p2"], by=manager, reason="录入有误")  # a voided start in the mix
    progress_save(project=cohort["p1"], by=manager, month=D(2024, 11, 1), funds_in_place=Decimal("12.34"))
    progress_save(project=cohort["p3"], by=manager, month=D(2025, 4, 1), funds_in_place=Decimal("56.78"))
    unit, industry = cohort["p1"].unit, cohort["p1"].industry
    make_project(unit=unit, industry=industry, by=manager, started=D(2024, 1, 5))  # overdue by 2024's end
    ended = make_project(unit=unit, industry=industry, by=manager, started=D(2024, 2, 1))
    advance(
        ended,
        (Stage.TERMINATED, D(2024, 9, 1)),
        by=manager,
        terminated=factories.STAGE_DATA[Stage.TERMINATED],
    )
    current, before = statistics_compared(*period, group_by=group_by)
    assert current == statistics(*period, group_by=group_by)
    alone = statistics(shift_year(period[0]), shift_year(period[1]))
    assert before == {**alone, "group_by": None}
    assert before["figures"]["signed_count"] + current["figures"]["signed_count"] > 0
    assert before["figures"]["overdue_count"] and before["figures"]["terminated_count"]


def test_the_period_and_the_year_before_take_the_queries_of_one(cohort):
    for group_by in (None, "industry", "month"):
        with CaptureQueriesContext(connection) as queries:
            statistics_compared(*YEAR, group_by=group_by, filters={"district": "jiulongpo"})
        reads = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SET"))]
        # One more stock read (in two parts) for the year before; the flows and funds are shared.
        assert len(reads) <= 5 + 2 + len(RECORD_COUNTS), group_by


@pytest.mark.postgres
def test_money_figures_are_exact_decimal_sums(unit, industry, manager):
    amounts = ["0.10", "0.20", "99999999999.99", "0.01", "1234.56"]
    for amount in amounts:
        project = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
        sign(project, D(2025, 2, 1), amount, manager, start=D(2025, 3, 1))
        progress_save(project=project, by=manager, month=D(2025, 3, 1), funds_in_place=Decimal(amount))
    figures = statistics(*YEAR)["figures"]
    total = sum(Decimal(amount) for amount in amounts)
    assert figures["contract_investment"] == total == Decimal("100000001234.86")
    assert figures["started_contract_investment"] == total
    assert figures["funds_in_place"] == total
    grouped = statistics(*YEAR, group_by="unit")
    assert grouped["results"][0]["figures"]["contract_investment"] == total


def test_the_stocks_of_a_period_still_ahead_are_as_of_today(unit, industry, manager):
    """Nobody is overdue on a day that has not come: `to` in the future is read as today."""
    from core.dates import add_months, local_today

    today = local_today()
    # Negotiating for a little under three months: not overdue today, overdue in a month.
    make_project(
        unit=unit, industry=industry, by=manager, started=add_months(today, -3) + dt.timedelta(days=7)
    )
    ahead = statistics(D(today.year, 1, 1), add_months(today, 2))["figures"]
    assert ahead["overdue_count"] == 0
    assert statistics(D(today.year, 1, 1), today)["figures"]["overdue_count"] == 0


def test_statistics_refuse_a_yes_no_filter_that_is_neither(cohort):
    with pytest.raises(InvalidValue) as refused:
        statistics(*YEAR, filters={"is_high_tech": "maybe"})
    assert refused.value.field == "is_high_tech"
    high_tech = statistics(*YEAR, filters={"is_high_tech": "true"})["figures"]
    assert high_tech["signed_count"] == high_tech["high_tech_signed_count"] == 2


def test_units_of_several_districts_are_named_with_their_district(cohort, manager, industry, other_district):
    """A city reader's 区招商投资局 of each district must not read as one unit twice."""
    foreign = factories.UnitFactory(code="jj-invest", name=cohort["p1"].unit.name, district=other_district)
    jj_manager = factories.manager_of(other_district, username="jj-boss")
    sign(make_project(unit=foreign, industry=industry, by=jj_manager), D(2025, 4, 1), "10.00", jj_manager)
    names = [entry["name"] for entry in statistics(*YEAR, group_by="unit")["results"]]
    unit = cohort["p1"].unit
    assert f"{unit.name}（{unit.district.name}）" in names
    assert f"{unit.name}（{other_district.name}）" in names
    assert len(names) == len(set(names))
    # One district: plain names, as before.
    one = statistics(*YEAR, group_by="unit", filters={"district": unit.district.code})["results"]
    assert unit.name in [entry["name"] for entry in one]
