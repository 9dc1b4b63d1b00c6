"""The pre-flight of a month's publication, against the hand-counted year of conftest.py."""

import datetime as dt

from exits.services import exit_review_open
from monthend.preflight import preflight
from monthend.publication import month_publish
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests.factories import advance

D = dt.date


def _by_unit(check):
    return {entry["unit"]: entry for entry in check["units"]}


def test_progress_owed_and_filed_per_unit(month_end_year, district):
    units = _by_unit(preflight(district=district, month="2025-10"))
    econ, sci = units["jlp-econ"], units["jlp-sci"]
    assert (econ["owed"], econ["filed"], [p["name"] for p in econ["missing"]]) == (2, 1, ["乙项目"])
    assert (sci["owed"], sci["filed"], sci["missing"]) == (1, 1, [])  # 丙 negotiates: owes nothing


def test_overdue_projects_with_no_review(month_end_year, district, manager, staff):
    check = preflight(district=district, month="2025-10")
    units = _by_unit(check)
    assert [(p["name"], p["kind_label"]) for p in units["jlp-econ"]["unreviewed"]] == [
        ("甲项目", "逾期未投产"),
        ("乙项目", "定而未落"),
    ]
    assert [p["name"] for p in units["jlp-sci"]["unreviewed"]] == ["丙项目"]
    assert (check["missing"], check["unreviewed"], check["gaps"]) == (1, 3, 4)
    exit_review_open(
        project=month_end_year["B"], by=staff, proposal="keep", reason="企业承诺开工", date="2025-11-02"
    )
    assert [
        p["name"] for p in _by_unit(preflight(district=district, month="2025-10"))["jlp-econ"]["unreviewed"]
    ] == ["甲项目"]


def test_milestones_recorded_after_the_month_end_or_its_last_publication(month_end_year, district, manager):
    first = preflight(district=district, month="2025-10")
    # Everything in the fixture was recorded today, long after October: 4 + 3 + 1 + 4 events.
    assert first["late_milestones"] == 12
    month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    assert preflight(district=district, month="2025-10")["late_milestones"] == 0
    advance(month_end_year["B"], (Stage.STARTED, D(2025, 10, 25)), by=manager)  # back-dated into October
    advance(month_end_year["D"], (Stage.PRODUCING, D(2025, 11, 15)), by=manager)  # after October: no change
    late = preflight(district=district, month="2025-10")
    assert late["late_milestones"] == 1
    item = _by_unit(late)["jlp-econ"]["late_milestones"][0]
    assert (item["name"], item["stage"], item["date"]) == ("乙项目", Stage.STARTED, D(2025, 10, 25))


def test_filing_the_missing_report_closes_the_gap(month_end_year, district, manager):
    progress_save(project=month_end_year["B"], by=manager, month=D(2025, 10, 1), progress="办理施工许可")
    econ = _by_unit(preflight(district=district, month="2025-10"))["jlp-econ"]
    assert (econ["owed"], econ["filed"], econ["missing"]) == (2, 2, [])
