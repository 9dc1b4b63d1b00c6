"""The Excel files: the bureau's 台账 layout, equal to the JSON ledger row for row."""

import datetime as dt
import io
from copy import copy
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pipeline.exports import ledger_xlsx_bytes, stats_xlsx_bytes
from pipeline.ledger import ledger
from pipeline.progress import progress_save
from pipeline.publishing import ledger_publish
from pipeline.stats import FIGURES, compare, statistics
from pipeline.transitions import event_void
from projects.lifecycle import LEDGER_COLUMNS, PIPELINE_STAGES, Stage
from tests import factories
from tests.factories import advance, make_project

D = dt.date
HEADER_ROW = 3
CENT = Decimal("0.01")


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


# --- the ledger sheets' layout, written out here rather than read from pipeline.exports --------

# Header -> (JSON ledger row key, how the cell holds it).
SHEET_COLUMNS = {
    "序号": (None, "index"),
    "项目编号": ("code", "text"),
    "项目名称": ("name", "text"),
    "投资主体": ("investor_name", "text"),
    "产业": ("industry_name", "text"),
    "责任单位": ("unit_name", "text"),
    "园区": ("park_name", "text"),
    "总投资（万元）": ("total_investment", "money"),
    "合同投资额（万元）": ("contract_investment", "money"),
    "签约日期": ("signed_on", "date"),
    "开工日期": ("started_on", "date"),
    "计划投产日期": ("planned_production_date", "date"),
    "进入本阶段日期": ("stage_since", "date"),
    "本阶段月数": ("months_in_stage", "int"),
    "是否逾期": ("is_overdue", "flag"),
    "当月资金到位（万元）": ("month_funds_in_place", "money"),
    "当月完成投资（万元）": ("month_investment_completed", "money"),
    "累计资金到位（万元）": ("funds_in_place_total", "money"),
    "当月进展情况": ("progress", "text"),
    "存在问题": ("problems", "text"),
    "牵头领导": ("lead_official", "text"),
}
# Columns on some sheets only (projects.lifecycle.LEDGER_TABLE, which the page renders too):
# a milestone date, and the contract, on the sheets of the columns a project reaches it in (a
# 在谈 or 拟签约 project has signed on no day by the month's end); the planned production date
# on 拟投产, where passing it makes a project overdue; the stage-since date where no milestone
# date says it already; investment completed from the start of construction on.
SOME_SHEETS = {
    "合同投资额（万元）": (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING),
    "签约日期": (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING),
    "开工日期": (Stage.STARTED, Stage.PRODUCING),
    "计划投产日期": (Stage.STARTED,),
    "进入本阶段日期": (Stage.NEGOTIATING, Stage.APPROVED, Stage.PRODUCING),
    "当月完成投资（万元）": (Stage.STARTED, Stage.PRODUCING),
}
# Left off some sheets though a project there has a value: a plan the project list carries; the
# stage-since date, which is the signing (拟开工) or start (拟投产) date shown there; the
# investment completed before construction.
LEFT_OFF_NOT_LOST = {"planned_production_date", "stage_since", "month_investment_completed"}
SAME_AS_STAGE_SINCE = {Stage.SIGNED: "signed_on", Stage.STARTED: "started_on"}
# JSON row fields no sheet shows: the sheet is the stage; codes beside the names shown; facts
# the bureau's 台账 leaves to the project list. A new row field fails this test until placed.
NOT_ON_SHEETS = {
    "id",
    "stage",
    "district",
    "district_name",
    "unit",
    "park",
    "industry",
    "is_high_tech",
}
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def sheet_headers(stage) -> list[str]:
    return [header for header in SHEET_COLUMNS if stage in SOME_SHEETS.get(header, (stage,))]


def _is_red(cell) -> bool:
    rgb = getattr(cell.font.color, "rgb", None)
    return isinstance(rgb, str) and rgb.endswith("C00000")


def cell_as_json(cell, kind):
    """A data cell's value in the JSON ledger's form: money '0.00' strings (exact: no part of a
    cent dropped by the comparison), dates 'YYYY-MM-DD', the overdue flag a bool."""
    value = cell.value
    if kind == "money":
        if value is None:
            return None
        assert cell.number_format == MONEY_FORMAT, cell.coordinate
        amount = Decimal(str(value))
        assert amount == amount.quantize(CENT), (cell.coordinate, value)
        return f"{amount:.2f}"
    if kind == "date":
        if value is None:
            return None
        assert cell.number_format == DATE_FORMAT, cell.coordinate
        assert isinstance(value, dt.datetime) and value.time() == dt.time(0), (cell.coordinate, value)
        return value.date().isoformat()
    if kind == "flag":
        assert value in ("是", "否"), (cell.coordinate, value)
        return value == "是"
    if kind == "int":
        assert isinstance(value, int), (cell.coordinate, value)
        return value
    return "" if value is None else value


class CellMismatch(AssertionError):
    """A data row of a sheet differs from its JSON row: (sheet, position, code, the headers
    that differ, {header: (the cell as JSON, the JSON)} for them)."""


def assert_sheet_equals_rows(sheet, stage, rows: list[dict], summary: dict) -> None:
    """Every cell of the column sheet against the JSON rows of that column, in order, then the
    totals row against the rows' sums and the JSON summary."""
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers == sheet_headers(stage), sheet.title
    shown = {key for key, _kind in (SHEET_COLUMNS[header] for header in headers) if key}
    on_some_sheet = {key for key, _kind in SHEET_COLUMNS.values() if key}
    for row in rows:
        assert set(row) == on_some_sheet | NOT_ON_SHEETS, set(row) ^ (on_some_sheet | NOT_ON_SHEETS)
        # What this sheet leaves off is empty in this column, or shown another way: it drops no data.
        for key in on_some_sheet - shown - LEFT_OFF_NOT_LOST:
            assert row[key] is None, (row["code"], key)
        if stage in SAME_AS_STAGE_SINCE:
            assert row["stage_since"] == row[SAME_AS_STAGE_SINCE[stage]], row["code"]
    lines = list(sheet.iter_rows(min_row=HEADER_ROW + 1))
    body, totals = lines[:-1], lines[-1]
    assert len(body) == len(rows), sheet.title
    for position, (cells, row) in enumerate(zip(body, rows, strict=True), start=1):
        assert len(cells) == len(headers)
        got, want = {}, {}
        for header, cell in zip(headers, cells, strict=True):
            key, kind = SHEET_COLUMNS[header]
            if kind == "index":
                assert cell.value == position
                continue
            got[header] = cell_as_json(cell, kind)
            want[header] = row[key]
        wrong = [header for header in got if got[header] != want[header]]
        if wrong:
            raise CellMismatch(
                sheet.title, position, row["code"], wrong, {h: (got[h], want[h]) for h in wrong}
            )
        assert _is_red(cells[headers.index("项目名称")]) == row["is_overdue"]
    total_cells = [cell.value for cell in totals]
    assert total_cells[0] == "合计"
    assert total_cells[headers.index("项目编号")] == f"{len(rows)}个"
    for header, value in zip(headers[2:], total_cells[2:], strict=True):
        key, kind = SHEET_COLUMNS[header]
        if kind == "money":
            expected = sum((Decimal(row[key] or "0") for row in rows), Decimal("0.00"))
            assert Decimal(str(value)) == expected, (sheet.title, header)
            assert Decimal(summary[key]) == expected, (sheet.title, header)  # the API's, from the database
        else:
            assert value is None, (sheet.title, header)
    assert len(rows) == summary["count"]
    assert Decimal(str(total_cells[headers.index("总投资（万元）")])) == Decimal(summary["total_investment"])


def assert_summary_sheet_equals(sheet, data: dict) -> None:
    """汇总: per column its label, count, total investment and overdue count; the totals; the
    month's movements — all as the JSON says."""
    lines = [line for line in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    assert lines[0] == ("台账栏目", "项目数（个）", "总投资（万元）", "逾期（个）")
    columns = [(data["summary"][stage], str(LEDGER_COLUMNS[stage])) for stage in PIPELINE_STAGES]
    for line, (entry, label) in zip(lines[1:6], columns, strict=True):
        label_cell, count, total, overdue = line
        assert (label_cell, count, overdue) == (label, entry["count"], entry["overdue"])
        assert entry["label"] == label
        assert Decimal(str(total)) == Decimal(entry["total_investment"]), label
    label_cell, count, total, overdue = lines[6]
    totals = data["totals"]
    assert (label_cell, count, overdue) == ("合计", totals["count"], totals["overdue"])
    assert Decimal(str(total)) == Decimal(totals["total_investment"])
    for row in range(HEADER_ROW + 1, HEADER_ROW + 7):
        assert sheet.cell(row, 3).number_format == MONEY_FORMAT
    movements = data["movements"]
    assert lines[8][0] == "本月变动"
    assert [line[:2] for line in lines[9:17]] == [
        ("新增在谈", movements["new"]),
        ("阶段推进", movements["advanced"]),
        ("达产", movements["reached_capacity"]),
        ("终止", movements["terminated"]),
        ("其中：已审定", movements["by_stage"]["approved"]),
        ("其中：已签约", movements["by_stage"]["signed"]),
        ("其中：已开工", movements["by_stage"]["started"]),
        ("其中：已投产", movements["by_stage"]["producing"]),
    ]
    assert len(lines) == 17


def assert_xlsx_equals_json(client, month: str, query=()) -> tuple[dict, object]:
    """GET /api/v1/ledgers/{month}/ as JSON and, with the same filters, as Excel; every column
    sheet equals the JSON rows of its column cell for cell, the summary sheet the JSON summary.
    Returns (the JSON, the workbook) for further checks."""
    params = urlencode(list(query), doseq=True)
    url = f"/api/v1/ledgers/{month}/"
    response = client.get(f"{url}?{params}" if params else url)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    excel = client.get(f"{url}?{params}&format=xlsx" if params else f"{url}?format=xlsx")
    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    book = read_back(excel.content)
    assert book.sheetnames == ["汇总", *[str(LEDGER_COLUMNS[stage]) for stage in PIPELINE_STAGES]]
    assert_summary_sheet_equals(book["汇总"], data)
    placed = 0
    for stage in PIPELINE_STAGES:
        sheet = book[str(LEDGER_COLUMNS[stage])]
        year, number = month.split("-")
        assert f"（{year}年{int(number)}月）" in sheet["A1"].value
        rows = [row for row in data["rows"] if row["stage"] == stage]
        assert_sheet_equals_rows(sheet, stage, rows, data["summary"][stage])
        placed += len(rows)
    assert placed == len(data["rows"])
    return data, book


def build_ledger_world(unit, other_unit, industry, manager) -> dict:
    """A district in June 2025 with three or more projects in every ledger column: some
    overdue, voided milestones, milestones after the month, parks and investors or none, and
    progress in cents over two months. Returns the projects by name."""
    logistics = factories.IndustryFactory(code="MOD-LOG", name="现代物流")
    park = factories.ParkFactory(code="jlp-west", name="西部物流园", district=unit.district)
    chips = factories.InvestorFactory(name="重庆立琻半导体有限公司", is_high_tech=True)
    freight = factories.InvestorFactory(name="重庆西部物流集团有限公司")
    plans = [
        # name, unit, industry, park, investor, total, negotiations began, milestones, planned production
        ("久谈未定项目", unit, industry, None, chips, "1234.56", D(2025, 1, 6), [], None),
        ("新近洽谈项目", other_unit, logistics, park, freight, "0.10", D(2025, 5, 10), [], None),
        ("审定作废项目", unit, industry, park, None, "98765.43", D(2025, 4, 2), [], None),
        (
            "久审未签项目",
            other_unit,
            industry,
            None,
            chips,
            "500.05",
            D(2025, 1, 6),
            [(Stage.APPROVED, D(2025, 2, 1))],
            None,
        ),
        (
            "五月审定项目",
            unit,
            logistics,
            park,
            freight,
            "7777.77",
            D(2025, 3, 1),
            [(Stage.APPROVED, D(2025, 5, 15))],
            None,
        ),
        (
            "七月签约项目",
            unit,
            industry,
            None,
            None,
            "3000.03",
            D(2025, 5, 5),
            [(Stage.APPROVED, D(2025, 6, 1)), (Stage.SIGNED, D(2025, 7, 3))],
            None,
        ),
        (
            "签而未落项目",
            other_unit,
            industry,
            park,
            chips,
            "320000.99",
            D(2025, 1, 6),
            [(Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 2, 10))],
            None,
        ),
        (
            "五月签约项目",
            unit,
            logistics,
            None,
            freight,
            "45678.90",
            D(2025, 2, 3),
            [(Stage.APPROVED, D(2025, 4, 1)), (Stage.SIGNED, D(2025, 5, 20))],
            None,
        ),
        (
            "开工作废项目",
            unit,
            industry,
            park,
            chips,
            "66000.00",
            D(2025, 1, 20),
            [(Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 4, 1)), (Stage.STARTED, D(2025, 6, 5))],
            None,
        ),
        (
            "七月开工项目",
            other_unit,
            logistics,
            None,
            None,
            "12000.12",
            D(2025, 3, 3),
            [
                (Stage.APPROVED, D(2025, 4, 1)),
                (Stage.SIGNED, D(2025, 6, 10)),
                (Stage.STARTED, D(2025, 7, 15)),
            ],
            None,
        ),
        (
            "逾期未投产项目",
            unit,
            industry,
            park,
            chips,
            "150000.50",
            D(2025, 1, 6),
            [(Stage.APPROVED, D(2025, 1, 20)), (Stage.SIGNED, D(2025, 2, 1)), (Stage.STARTED, D(2025, 3, 1))],
            D(2025, 5, 31),
        ),
        (
            "四月开工项目",
            other_unit,
            logistics,
            None,
            freight,
            "8800.08",
            D(2025, 2, 1),
            [
                (Stage.APPROVED, D(2025, 3, 1)),
                (Stage.SIGNED, D(2025, 3, 20)),
                (Stage.STARTED, D(2025, 4, 15)),
            ],
            D(2026, 12, 31),
        ),
        (
            "六月开工项目",
            unit,
            industry,
            None,
            None,
            "2500.25",
            D(2025, 2, 1),
            [(Stage.APPROVED, D(2025, 3, 1)), (Stage.SIGNED, D(2025, 5, 1)), (Stage.STARTED, D(2025, 6, 10))],
            None,
        ),
        (
            "五月投产项目",
            unit,
            industry,
            park,
            chips,
            "210000.21",
            D(2025, 1, 6),
            [
                (Stage.APPROVED, D(2025, 1, 10)),
                (Stage.SIGNED, D(2025, 1, 20)),
                (Stage.STARTED, D(2025, 2, 1)),
                (Stage.PRODUCING, D(2025, 5, 20)),
            ],
            D(2025, 5, 1),
        ),
        (
            "月末投产项目",
            other_unit,
            logistics,
            park,
            freight,
            "33333.33",
            D(2025, 1, 6),
            [
                (Stage.APPROVED, D(2025, 1, 15)),
                (Stage.SIGNED, D(2025, 2, 15)),
                (Stage.STARTED, D(2025, 3, 15)),
                (Stage.PRODUCING, D(2025, 6, 25)),
            ],
            None,
        ),
        (
            "三月投产项目",
            unit,
            industry,
            None,
            None,
            "999.99",
            D(2025, 1, 2),
            [
                (Stage.APPROVED, D(2025, 1, 5)),
                (Stage.SIGNED, D(2025, 1, 10)),
                (Stage.STARTED, D(2025, 2, 10)),
                (Stage.PRODUCING, D(2025, 3, 1)),
            ],
            None,
        ),
        (
            "六月达产项目",
            unit,
            industry,
            None,
            chips,
            "5000.00",
            D(2025, 1, 2),
            [
                (Stage.APPROVED, D(2025, 1, 5)),
                (Stage.SIGNED, D(2025, 1, 10)),
                (Stage.STARTED, D(2025, 2, 10)),
                (Stage.PRODUCING, D(2025, 3, 1)),
                (Stage.AT_CAPACITY, D(2025, 6, 15)),
            ],
            None,
        ),
        (
            "六月终止项目",
            other_unit,
            logistics,
            None,
            None,
            "400.00",
            D(2025, 1, 6),
            [(Stage.TERMINATED, D(2025, 6, 20))],
            None,
        ),
    ]
    projects = {}
    for name, owner, branch, where, investor, total, began, milestones, planned in plans:
        project = make_project(
            unit=owner,
            industry=branch,
            park=where,
            investor=investor,
            by=manager,
            started=began,
            total_investment=Decimal(total),
            planned_production_date=planned,
            lead_official=("王副区长", "李副区长", "")[len(projects) % 3],
            name=name,
        )
        advance(
            project, *milestones, by=manager, signed={"contract_investment": Decimal(total) - Decimal("0.01")}
        )
        projects[name] = project
    advance(projects["审定作废项目"], (Stage.APPROVED, D(2025, 4, 20)), by=manager)
    for name, reason in (("审定作废项目", "审定会议纪要录错项目"), ("开工作废项目", "开工日期录错")):
        event_void(project=projects[name], by=manager, reason=reason)
    reports = [
        # name, month, funds in place, investment completed, progress, problems
        ("久谈未定项目", 6, "0.00", "0.00", "多轮洽谈，投资方未回复", "投资方决策延迟"),
        ("新近洽谈项目", 6, "0.01", "0.00", "首次对接", ""),
        ("五月审定项目", 6, "0.00", "0.00", "", "合同条款待法务审核"),
        ("签而未落项目", 5, "100.10", "200.20", "办理施工许可", ""),
        ("签而未落项目", 6, "12.34", "56.78", "施工许可已受理", "用地红线调整"),
        ("开工作废项目", 6, "1000.00", "999.99", "场平完成", ""),
        ("七月开工项目", 6, "3.33", "4.44", "设计招标", ""),
        ("逾期未投产项目", 4, "5000.50", "6000.60", "主体施工", ""),
        ("逾期未投产项目", 6, "2500.25", "3100.31", "设备安装调试", "用电增容待批"),
        ("四月开工项目", 6, "88.88", "77.77", "桩基施工", ""),
        ("五月投产项目", 6, "0.99", "1.01", "试生产", "产能爬坡慢"),
        ("月末投产项目", 5, "12345.67", "23456.78", "竣工验收", ""),
    ]
    for name, month, funds, completed, progress, problems in reports:
        progress_save(
            project=projects[name],
            by=manager,
            month=D(2025, month, 1),
            funds_in_place=Decimal(funds),
            investment_completed=Decimal(completed),
            progress=progress,
            problems=problems,
        )
    return projects


@pytest.fixture
def ledger_world(unit, other_unit, industry, manager):
    return build_ledger_world(unit, other_unit, industry, manager)


@pytest.fixture
def manager_api(manager):
    client = APIClient()
    client.force_authenticate(user=manager)
    return client


def test_the_data_set_fills_every_column_with_what_the_export_must_carry(ledger_world, manager):
    data = ledger("2025-06", user=manager)
    by_stage = {stage: [row for row in data["rows"] if row["stage"] == stage] for stage in PIPELINE_STAGES}
    assert all(len(rows) >= 3 for rows in by_stage.values()), {k: len(v) for k, v in by_stage.items()}
    assert {stage for stage, rows in by_stage.items() if any(row["is_overdue"] for row in rows)} == {
        Stage.NEGOTIATING,
        Stage.APPROVED,
        Stage.SIGNED,
        Stage.STARTED,
    }
    rows = {row["name"]: row for row in data["rows"]}
    assert "六月达产项目" not in rows and "六月终止项目" not in rows
    voided = rows["审定作废项目"], rows["开工作废项目"]
    assert [row["stage"] for row in voided] == [Stage.NEGOTIATING, Stage.SIGNED]
    assert voided[1]["started_on"] is None and voided[1]["month_investment_completed"] == Decimal("999.99")
    assert rows["七月开工项目"]["signed_on"] == D(2025, 6, 10) and rows["七月开工项目"]["started_on"] is None
    assert rows["签而未落项目"]["funds_in_place_total"] == Decimal("112.44")
    assert rows["新近洽谈项目"]["month_funds_in_place"] == Decimal("0.01")
    assert {row["lead_official"] for row in data["rows"]} == {"王副区长", "李副区长", ""}
    # 拟投产 with a planned production date passed, one to come and none; a plan elsewhere.
    started = [rows[name] for name in ("逾期未投产项目", "四月开工项目", "六月开工项目")]
    assert [(row["stage"], row["planned_production_date"], row["is_overdue"]) for row in started] == [
        (Stage.STARTED, D(2025, 5, 31), True),
        (Stage.STARTED, D(2026, 12, 31), False),
        (Stage.STARTED, None, False),
    ]
    produced = rows["五月投产项目"]
    assert (produced["stage"], produced["planned_production_date"]) == (Stage.PRODUCING, D(2025, 5, 1))


@pytest.mark.parametrize(
    ("month", "query"),
    [
        ("2025-06", ()),
        ("2025-05", ()),
        ("2025-06", (("unit", "jlp-sci"),)),
        ("2025-06", (("industry", "ADV"), ("is_overdue", "true"))),
        ("2025-06", (("stage", "started"), ("stage", "producing"))),
        ("2025-06", (("park", "jlp-west"),)),
    ],
)
def test_the_excel_file_equals_the_json_ledger_row_for_row(ledger_world, manager_api, month, query):
    data, _book = assert_xlsx_equals_json(manager_api, month, query)
    assert data["rows"]
    if not query:
        assert all(data["summary"][stage]["count"] >= 2 for stage in PIPELINE_STAGES)


def test_a_published_month_exports_what_was_published(ledger_world, manager_api, manager, unit):
    ledger_publish(district=unit.district, month="2025-06", by=manager, note="六月")
    progress_save(
        project=ledger_world["四月开工项目"],
        by=manager,
        month=D(2025, 6, 1),
        funds_in_place=Decimal("99.99"),
        investment_completed=Decimal("11.11"),
        progress="更正后的进展",
    )
    data, book = assert_xlsx_equals_json(manager_api, "2025-06")
    assert data["published"]["version"] == 1
    assert data["corrections"]["changed"]
    assert "（已发布第1版）" in book["拟投产"]["A1"].value
    row = next(row for row in data["rows"] if row["name"] == "四月开工项目")
    assert row["month_funds_in_place"] == "88.88"


def _swap(a, b):
    def wrong(cells, keys):
        if a not in keys or b not in keys:
            return
        i, j = keys.index(a), keys.index(b)
        cells[i], cells[j] = cells[j], cells[i]

    return wrong


def _copy(source, target):
    def wrong(cells, keys):
        if target in keys:
            cells[keys.index(target)] = copy(cells[keys.index(source)])

    return wrong


def _blank(key):
    def wrong(cells, keys):
        cells[keys.index(key)] = None

    return wrong


@pytest.mark.parametrize(
    ("break_row", "sheet", "headers"),
    [
        (
            _swap("month_funds_in_place", "month_investment_completed"),
            "拟投产",
            ["当月资金到位（万元）", "当月完成投资（万元）"],
        ),
        (_copy("started_on", "planned_production_date"), "拟投产", ["计划投产日期"]),
        (_blank("lead_official"), "在谈", ["牵头领导"]),
    ],
    ids=["swapped-money", "start-date-as-planned-production", "no-lead-official"],
)
def test_the_comparison_notices_a_wrong_cell(
    ledger_world, manager_api, monkeypatch, break_row, sheet, headers
):
    """The helper above is only worth something if it fails: break one column, and it names
    the sheet and exactly the cells that differ."""
    from pipeline import exports

    original = exports._ledger_row_writer

    def broken(ws, columns):
        write = original(ws, columns)
        keys = [key for _header, key, _kind, _width in columns]

        def wrong(index, row):
            cells = write(index, row)
            break_row(cells, keys)
            return cells

        return wrong

    monkeypatch.setattr(exports, "_ledger_row_writer", broken)
    with pytest.raises(CellMismatch) as failure:
        assert_xlsx_equals_json(manager_api, "2025-06")
    where, _position, _code, wrong, _cells = failure.value.args
    assert (where, wrong) == (sheet, headers)


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
    for stage in PIPELINE_STAGES:
        assert [cell.value for cell in book[str(LEDGER_COLUMNS[stage])][HEADER_ROW]] == sheet_headers(stage)


def test_data_rows_are_ruled_and_overdue_names_marked(ledger_data, unit, industry, manager):
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 5, 10), name="新近洽谈项目")
    ledger_data = ledger("2025-05")
    assert any(row["is_overdue"] for row in ledger_data["rows"])
    assert not all(row["is_overdue"] for row in ledger_data["rows"])
    book = read_back(ledger_xlsx_bytes(ledger_data, area="九龙坡区"))
    for stage in PIPELINE_STAGES:
        sheet = book[str(LEDGER_COLUMNS[stage])]
        rows = sum(1 for row in ledger_data["rows"] if row["stage"] == stage)
        # Every cell of the data block and the totals row is ruled, blank ones too.
        width = len(sheet_headers(stage))
        for line in range(HEADER_ROW + 1, HEADER_ROW + rows + 2):
            for column in range(1, width + 1):
                cell = sheet.cell(line, column)
                assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", (
                    cell.coordinate
                )
        assert sheet.cell(HEADER_ROW + rows + 2, 1).border.left.style is None  # nothing ruled below
        for line, row in enumerate((r for r in ledger_data["rows"] if r["stage"] == stage), HEADER_ROW + 1):
            name = sheet.cell(line, 3)
            assert name.value == row["name"]
            assert _is_red(name) == row["is_overdue"]


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
    assert figures["新签约项目（个）"][3:5] == (1, None)  # change 1; no per cent of nothing
    # Beside the first half of the year, where figures were not zero: every change and
    # per cent is pipeline.stats.compare's.
    first_half = statistics(D(2025, 1, 1), D(2025, 6, 30))
    halves = read_back(stats_xlsx_bytes(current, area="九龙坡区", previous=first_half))
    written = {row[0]: row[3:5] for row in halves["指标"].iter_rows(min_row=4, values_only=True)}
    comparison = compare(current["figures"], first_half["figures"])
    assert any(entry["change_pct"] is not None for entry in comparison.values())
    for name, label in FIGURES.items():
        entry = comparison[name]
        change, pct = written[str(label)]
        assert (change is None) == (entry["change"] is None), name
        assert change is None or Decimal(str(change)) == entry["change"], name
        assert pct == (float(entry["change_pct"]) if entry["change_pct"] is not None else None), name
    grouped = list(book["分组"].iter_rows(min_row=4, values_only=True))
    assert grouped[-1][0] == "合计"
    assert [row[0] for row in grouped[:-1]] == [entry["group"] for entry in current["results"]]
