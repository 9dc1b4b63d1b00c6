"""The ledger workbook of a reader of several districts (the city, no district chosen) has the
page's 区县 column and each district's 小计 rows before the 合计; a district reader's is
unchanged. Read back with openpyxl."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pipeline.districts import ledger_summary_by_district
from pipeline.reports import ledger_request, ledger_workbook
from projects.lifecycle import Stage
from tests import factories
from tests.test_exports import build_ledger_world

D = dt.date


@pytest.fixture
def two_districts(unit, other_unit, foreign_unit, industry, manager, other_district):
    build_ledger_world(unit, other_unit, industry, manager)
    other_manager = factories.manager_of(other_district, username="jj-manager")
    for name, stage, total in (
        ("江津储能电池项目", Stage.SIGNED, "3000.00"),
        ("江津智能装备项目", Stage.NEGOTIATING, "1500.50"),
        ("江津新材料项目", Stage.NEGOTIATING, "250.25"),
    ):
        project = factories.make_project(
            unit=foreign_unit,
            industry=industry,
            by=other_manager,
            name=name,
            started=D(2025, 1, 10),
            total_investment=Decimal(total),
        )
        if stage != Stage.NEGOTIATING:
            factories.reach(project, stage, start=D(2025, 2, 1), step_days=20, by=other_manager)


def _book(user):
    data = ledger_request("2025-06", {}, user=user)
    content, _name = ledger_workbook(data, user=user)
    return load_workbook(io.BytesIO(content)), data


def _table(ws):
    rows = [list(row) for row in ws.iter_rows(min_row=3, values_only=True)]
    return rows[0], rows[1:]


def test_the_city_workbook_has_the_district_column_and_subtotals(
    two_districts, city, district, other_district
):
    book, data = _book(city)
    by_district = ledger_summary_by_district("2025-06", user=city)
    names = {district.code: district.name, other_district.code: other_district.name}
    for section in (s for s in data["summary"] if data["summary"][s]["count"]):
        label = data["summary"][section]["label"]
        header, rows = _table(book[label])
        assert header[1:4] == ["项目编号", "项目名称", "区县"], header
        assert rows[-1][0] == "合计"
        assert rows[-1][1] == f"{data['summary'][section]['count']}个"
        subtotals = [row for row in rows if row[0] == "小计"]
        expected = {
            names[code]: entry["summary"][section]
            for code, entry in sorted(by_district.items())
            if entry["summary"][section]["count"]
        }
        assert [row[3] for row in subtotals] == list(expected)
        investment = header.index("总投资（万元）") if "总投资（万元）" in header else None
        start = 0
        for row in subtotals:
            entry = expected[row[3]]
            assert row[1] == f"{entry['count']}个"
            # the district's rows come just before its 小计, all of that district
            index = rows.index(row)
            group = rows[start:index]
            assert len(group) == entry["count"] and {r[3] for r in group} == {row[3]}
            if investment is not None:
                assert Decimal(str(row[investment])).quantize(Decimal("0.01")) == entry["total_investment"]
            start = index + 1
        # numbering runs on across the districts
        data_rows = [row for row in rows if isinstance(row[0], int)]
        assert [row[0] for row in data_rows] == list(range(1, len(data_rows) + 1))
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    block = summary[[row[0] for row in summary].index("各区县小计") + 2 :]
    assert [row[0] for row in block] == [names[code] for code in sorted(by_district)]
    assert [row[1] for row in block] == [by_district[code]["totals"]["count"] for code in sorted(by_district)]


def test_a_district_readers_workbook_has_no_district_column(two_districts, manager):
    book, data = _book(manager)
    assert "各区县小计" not in [row[0] for row in book["汇总"].iter_rows(values_only=True)]
    for section in (s for s in data["summary"] if data["summary"][s]["count"]):
        header, rows = _table(book[data["summary"][section]["label"]])
        assert "区县" not in header
        assert [row[0] for row in rows if row[0] in ("小计", "合计")] == ["合计"]
