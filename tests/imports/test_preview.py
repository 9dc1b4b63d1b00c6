"""The preview of hand-kept workbooks: headers found by their text, every form of date and
amount read, every error reported with its sheet, row, field and code, and nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from imports.models import ImportRun
from imports.plan import plan_workbook
from imports.services import import_preview
from projects.models import Project
from tests import factories
from tests.imports.workbooks import one_sheet, sheet_with, to_bytes

pytestmark = pytest.mark.django_db


def rows_by_number(plan):
    return {(row.clean.raw.sheet, row.clean.raw.row): row for row in plan.rows}


def errors_of(row):
    return {(error["field"], error["code"]) for error in row.clean.errors}


def test_a_hand_kept_workbook_with_a_sheet_per_column(district, refs):
    workbook = Workbook()
    negotiating = workbook.active
    negotiating.title = "在谈"
    first = sheet_with(
        negotiating,
        title="九龙坡区2025年3月在谈项目台账",
        subtitle="编制单位：区招商投资局　　填报日期：2025年4月2日",
        header=[
            "序号",
            "项目名称",
            "投资方",
            "所属产业",
            "牵头单位",
            "所在园区",
            "计划总投资（亿元）",
            "洽谈时间",
        ],
        rows=[
            ["甲新材料项目", "甲公司", "先进材料", "经信委", "西彭", 1.5, "2025.3.2"],
            ["乙电子项目", "乙公司", "新一代电子信息", "区科技局", None, "2", "2025年1月15日"],
        ],
    )
    signed = workbook.create_sheet("拟开工")
    second = sheet_with(
        signed,
        title="拟开工项目",
        header=["序号", "项目", "投资主体", "信用代码", "产业类别", "责任单位", "投资额", None, "时间", None],
        second_header=[None, None, None, None, None, None, "投资总额", "协议投资额", "对接时间", "签约日期"],
        merges=[
            "A{h}:A{n}",
            "B{h}:B{n}",
            "C{h}:C{n}",
            "D{h}:D{n}",
            "E{h}:E{n}",
            "F{h}:F{n}",
            "G{h}:H{h}",
            "I{h}:J{h}",
        ],
        rows=[["丙装备项目", "丙公司", "", "先进材料", "区经济信息委", 50000, "30,000", 20250110, 45718]],
    )
    plan = plan_workbook(to_bytes(workbook), district=district)
    assert plan.ok, [row.clean.errors for row in plan.rows]
    assert plan.month == dt.date(2025, 3, 1)
    rows = rows_by_number(plan)
    assert set(rows) == {("在谈", first), ("在谈", first + 1), ("拟开工", second)}
    a = rows[("在谈", first)].clean
    assert a.facts["total_investment"] == Decimal("15000.00")  # 亿元 → 万元
    assert a.facts["unit"] == refs["unit"] and a.facts["park"] == refs["park"]
    assert [(m.stage, m.date) for m in a.milestones] == [("negotiating", dt.date(2025, 3, 2))]
    assert rows[("在谈", first + 1)].clean.milestones[0].date == dt.date(2025, 1, 15)
    c = rows[("拟开工", second)].clean
    assert c.facts["total_investment"] == Decimal("50000.00")
    assert [(m.stage, m.date, m.date_unknown) for m in c.milestones] == [
        ("negotiating", dt.date(2025, 1, 10), False),
        ("approved", dt.date(2025, 3, 2), True),  # no 审定 date: on the signing's, marked
        ("signed", dt.date(2025, 3, 2), False),  # serial 45718 is 2025-03-02
    ]
    assert c.milestones[2].data["contract_investment"] == Decimal("30000.00")
    assert {row.status for row in plan.rows} == {"created"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-03-02", dt.date(2025, 3, 2)),
        ("2025/3/2", dt.date(2025, 3, 2)),
        ("2025.3.2", dt.date(2025, 3, 2)),
        ("2025年3月2日", dt.date(2025, 3, 2)),
        ("20250302", dt.date(2025, 3, 2)),
        (20250302, dt.date(2025, 3, 2)),
        (45718, dt.date(2025, 3, 2)),
        (dt.date(2025, 3, 2), dt.date(2025, 3, 2)),
        (dt.datetime(2025, 3, 2, 9, 30), dt.date(2025, 3, 2)),
    ],
)
def test_every_date_form(district, refs, typed, expected):
    data = one_sheet(["项目名称", "产业", "责任单位", "对接时间"], [["项目A", "先进材料", "经信委", typed]])
    plan = plan_workbook(data, district=district)
    assert plan.ok, plan.rows[0].clean.errors
    assert plan.rows[0].clean.milestones[0].date == expected


def test_one_sheet_with_a_stage_column_and_synonyms(district, refs):
    data = one_sheet(
        [
            "序号",
            "项目名称",
            "企业名称",
            "行业",
            "责任单位",
            "镇街园区",
            "投资总额",
            "签约金额",
            "项目阶段",
            "首次接洽",
            "签约时间",
            "实际开工",
            "包抓领导",
            "进展情况",
            "存在问题",
            "资金到位",
        ],
        [
            [
                "丁项目",
                "丁公司",
                "先进材料",
                "经信委",
                "西彭园区",
                8000,
                6000,
                "已开工/拟投产",
                "2024-11-01",
                "2025-01-05",
                "2025-02-20",
                "张三",
                "主体施工",
                "用电",
                300,
            ],
            [
                "戊项目",
                "戊公司",
                "先进材料",
                "经信委",
                "",
                3000,
                None,
                "在谈",
                "2025-02-01",
                None,
                None,
                "",
                "",
                "",
                None,
            ],
        ],
    )
    plan = plan_workbook(data, district=district)
    assert plan.ok, [row.clean.errors for row in plan.rows]
    row = plan.rows[0].clean
    assert row.stage == "started"
    assert [m.stage for m in row.milestones] == ["negotiating", "approved", "signed", "started"]
    assert row.facts["lead_official"] == "张三"
    assert row.progress == {
        dt.date(2025, 3, 1): {"funds_in_place": Decimal("300.00"), "progress": "主体施工", "problems": "用电"}
    }
    assert plan.rows[1].clean.stage == "negotiating"


def test_every_error_is_reported_with_its_row_and_nothing_is_written(district, refs, importer):
    good = ["好项目", "好公司", "", "先进材料", "经信委", 1000, None, "在谈", "2025-01-02", None]
    data = one_sheet(
        [
            "项目名称",
            "投资主体",
            "统一社会信用代码",
            "产业",
            "责任单位",
            "总投资",
            "合同投资额",
            "阶段",
            "对接时间",
            "签约时间",
        ],
        [
            good,  # row 4
            ["", "某公司", "", "先进材料", "经信委", 1000, None, "在谈", "2025-01-02", None],  # 5 no name
            ["坏日期", "某公司", "", "先进材料", "经信委", 1000, None, "在谈", "2025-13-02", None],  # 6
            ["未来", "某公司", "", "先进材料", "经信委", 1000, None, "在谈", "2099-01-02", None],  # 7
            ["约数", "某公司", "", "先进材料", "经信委", "约5亿", None, "在谈", "2025-01-02", None],  # 8
            ["负数", "某公司", "", "先进材料", "经信委", -5, None, "在谈", "2025-01-02", None],  # 9
            ["巨额", "某公司", "", "先进材料", "经信委", 1e12, None, "在谈", "2025-01-02", None],  # 10
            [
                "坏代码",
                "某公司",
                "91500000MA5U000000",
                "先进材料",
                "经信委",
                1,
                None,
                "在谈",
                "2025-01-02",
                None,
            ],  # 11
            ["无单位", "某公司", "", "先进材料", "财政局", 1, None, "在谈", "2025-01-02", None],  # 12
            [
                "签约无额",
                "某公司",
                "",
                "先进材料",
                "经信委",
                1,
                None,
                "已签约",
                "2025-01-02",
                "2025-02-02",
            ],  # 13
            ["乱序", "某公司", "", "先进材料", "经信委", 1, 1, "已签约", "2025-03-02", "2025-02-02"],  # 14
            ["怪阶段", "某公司", "", "先进材料", "经信委", 1, None, "谈着呢", "2025-01-02", None],  # 15
            good,  # 16: the same project twice
            ["早签", "某公司", "", "先进材料", "经信委", 1, None, "在谈", "2025-01-02", "2025-02-02"],  # 17
        ],
        total=False,
    )
    run = import_preview(by=importer, district=district, file_name="坏.xlsx", content=data)
    assert run.status == ImportRun.Status.REFUSED
    report = {row["row"]: row for row in run.report["rows"]}
    codes = {number: {(e["field"], e["code"]) for e in row["errors"]} for number, row in report.items()}
    assert report[4]["status"] == "created" and codes[4] == set()
    assert codes[5] == {("name", "missing_field")}
    assert codes[6] == {("negotiation_started_on", "invalid_date")}
    assert codes[7] == {("negotiation_started_on", "date_in_future")}
    assert codes[8] == {("total_investment", "not_a_number")}
    assert codes[9] == {("total_investment", "negative_value")}
    assert codes[10] == {("total_investment", "implausible_value")}
    assert codes[11] == {("credit_code", "invalid_credit_code")}
    assert codes[12] == {("unit", "unknown_reference")}
    assert codes[13] == {("contract_investment", "missing_field")}
    assert codes[14] == {("signed_on", "date_out_of_order")}
    assert codes[15] == {("stage", "unknown_stage")}
    assert codes[16] == {("name", "duplicate_in_file")}
    assert codes[17] == {("signed_on", "stage_mismatch")}
    messages = {number: " ".join(e["message"] for e in row["errors"]) for number, row in report.items()}
    assert "约5亿" in messages[8] and "2025-13-02" in messages[6] and "财政局" in messages[12]
    assert "第 4 行" in messages[16]
    assert run.report["summary"] == {"rows": 14, "created": 1, "updated": 0, "unchanged": 0, "errors": 13}
    assert all(row["sheet"] == "Sheet" for row in run.report["rows"])
    assert Project.objects.count() == 0


def test_an_unknown_name_suggests_the_closest(district, refs):
    data = one_sheet(
        ["项目名称", "产业", "责任单位", "对接时间"], [["甲", "先进材", "区经济信息局", "2025-01-02"]]
    )
    errors = plan_workbook(data, district=district).rows[0].clean.errors
    unit_error = next(e for e in errors if e["field"] == "unit")
    assert unit_error["code"] == "unknown_reference" and "区经济信息委" in unit_error["message"]
    assert unit_error["value"] == "区经济信息局" and unit_error["column"] == "责任单位"


def test_us_dollars_need_a_stated_rate(district, refs):
    header = ["项目名称", "产业", "责任单位", "总投资（万美元）", "对接时间"]
    rows = [["外资项目", "先进材料", "经信委", 1000, "2025-01-02"]]
    no_rate = plan_workbook(one_sheet(header, rows), district=district).rows[0].clean
    assert ("total_investment", "missing_rate") in errors_of(
        plan_workbook(one_sheet(header, rows), district=district).rows[0]
    )
    assert no_rate.facts.get("total_investment") is None
    with_rate = one_sheet(header, rows, subtitle="金额单位：万美元（汇率 7.1）")
    row = plan_workbook(with_rate, district=district).rows[0].clean
    assert row.facts["total_investment"] == Decimal("7100.00")


def test_a_file_that_is_not_a_workbook_is_one_clear_error(district, refs, importer):
    run = import_preview(by=importer, district=district, file_name="x.xlsx", content=b"not a workbook")
    assert run.status == ImportRun.Status.REFUSED
    assert run.report["file_errors"][0]["code"] == "invalid_file"
    assert run.report["summary"]["errors"] == 1


def test_a_clerk_may_not_import(district, refs, unit):
    from core.errors import Forbidden

    with pytest.raises(Forbidden):
        import_preview(by=factories.staff_of(unit), district=district, file_name="a.xlsx", content=b"")


def test_a_workbook_of_monthly_funds_in_yi_yuan(district, refs):
    """One column per month under a merged 资金到位 header; the unit line says 亿元."""
    data = one_sheet(
        ["项目名称", "产业", "责任单位", "项目阶段", "签约时间", "合同投资额", "资金到位", None, None],
        [["月报项目", "先进材料", "经信委", "拟开工", "2025-01-02", 2, 0.01, "0.02", None]],
        second_header=[None, None, None, None, None, None, "1月", "2月", "3月"],
        merges=["A{h}:A{n}", "B{h}:B{n}", "C{h}:C{n}", "D{h}:D{n}", "E{h}:E{n}", "F{h}:F{n}", "G{h}:I{h}"],
        title="2025年1—3月资金到位台账",
        subtitle="金额单位：亿元",
        total=False,
    )
    plan = plan_workbook(data, district=district)
    assert plan.ok, plan.rows[0].clean.errors
    row = plan.rows[0].clean
    assert row.stage == "signed" and row.milestones[-1].data["contract_investment"] == Decimal("20000.00")
    assert row.progress == {
        dt.date(2025, 1, 1): {"funds_in_place": Decimal("100.00")},
        dt.date(2025, 2, 1): {"funds_in_place": Decimal("200.00")},
    }
    assert plan.sheets[0]["header_rows"] == [3, 4]


def test_a_sheet_that_starts_further_in_keeps_excel_row_numbers(district, refs):
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"] = "九龙坡区台账（2025年3月）"
    sheet.merge_cells("C3:F3")
    for column, (header, value) in zip(
        "CDEF",
        (("项目名称", "偏移项目"), ("产业", "先进材料"), ("责任单位", "经信委"), ("对接时间", "约在春天")),
        strict=True,
    ):
        sheet[f"{column}5"] = header
        sheet[f"{column}6"] = value
    plan = plan_workbook(to_bytes(workbook), district=district)
    assert plan.sheets[0]["header_rows"] == [5]
    row = plan.rows[0].clean
    assert (row.raw.row, row.name, row.errors[0]["field"], row.errors[0]["value"]) == (
        6,
        "偏移项目",
        "negotiation_started_on",
        "约在春天",
    )


def test_the_openpyxl_fallback_reads_the_same_rows(district, refs):
    data = one_sheet(
        ["序号", "项目名称", "产业", "责任单位", "总投资", "对接时间"],
        [["甲", "先进材料", "经信委", 12.5, "2025/1/2"], ["乙", "先进材料", "区科技局", "30", 45718]],
    )
    by_reader = {
        reader: [
            (r.clean.raw.row, r.clean.name, r.clean.facts.get("total_investment"), r.clean.milestones[0].date)
            for r in plan_workbook(data, district=district, reader=reader).rows
        ]
        for reader in ("calamine", "openpyxl")
    }
    assert by_reader["calamine"] == by_reader["openpyxl"]
    assert by_reader["calamine"][1] == (5, "乙", Decimal("30.00"), dt.date(2025, 3, 2))
