"""Issue 14's 督办 part: the scorecard carries each unit's 按期办结率 and letters replied on time
(equal to supervision.rates, hand-counted), weighted into the score; the 专项报告's 三、存在问题
lists the open and overdue 督办事项 by unit with the month's rates."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from monthend.publication import month_publish
from monthend.report.files import report_file
from monthend.scorecard import score, scorecard
from supervision.rates import task_rates
from supervision.tasks import task_create, task_report, task_verify
from tests.factories import staff_of

D = dt.date
OCTOBER = {"date_from": D(2025, 10, 1), "date_to": D(2025, 10, 31)}


@pytest.fixture
def october_tasks(manager, staff, unit, other_unit):
    """区经济信息委: 3 tasks due in October — closed on time, closed late, open (overdue);
    区科技局: 1 task due in October, closed on time; and one due in November (not counted)."""

    def task(unit, due, closed=None, by=staff):
        made = task_create(
            by=manager, unit=unit, content="协调事项", assigned_on=D(2025, 9, 20), due_date=due
        )
        if closed:
            task_report(task=made, by=by, text="已办", date=closed)
            task_verify(task=made, by=manager, date=closed)
        return made

    task(unit, D(2025, 10, 10), closed=D(2025, 10, 9))
    task(unit, D(2025, 10, 15), closed=D(2025, 10, 20))
    task(unit, D(2025, 10, 25))
    task(other_unit, D(2025, 10, 31), closed=D(2025, 10, 31), by=staff_of(other_unit, username="sci"))
    task(unit, D(2025, 11, 5))


def test_the_scorecard_carries_the_supervision_rates(
    month_end_year, october_tasks, district, unit, other_unit
):
    card = scorecard(district=district, **OCTOBER)
    rows = {row["unit"]: row["figures"] for row in card["results"]}
    econ, sci = rows[unit.code], rows[other_unit.code]
    assert (econ["task_due_count"], econ["task_closed_on_time_count"], econ["task_on_time_rate"]) == (
        3, 1, Decimal("33.33")
    )  # fmt: skip
    assert (sci["task_due_count"], sci["task_on_time_rate"]) == (1, Decimal("100.00"))
    assert econ["letter_on_time_rate"] is None  # no letter due: no rate, no division by zero
    rates = task_rates(start=D(2025, 10, 1), end=D(2025, 10, 31), group_by="unit")
    assert econ["task_on_time_rate"] == rates[unit.pk]["on_time_rate"]
    assert card["total"]["figures"]["task_due_count"] == 4
    assert card["total"]["figures"]["task_on_time_rate"] == Decimal("50.00")


def test_the_rate_counts_in_the_score_by_its_weight():
    row = {
        "completion": {"signed_count": Decimal("50")},
        "figures": {"progress_on_time_rate": None, "task_on_time_rate": Decimal("100"), "overdue_count": 0},
    }
    assert score(row, {"signed_count": 1, "task_on_time": 1}) == Decimal("75.00")
    assert score(row, {"signed_count": 1, "task_on_time": 0}) == Decimal("50.00")
    row["figures"]["task_on_time_rate"] = None  # nothing due: the item is left out, not a zero
    assert score(row, {"signed_count": 1, "task_on_time": 1}) == Decimal("50.00")


def test_the_reports_problems_section_lists_tasks_by_unit_with_the_rates(
    month_end_year, october_tasks, district, manager
):
    month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    content, _name = report_file(district=district, month="2025-10")
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    # open at October's end: the overdue open task (due 10-25) and the one due in November
    assert "截至月末，未销号督办事项 2 项（其中诉求 0 项），超过办结时限 1 项。" in text
    assert "本月到期督办事项 4 项，按期办结 2 项，按期办结率 50.00%。" in text
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "承办单位" and len(t.columns) == 6)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][4] == "本月按期办结率"
    assert ["区经济信息委", "2", "1", "0", "33.33%", "—"] in rows
    assert ["区科技局", "0", "0", "0", "100.00%", "—"] in rows
