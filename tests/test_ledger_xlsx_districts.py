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


WRAPPED_HEADERS = ("项目名称", "投资主体", "产业", "责任单位", "园区", "当月进展情况", "存在问题")


@pytest.mark.parametrize("reader", ["manager", "city"])
def test_every_ledger_sheet_prints_legibly(two_districts, reader, request):
    """What LibreOffice prints: A4 landscape; the headings repeated on every page; one page
    across (fit to width) or 80 % with 序号/项目编号/项目名称 repeated and each page across
    within the paper at LibreOffice's column unit; pages across then down; text columns
    wrapped; no type below 8 pt once scaled."""
    from pipeline.xlsx import MIN_SCALE, PRINTABLE_PX, _column_px

    book, _data = _book(request.getfixturevalue(reader))
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, ws.title
        assert setup.pageOrder == "overThenDown", ws.title
        assert ws.print_title_rows == "$3:$3", ws.title
        widths = _widths(ws)
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert setup.fitToWidth in (1, None) and setup.fitToHeight == 0, ws.title
            # fit to one page across shrinks no further than MIN_SCALE
            assert sum(_column_px(w) for w in widths) * MIN_SCALE <= PRINTABLE_PX * 1.02, ws.title
            scale = MIN_SCALE
        else:
            assert setup.scale == 80 and ws.print_title_cols == "$A:$C", ws.title
            edges = [3, *[brk.id for brk in ws.col_breaks.brk], len(widths)]
            for start, end in zip(edges, edges[1:], strict=False):
                page = sum(_column_px(w) for w in widths[:3] + widths[start:end])
                assert page * MIN_SCALE <= PRINTABLE_PX, (ws.title, start, end)
            scale = setup.scale / 100
        sizes = {cell.font.sz for row in ws.iter_rows(min_row=3) for cell in row if cell.value is not None}
        assert min(sizes) * scale >= 8, (ws.title, sizes)
        if ws.title != "汇总":
            header = [cell.value for cell in ws[3]]
            for name in WRAPPED_HEADERS:
                if name in header:
                    cells = [  # the data rows (numbered), not the 小计 and 合计
                        row[header.index(name)]
                        for row in ws.iter_rows(min_row=4)
                        if isinstance(row[0].value, int)
                    ]
                    assert cells and all(cell.alignment.wrap_text for cell in cells), (ws.title, name)


def _widths(ws) -> list[float]:
    """Each column's width as the sheet was given it: a <col> element may span several columns
    of one width, and a width in the file carries XlsxWriter's 5 px of padding (5/7 unit)."""
    widths = [None] * ws.max_column
    for dimension in ws.column_dimensions.values():
        for index in range(dimension.min, min(dimension.max, ws.max_column) + 1):
            widths[index - 1] = dimension.width - 5 / 7
    assert None not in widths
    return widths


def test_the_statistics_workbook_prints_legibly(two_districts, city):
    """The statistics workbook grouped by unit: landscape A4, headings repeated, pages across
    then down, names wrapped, ≥ 8 pt once scaled, each page across within the paper."""
    from django.http import QueryDict

    from pipeline.reports import stats_request, stats_workbook
    from pipeline.xlsx import MIN_SCALE, PRINTABLE_PX, _column_px

    params = QueryDict("from=2025-01-01&to=2025-06-30&group_by=unit")
    content, _name = stats_workbook(stats_request(params, user=city), user=city, params=params)
    book = load_workbook(io.BytesIO(content))
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.pageOrder == "overThenDown", ws.title
        assert ws.print_title_rows == "$3:$3", ws.title
        widths = _widths(ws)
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert sum(_column_px(w) for w in widths) * MIN_SCALE <= PRINTABLE_PX * 1.02
            scale = MIN_SCALE
        else:
            scale = setup.scale / 100
            assert ws.print_title_cols == "$A:$B"
            edges = [2, *[brk.id for brk in ws.col_breaks.brk], len(widths)]
            for start, end in zip(edges, edges[1:], strict=False):
                page = sum(_column_px(w) for w in widths[:2] + widths[start:end])
                assert page * MIN_SCALE <= PRINTABLE_PX, (ws.title, start, end)
        sizes = {cell.font.sz for row in ws.iter_rows(min_row=3) for cell in row if cell.value is not None}
        assert min(sizes) * scale >= 8, (ws.title, sizes)
    grouped = book["分组"]
    names = [row[1] for row in grouped.iter_rows(min_row=4) if row[0].value != "合计"]
    assert names and all(cell.alignment.wrap_text for cell in names)
