"""Committing an import: through the services in one transaction, histories dated as the sheet
says (so past months' ledgers come out as its dates say), every change recorded with the file,
idempotent re-import, a later month advancing stages, contradictions refused, and a file with
any error row writing nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from changes.models import Change
from imports.models import ImportedRecord, ImportRun
from imports.services import import_commit, import_file, import_preview
from pipeline.ledger import ledger_summary
from pipeline.models import MonthlyProgress, StageEvent
from projects.credit_code import make_credit_code
from projects.models import Investor, Project
from tests.imports.workbooks import one_sheet

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "项目名称",
    "投资主体",
    "统一社会信用代码",
    "产业",
    "责任单位",
    "园区",
    "总投资",
    "合同投资额",
    "阶段",
    "对接时间",
    "审定时间",
    "签约时间",
    "开工时间",
    "资金到位",
    "项目进展",
]
CREDIT = make_credit_code("91500107MA5U12345")


def march_rows():
    return [
        [
            "芯片封测项目",
            "甲科技有限公司",
            CREDIT,
            "新一代电子信息",
            "经信委",
            "西彭园区",
            50000,
            42000,
            "已开工",
            "2024-10-08",
            "",
            "2025-01-10",
            "2025-03-05",
            1200,
            "厂房施工",
        ],
        [
            "新材料项目",
            "乙材料公司",
            "",
            "先进材料",
            "区科技局",
            "",
            8000,
            None,
            "在谈",
            "2025-02-11",
            "",
            "",
            "",
            None,
            "",
        ],
        [
            "装备项目",
            "丙装备公司",
            "",
            "先进材料",
            "经信委",
            "",
            20000,
            15000,
            "已签约",
            "2024-12-01",
            "2024-12-20",
            "2025-02-28",
            "",
            None,
            "",
        ],
    ]


def march_file():
    return one_sheet(HEADER, march_rows(), title="九龙坡区招商引资项目台账（2025年3月）")


def commit(data, importer, district, name="台账.xlsx"):
    run = import_file(by=importer, district=district, file_name=name, content=data, commit=True)
    return run


def test_a_commit_writes_histories_dated_as_the_sheet_says(district, refs, importer):
    run = commit(march_file(), importer, district)
    assert run.status == ImportRun.Status.DONE, run.report
    assert run.report["summary"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    chip = Project.objects.get(name="芯片封测项目")
    assert chip.stage == "started"
    assert (chip.negotiation_started_on, chip.approved_on, chip.signed_on, chip.started_on) == (
        dt.date(2024, 10, 8),
        dt.date(2025, 1, 10),
        dt.date(2025, 1, 10),
        dt.date(2025, 3, 5),
    )
    assert chip.contract_investment == Decimal("42000.00") and chip.investor.credit_code == CREDIT
    assert chip.park == refs["park"] and chip.unit == refs["unit"]
    codes = {row["project"] for row in run.report["rows"]}
    assert chip.code in codes and None not in codes
    # The 审定 the sheet has no date for: on the signing's date, marked as such.
    approved = chip.events.get(stage="approved")
    assert ImportedRecord.objects.get(event=approved).date_unknown
    assert not ImportedRecord.objects.filter(event=chip.events.get(stage="signed")).exists()
    assert ImportedRecord.objects.get(project=chip, event=None).created
    assert "台账未载明日期" in approved.note
    # The month's progress went to March 2025.
    assert MonthlyProgress.objects.get(project=chip).month == dt.date(2025, 3, 1)
    assert MonthlyProgress.objects.get(project=chip).funds_in_place == Decimal("1200.00")
    # Every change carries the channel and the file.
    changes = Change.objects.filter(project_id=chip.pk)
    assert {c.channel for c in changes} == {"import"}
    assert {c.source["sha256"] for c in changes} == {run.sha256} and run.sha256 and len(run.sha256) == 64
    assert {c.user_id for c in changes} == {importer.pk}


def test_past_months_ledgers_come_out_as_the_sheet_dates_say(district, refs, importer):
    commit(march_file(), importer, district)

    def columns(month):
        summary = ledger_summary(month, filters={"district": district.code})
        return {stage: entry["count"] for stage, entry in summary.items() if entry["count"]}

    assert columns("2024-10") == {"negotiating": 1}
    assert columns("2024-12") == {"negotiating": 1, "approved": 1}
    assert columns("2025-01") == {"signed": 1, "approved": 1}
    assert columns("2025-02") == {"negotiating": 1, "signed": 2}
    assert columns("2025-03") == {"negotiating": 1, "signed": 1, "started": 1}


def test_the_same_file_twice_changes_nothing(district, refs, importer):
    data = march_file()
    commit(data, importer, district)
    counts = (
        Project.objects.count(),
        StageEvent.objects.count(),
        Change.objects.count(),
        Investor.objects.count(),
    )
    again = commit(data, importer, district)
    assert again.status == ImportRun.Status.DONE
    assert again.report["summary"] == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3, "errors": 0}
    assert (
        Project.objects.count(),
        StageEvent.objects.count(),
        Change.objects.count(),
        Investor.objects.count(),
    ) == counts


def test_a_later_month_advances_stages_and_updates_facts(district, refs, importer):
    commit(march_file(), importer, district)
    header = [*HEADER[:14], "投产时间", *HEADER[14:]]
    rows = [[*row[:13], "", *row[13:]] for row in march_rows()]
    rows[0][8], rows[0][13], rows[0][14], rows[0][15] = "已投产", "2025-04-20", 800, "试生产"
    rows[1][6] = 9000  # total investment raised
    run = commit(one_sheet(header, rows, title="九龙坡区招商引资项目台账（2025年4月）"), importer, district)
    assert run.status == ImportRun.Status.DONE, run.report
    statuses = [row["status"] for row in run.report["rows"]]
    assert statuses == ["updated", "updated", "unchanged"]
    chip = Project.objects.get(name="芯片封测项目")
    assert (chip.stage, chip.producing_on) == ("producing", dt.date(2025, 4, 20))
    assert MonthlyProgress.objects.get(project=chip, month=dt.date(2025, 4, 1)).funds_in_place == Decimal(
        "800.00"
    )
    assert Project.objects.get(name="新材料项目").total_investment == Decimal("9000.00")
    assert StageEvent.objects.filter(project=chip).count() == 5


def test_a_row_contradicting_the_history_is_an_error(district, refs, importer):
    commit(march_file(), importer, district)
    rows = march_rows()
    rows[0][7:13] = [None, "在谈", "2024-10-08", "", "", ""]  # an earlier stage than recorded
    rows[2][11] = "2025-02-27"  # another signing date
    run = import_preview(by=importer, district=district, file_name="b.xlsx", content=one_sheet(HEADER, rows))
    report = {row["name"]: row for row in run.report["rows"]}
    assert report["芯片封测项目"]["errors"][0]["code"] == "contradicts_history"
    assert "已是“已开工”" in report["芯片封测项目"]["errors"][0]["message"]
    signing = report["装备项目"]["errors"][0]
    assert (signing["field"], signing["code"]) == ("signed_on", "contradicts_history")
    assert "2025-02-28" in signing["message"]
    assert report["新材料项目"]["status"] == "unchanged"


def test_a_commit_of_a_file_with_an_error_row_writes_nothing(district, refs, importer):
    rows = march_rows()
    rows[2][7] = None  # signed without 合同投资额
    run = import_preview(by=importer, district=district, file_name="c.xlsx", content=one_sheet(HEADER, rows))
    assert run.status == ImportRun.Status.REFUSED
    changes = Change.objects.count()
    run.status = ImportRun.Status.PREVIEWED  # as if the preview had been clean: the commit checks again
    run.save()
    run = import_commit(run=run, by=importer)
    assert run.status == ImportRun.Status.REFUSED
    assert run.report["summary"]["errors"] == 1
    assert Project.objects.count() == 0 and StageEvent.objects.count() == 0 and Investor.objects.count() == 0
    assert Change.objects.count() == changes


@pytest.mark.parametrize("bulk", [True, False])
def test_a_refusal_while_writing_rolls_the_whole_import_back(district, refs, importer, monkeypatch, bulk):
    from core.errors import IllegalTransition
    from imports import bulk as bulk_module
    from imports import write

    calls = []
    module, name = (bulk_module, "clean_stage_data") if bulk else (write, "milestone_record")
    original = getattr(module, name)

    def refuse_third(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise IllegalTransition("拒绝", field="stage")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, refuse_third)
    run = import_file(
        by=importer, district=district, file_name="a.xlsx", content=march_file(), commit=True, bulk=bulk
    )
    assert run.status == ImportRun.Status.REFUSED
    errors = [row for row in run.report["rows"] if row["status"] == "error"]
    assert len(errors) == 1 and errors[0]["errors"][0]["code"] == "illegal_transition"
    assert Project.objects.count() == 0 and Investor.objects.count() == 0
    assert Change.objects.filter(channel="import").count() == 0


def test_a_sheet_without_investors_matches_by_name_alone(district, refs, importer):
    commit(march_file(), importer, district)
    header = ["项目名称", "产业", "责任单位", "阶段", "对接时间"]
    run = import_preview(
        by=importer,
        district=district,
        file_name="d.xlsx",
        content=one_sheet(header, [["新材料项目", "先进材料", "区科技局", "在谈", "2025-02-11"]]),
    )
    assert run.report["rows"][0]["status"] == "unchanged"
    assert run.report["rows"][0]["project"] == Project.objects.get(name="新材料项目").code
