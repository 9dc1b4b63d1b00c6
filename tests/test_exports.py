"""The Excel files: the bureau's 台账 layout, equal to the JSON ledger row for row."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pipeline.exports import ledger_xlsx_bytes, stats_xlsx_bytes
from pipeline.ledger import ledger, ledger_json
from pipeline.progress import progress_save
from pipeline.stages import LEDGER_COLUMNS, PIPELINE_STAGES, Stage
from pipeline.stats import statistics
from tests.factories import advance, make_project

D = dt.date
HEADER_ROW = 3


@pytest.fixture
def ledger_data(unit, other_unit, industry, manager):
    amounts = ["1234.56", "0.10", "98765.43", "500.00"]
    projects = [
        make_project(
            unit=unit if i % 2 else other_unit,
            industry=industry,
            by=manager,
            started=D(2025, 1, 6),
            total_investment=Decimal(amount),
            name=f"出口测试项目{i}",
        )
        for i, amount in enumerate(amounts)
    ]
    advance(projects[1], (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 2, 2)), by=manager)
    advance(projects[2], (Stage.APPROVED, D(2025, 2, 1)), by=manager)
    progress_save(
        project=projects[1],
        by=manager,
        month=D(2025, 5, 1),
        funds_in_place=Decimal("12.34"),
        progress="进场施工",
    )
    return ledger("2025-05")


def read_back(content: bytes):
    return load_workbook(io.BytesIO(content))


def money(value):
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None


def test_the_workbook_has_a_summary_and_one_sheet_per_column(ledger_data):
    book = read_back(ledger_xlsx_bytes(ledger_data, area="九龙坡区", prepared_by="九龙坡区招商投资局"))
    assert book.sheetnames == ["汇总", *[str(LEDGER_COLUMNS[stage]) for stage in PIPELINE_STAGES]]
    sheet = book["在谈"]
    assert sheet["A1"].value == "九龙坡区招商引资项目月度台账（2025年5月）　在谈"
    assert "编制单位：九龙坡区招商投资局" in sheet["A2"].value
    assert "金额单位：万元" in sheet["A2"].value
    assert sheet.freeze_panes == "A4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.cell(HEADER_ROW, 8).value == "总投资（万元）"
    assert sheet.cell(HEADER_ROW + 1, 8).number_format == "#,##0.00"


def test_data_rows_are_ruled_and_overdue_names_marked(ledger_data, unit, industry, manager):
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 5, 10), name="新近洽谈项目")
    ledger_data = ledger("2025-05")
    assert any(row["is_overdue"] for row in ledger_data["rows"])
    assert not all(row["is_overdue"] for row in ledger_data["rows"])
    book = read_back(ledger_xlsx_bytes(ledger_data, area="九龙坡区"))
    for stage in PIPELINE_STAGES:
        sheet = book[str(LEDGER_COLUMNS[stage])]
        rows = sum(1 for row in ledger_data["rows"] if row["stage"] == stage)
        ranges = [str(cf.sqref) for cf in sheet.conditional_formatting]
        if rows:
            assert ranges == [f"A{HEADER_ROW + 1}:P{HEADER_ROW + rows}"]
            rule = next(iter(sheet.conditional_formatting)).rules[0]
            assert rule.formula == ["TRUE"] and rule.dxf.border.left.style == "thin"
        for line, row in enumerate((r for r in ledger_data["rows"] if r["stage"] == stage), HEADER_ROW + 1):
            name = sheet.cell(line, 3)
            assert name.value == row["name"]
            red = isinstance(getattr(name.font.color, "rgb", None), str) and name.font.color.rgb.endswith(
                "C00000"
            )
            assert red == row["is_overdue"]


def test_the_excel_file_equals_the_json_ledger_row_for_row(ledger_data):
    book = read_back(ledger_xlsx_bytes(ledger_data, area="九龙坡区"))
    json_rows = ledger_json(ledger_data)["rows"]
    for stage in PIPELINE_STAGES:
        sheet = book[str(LEDGER_COLUMNS[stage])]
        expected = [row for row in json_rows if row["stage"] == stage]
        values = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
        body, totals = values[:-1], values[-1]
        assert len(body) == len(expected)
        for index, (cells, row) in enumerate(zip(body, expected, strict=True), start=1):
            assert cells[0] == index
            assert cells[1] == row["code"]
            assert cells[2] == row["name"]
            assert money(cells[7]) == Decimal(row["total_investment"])
            assert money(cells[8]) == (
                Decimal(row["contract_investment"]) if row["contract_investment"] else None
            )
            assert cells[9].date().isoformat() == row["stage_since"]
            assert cells[10] == row["months_in_stage"]
            assert cells[11] == ("是" if row["is_overdue"] else "否")
            assert money(cells[12]) == Decimal(row["month_funds_in_place"])
            assert money(cells[13]) == Decimal(row["funds_in_place_total"])
            assert (cells[14] or "") == row["progress"]
        assert totals[0] == "合计"
        assert money(totals[7]) == ledger_data["summary"][stage]["total_investment"]


def test_the_summary_sheet_carries_the_column_totals(ledger_data):
    sheet = read_back(ledger_xlsx_bytes(ledger_data))["汇总"]
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 6, values_only=True))
    assert rows[0][:3] == ("在谈", 2, 1734.56)
    assert rows[1][:2] == ("拟签约", 1)
    assert rows[5][0] == "合计"
    assert money(rows[5][2]) == Decimal("100500.09")


def test_statistics_export_lists_figures_beside_the_year_before(ledger_data):
    current = statistics(D(2025, 1, 1), D(2025, 12, 31), group_by="unit")
    previous = statistics(D(2024, 1, 1), D(2024, 12, 31), group_by="unit")
    book = read_back(stats_xlsx_bytes(current, area="九龙坡区", previous=previous))
    assert book.sheetnames == ["指标", "分组"]
    figures = {row[0]: row for row in book["指标"].iter_rows(min_row=4, values_only=True)}
    assert figures["新签约项目（个）"][1:3] == (1, 0)
    grouped = list(book["分组"].iter_rows(min_row=4, values_only=True))
    assert grouped[-1][0] == "合计"
    assert [row[0] for row in grouped[:-1]] == [entry["group"] for entry in current["results"]]
