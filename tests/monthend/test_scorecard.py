"""The units' scorecard: figures from the statistics, completion against targets, 序时进度,
score and rank; weights changed later leave a stored scorecard as it was."""

import datetime as dt
from decimal import Decimal

import pytest

from monthend.publication import month_publish
from monthend.scorecard import completion, rank, scorecard, scorecard_for, time_progress, weights_set
from monthend.targets import targets_set
from pipeline.stats import statistics

D = dt.date
PERIOD = {"date_from": D(2025, 1, 1), "date_to": D(2025, 10, 31)}


@pytest.fixture
def targets(month_end_year, district, manager):
    targets_set(
        district=district,
        year=2025,
        by=manager,
        units=[
            {"unit": "jlp-econ", "signed_count": 4, "contract_investment": "84000", "started_count": 2},
            {"unit": "jlp-sci", "signed_count": 0, "funds_in_place": "1600"},
        ],
        total={"signed_count": 5, "contract_investment": "100000"},
    )


def _rows(card):
    return {row["unit"]: row for row in card["results"]}


def test_scorecard_figures_equal_the_statistics_per_unit(targets, district):
    card = scorecard(district=district, **PERIOD)
    stats = statistics(
        PERIOD["date_from"], PERIOD["date_to"], filters={"district": district.code}, group_by="unit"
    )
    for entry in stats["results"]:
        row = _rows(card)[entry["group"]]
        for name in (
            "signed_count",
            "contract_investment",
            "started_count",
            "producing_count",
            "funds_in_place",
            "overdue_count",
        ):
            assert row["figures"][name] == entry["figures"][name], (entry["group"], name)
    assert _rows(card)["jlp-econ"]["figures"]["signed_count"] == 2  # 甲 and 乙


def test_completion_is_actual_over_target_for_hand_counted_cases(targets, district):
    rows = _rows(scorecard(district=district, **PERIOD))
    econ, sci = rows["jlp-econ"], rows["jlp-sci"]
    assert econ["completion"]["signed_count"] == Decimal("50.00")  # 2 ÷ 4
    assert econ["completion"]["contract_investment"] == Decimal("50.00")  # 42000 ÷ 84000
    assert econ["completion"]["started_count"] == Decimal("50.00")  # 1 ÷ 2
    assert econ["completion"]["funds_in_place"] is None  # no target
    assert sci["completion"]["signed_count"] is None  # a target of 0: none, not a division by zero
    assert sci["completion"]["funds_in_place"] == Decimal("50.00")  # 800 ÷ 1600
    assert (completion(1, 3), completion(5, None), completion(0, 0)) == (Decimal("33.33"), None, None)


def test_time_progress_is_the_share_of_the_year_elapsed():
    assert time_progress(D(2025, 1, 1), D(2025, 3, 31)) == Decimal("24.66")  # 90 of 365 days
    assert time_progress(D(2024, 1, 1), D(2024, 12, 31)) == Decimal("100.00")


def test_ranks_follow_scores():
    rows = [{"score": Decimal(s) if s is not None else None} for s in ("70", "90", "70", None, "10")]
    rank(rows)
    assert [row["rank"] for row in rows] == [2, 1, 2, None, 4]


def test_scores_and_ranks_of_the_district(targets, district):
    card = scorecard(district=district, **PERIOD)
    rows = _rows(card)
    ranked = sorted(card["results"], key=lambda row: row["rank"])
    assert [row["score"] for row in ranked] == sorted((row["score"] for row in ranked), reverse=True)
    econ = rows["jlp-econ"]
    # signed 20×50 + contract 25×50 + started 20×50 + progress 10×(2/13=15.38) over 75, less 1 per overdue (2)
    expected = (Decimal(20 * 50 + 25 * 50 + 20 * 50) + 10 * Decimal("15.38")) / 75 - 2
    assert econ["score"] == expected.quantize(Decimal("0.01"))


def test_weights_changed_later_do_not_change_a_stored_scorecard(targets, district, manager):
    month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    stored = scorecard_for(district=district, **PERIOD)
    assert stored["stored_at"] is not None
    weights_set(district=district, by=manager, weights={"signed_count": "100", "overdue_penalty": "0"})
    again = scorecard_for(district=district, **PERIOD)
    assert again == stored
    live = scorecard(district=district, **PERIOD)
    assert live["weights"] == {"signed_count": "100.00", "overdue_penalty": "0.00"}
    assert str(_rows(live)["jlp-econ"]["score"]) != _rows(stored)["jlp-econ"]["score"]


def test_a_period_across_years_is_refused(district):
    from core.errors import InvalidValue

    with pytest.raises(InvalidValue):
        scorecard(district=district, date_from=D(2024, 12, 1), date_to=D(2025, 1, 31))


def test_the_scorecard_takes_the_same_queries_however_many_projects(
    month_end_year, district, unit, industry, manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_project

    def queries():
        with CaptureQueriesContext(connection) as captured:
            scorecard(district=district, **PERIOD)
        return len(captured)

    before = queries()
    for i in range(5):
        make_project(unit=unit, industry=industry, by=manager, name=f"加项{i}")
    assert queries() == before
