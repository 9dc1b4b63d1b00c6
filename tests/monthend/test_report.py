"""The 专项报告: the month's figures exactly as the ledger API gives them, read back from the
.docx with python-docx, its six sections and its two chart images."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from monthend.publication import month_publish
from monthend.report.files import report_file
from monthend.report.text import HEADINGS, wan, yi

D = dt.date


def _read(content: bytes):
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return document, "\n".join(paragraphs), tables


@pytest.fixture
def published(month_end_year, district, manager):
    return month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)


def test_the_report_holds_the_ledger_apis_figures(published, api, manager):
    ledger = api.as_user(manager).get("/api/v1/ledgers/2025-10/").json()
    assert ledger["published"]["version"] == 1
    response = api.as_user(manager).get("/api/v1/ledgers/2025-10/report.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document, text, tables = _read(response.content)
    column_table = tables[0]
    for stage, entry in ledger["summary"].items():
        row = next(r for r in column_table if r[0] == entry["label"])
        assert row[1:3] == [str(entry["count"]), wan(entry["total_investment"])], stage
    totals = ledger["totals"]
    assert column_table[-1][:3] == ["合计", str(totals["count"]), wan(totals["total_investment"])]
    # in the text, 亿元 with two decimals: 87000 万元 → 8.70 亿元
    assert f"在库项目 {totals['count']} 个，总投资 {yi(totals['total_investment'])} 亿元" in text
    assert yi(totals["total_investment"]) == "8.70"
    moves = ledger["movements"]
    assert f"本月新增在谈项目 {moves['new']} 个，阶段推进 {moves['advanced']} 个" in text
    assert (
        "本月新签约项目 1 个，合同投资额 0.80 亿元；新开工项目 1 个" in text
    )  # 丁: signed and started in October
    assert "1—10 月累计新签约项目 3 个" in text


def test_the_report_has_its_sections_and_images(published, district):
    content, _name = report_file(district=district, month="2025-10")
    document, text, tables = _read(content)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [str(h) for h in HEADINGS]
    assert document.paragraphs[-1].text == ""  # 六、下步工作: a paragraph to write in
    assert document.paragraphs[0].text == "九龙坡区招商引资项目专项报告"
    assert "编制单位：九龙坡区招商投资局" in text and "第 1 版" in text
    images = [rel.target_part for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 2
    assert all(part.blob.startswith(b"\x89PNG") for part in images)
    assert len(document.inline_shapes) == 2
    # 四: the screening list as of October's end
    assert "逾期筛查名单共 3 个项目：谈而未定 1 个、定而未落 1 个、逾期未投产 1 个" in text
    # 五: every unit with its score and rank
    scores = next(t for t in tables if t[0][0] == "责任单位")
    assert {row[0] for row in scores[1:]} == {"区经济信息委", "区科技局"}


def test_an_unpublished_month_is_a_draft(month_end_year, district):
    content, name = report_file(district=district, month="2025-09")
    _document, text, _tables = _read(content)
    assert name.endswith("-draft.docx")
    assert "草稿（本月台账尚未发布）" in text


def test_amounts_in_yi_have_two_decimals():
    assert (yi(Decimal("4578000")), yi("123456.78"), yi(0)) == ("457.80", "12.35", "0.00")
    assert wan("1234567.8") == "1,234,567.80"


def test_the_report_is_scoped_like_the_ledger(published, api, staff, foreign_manager, city):
    assert api.as_user(staff).get("/api/v1/ledgers/2025-10/report.docx").status_code == 403
    foreign = api.as_user(foreign_manager).get("/api/v1/ledgers/2025-10/report.docx?district=jiulongpo")
    assert foreign.status_code == 403
    assert api.as_user(city).get("/api/v1/ledgers/2025-10/report.docx?district=jiulongpo").status_code == 200
    refused = api.as_user(city).get("/api/v1/ledgers/2025-10/report.docx")
    assert (refused.status_code, refused.json()["field"]) == (400, "district")
