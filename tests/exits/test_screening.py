"""The screening list as of a month's last day, kept projects, and the exits' figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exits.screening import screening
from exits.services import exit_review_decide, exit_review_open
from pipeline.ledger import ledger_summary
from pipeline.stats import statistics
from projects.lifecycle import Stage
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def pool(unit, other_unit, industry, manager, signed_stale, settings):
    settings.UNDERPERFORM_MONTHS = 6
    negotiating = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="甲谈判")
    started = make_project(
        unit=other_unit,
        industry=industry,
        by=manager,
        started=D(2025, 1, 6),
        name="乙开工",
        planned_production_date=D(2025, 5, 31),
    )
    advance(
        started,
        (Stage.APPROVED, D(2025, 1, 10)),
        (Stage.SIGNED, D(2025, 1, 20)),
        (Stage.STARTED, D(2025, 2, 1)),
        by=manager,
    )
    producing = make_project(
        unit=other_unit, industry=industry, by=manager, started=D(2024, 1, 6), name="丙投产"
    )
    advance(
        producing,
        (Stage.APPROVED, D(2024, 1, 10)),
        (Stage.SIGNED, D(2024, 1, 20)),
        (Stage.STARTED, D(2024, 2, 1)),
        (Stage.PRODUCING, D(2024, 12, 15)),
        by=manager,
    )
    return {"negotiating": negotiating, "signed": signed_stale, "started": started, "producing": producing}


def _listed(result):
    return {row["name"]: (row["kind"], row["months_stuck"]) for row in result["results"]}


def test_the_list_of_each_month_end_with_its_kinds_and_months_stuck(pool, manager):
    assert _listed(screening("2025-04", user=manager)) == {"甲谈判": ("negotiation_stalled", 3)}
    assert _listed(screening("2025-06", user=manager)) == {
        "甲谈判": ("negotiation_stalled", 5),
        "久签未落项目": ("not_started", 3),
        "乙开工": ("production_late", 1),  # planned production 2025-05-31, a month before
        "丙投产": ("not_at_capacity", 6),  # producing since 2024-12-15: more than six months
    }
    june = screening("2025-06", user=manager)
    assert june["counts"] == {
        "negotiation_stalled": 1,
        "not_started": 1,
        "production_late": 1,
        "not_at_capacity": 1,
    }
    assert june["as_of"] == D(2025, 6, 30) and june["underperform_months"] == 6


def test_a_backdated_milestone_changes_an_old_screening(pool, manager):
    assert "甲谈判" in _listed(screening("2025-04", user=manager))
    advance(pool["negotiating"], (Stage.APPROVED, D(2025, 4, 15)), by=manager)  # recorded today
    assert "甲谈判" not in _listed(screening("2025-04", user=manager))
    assert _listed(screening("2025-08", user=manager))["甲谈判"] == ("negotiation_stalled", 4)


def test_a_kept_project_leaves_the_list_until_its_date_and_stays_overdue(pool, manager, staff):
    review = exit_review_open(
        project=pool["signed"], by=staff, proposal="keep", reason="资金已到位", date="2025-07-01"
    )
    exit_review_decide(
        review=review,
        by=manager,
        decision="keep",
        date="2025-07-10",
        reason="同意保留",
        keep_until="2025-09-30",
    )
    june = screening("2025-06", user=manager)  # before the decision: listed, with the review under way
    assert "久签未落项目" in _listed(june)
    assert next(r for r in june["results"] if r["name"] == "久签未落项目")["latest_review"] is None
    for month in ("2025-07", "2025-08", "2025-09"):
        result = screening(month, user=manager)
        assert "久签未落项目" not in _listed(result), month
        assert [(r["name"], r["kept_until"]) for r in result["kept"]] == [("久签未落项目", D(2025, 9, 30))]
        # still overdue in every figure
        assert ledger_summary(month, user=manager)["signed"]["overdue"] == 1
    # 投而未达 is screened, but not overdue by the stale rule
    assert statistics(D(2025, 1, 1), D(2025, 8, 31), user=manager)["figures"]["overdue_count"] == 3
    october = screening("2025-10", user=manager)
    assert _listed(october)["久签未落项目"] == ("not_started", 7)
    latest = next(r for r in october["results"] if r["name"] == "久签未落项目")["latest_review"]
    assert (latest["decision"], latest["keep_until"]) == ("keep", D(2025, 9, 30))


def test_screening_is_scoped_and_filtered(pool, staff, manager):
    assert set(_listed(screening("2025-06", user=staff))) == {"甲谈判", "久签未落项目"}  # the clerk's unit
    assert set(_listed(screening("2025-06", user=manager, filters={"unit": "jlp-sci"}))) == {
        "乙开工",
        "丙投产",
    }


def test_the_screening_takes_three_queries(pool, manager):
    with CaptureQueriesContext(connection) as queries:
        screening("2025-06", user=manager)
    reads = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SET"))]
    assert len(reads) == 3


def test_reclaimed_land_and_the_decisions_each_way_are_figures(pool, manager):
    def decide(project, decision, day, **data):
        review = exit_review_open(project=project, by=manager, proposal=decision, reason="审议", date=day)
        return exit_review_decide(
            review=review, by=manager, decision=decision, date=day, reason="决定", **data
        )

    decide(pool["signed"], "exit", "2025-07-20", reclaimed_land_mu="35.5", reclaimed_building_m2="1200")
    decide(pool["started"], "exit", "2025-08-03", reclaimed_land_mu="10.25")
    decide(pool["producing"], "keep", "2025-08-05", keep_until="2026-01-31")
    figures = statistics(D(2025, 1, 1), D(2025, 12, 31), user=manager)["figures"]
    assert figures["reclaimed_land_mu"] == Decimal("45.75")
    assert figures["reclaimed_building_m2"] == Decimal("1200.00")
    assert (figures["exit_decided_count"], figures["keep_decided_count"]) == (2, 1)
    july = statistics(D(2025, 7, 1), D(2025, 7, 31), user=manager)["figures"]
    assert (july["reclaimed_land_mu"], july["exit_decided_count"], july["keep_decided_count"]) == (
        Decimal("35.50"),
        1,
        0,
    )
    by_unit = statistics(D(2025, 1, 1), D(2025, 12, 31), user=manager, group_by="unit")
    assert {
        r["group"]: (r["figures"]["reclaimed_land_mu"], r["figures"]["keep_decided_count"])
        for r in by_unit["results"]
    } == {
        "jlp-econ": (Decimal("35.50"), 0),
        "jlp-sci": (Decimal("10.25"), 1),
    }
    by_month = statistics(D(2025, 1, 1), D(2025, 12, 31), user=manager, group_by="month")
    assert {
        r["group"]: r["figures"]["exit_decided_count"]
        for r in by_month["results"]
        if r["figures"]["exit_decided_count"]
    } == {
        "2025-07": 1,
        "2025-08": 1,
    }
