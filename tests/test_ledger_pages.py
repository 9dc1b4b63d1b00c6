"""The ledger, statistics and dashboard pages (Django test client)."""

import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pipeline.ledger import ledger
from pipeline.publishing import ledger_publish
from projects.lifecycle import PIPELINE_STAGES, Stage
from tests.api.helpers import bulk_projects
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def overdue_project(unit, industry, manager):
    project = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="久谈未定项目"
    )
    advance(project, (Stage.APPROVED, D(2025, 1, 10)), by=manager)
    return project


def test_pages_need_a_login(client):
    for url in ("/ledger/", "/ledger/2025-06/", "/stats/", "/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_ledger_redirects_to_the_last_complete_month(client, staff):
    client.force_login(staff)
    response = client.get("/ledger/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ledger/20")


def test_the_ledger_page_marks_overdue_rows_and_offers_publishing_to_managers(
    client, manager, staff, overdue_project
):
    client.force_login(manager)
    page = client.get("/ledger/2025-06/").content.decode()
    assert "九龙坡区招商引资项目月度台账（2025年6月）" in page
    assert "久谈未定项目" in page
    assert 'class="row-overdue"' in page
    assert "发布本月台账" in page
    client.force_login(staff)
    page = client.get("/ledger/2025-06/").content.decode()
    assert "久谈未定项目" in page
    assert "发布本月台账" not in page


def test_publishing_from_the_page_shows_the_banner(client, manager, overdue_project):
    client.force_login(manager)
    response = client.post("/ledger/2025-06/publish/", {"note": "六月", "confirm_gaps": "on"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已发布" in page
    assert "第 1 版" in page
    assert "重新发布本月台账" in page


def test_staff_cannot_publish_from_the_page(client, staff, overdue_project):
    client.force_login(staff)
    response = client.post("/ledger/2025-06/publish/", follow=True)
    assert "只有本区招商投资局管理人员可以发布月度台账" in response.content.decode()
    from pipeline.models import PublishedLedger

    assert not PublishedLedger.objects.exists()


def test_bad_month_or_filter_is_a_clear_error(client, manager, overdue_project):
    client.force_login(manager)
    assert client.get("/ledger/2025-13/").status_code == 404
    response = client.get("/ledger/2025-06/?unit=nowhere")
    assert response.status_code == 400
    assert "责任单位" in response.content.decode()


def test_the_ledger_download_is_an_excel_file(client, manager, overdue_project):
    client.force_login(manager)
    response = client.get("/ledger/2025-06/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_excel_of_a_published_version_is_that_version(client, manager, unit, industry, overdue_project):
    """A manager looking at 第 1 版 downloads 第 1 版, not the latest."""
    ledger_publish(district=unit.district, month="2025-06", by=manager)
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 6, 2), name="后来补录的项目")
    ledger_publish(district=unit.district, month="2025-06", by=manager)
    client.force_login(manager)

    def names(query):
        response = client.get("/ledger/2025-06/export.xlsx" + query)
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return {cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row}

    assert "后来补录的项目" not in names("?version=1")
    assert "后来补录的项目" in names("?version=2")
    assert "后来补录的项目" in names("")


def test_the_statistics_page_compares_with_the_year_before(client, manager, overdue_project):
    client.force_login(manager)
    response = client.get("/stats/?from=2025-01-01&to=2025-12-31&group_by=unit")
    assert response.status_code == 200
    page = response.content.decode()
    assert "上年同期" in page
    assert "2024-01-01" in page
    assert "区经济信息委" in page
    assert client.get("/stats/export.xlsx?year=2025").status_code == 200
    assert client.get("/stats/?from=2025-02-01&to=2025-01-01").status_code == 400


def test_the_dashboard_draws_svg_charts(client, manager, overdue_project):
    client.force_login(manager)
    page = client.get("/dashboard/").content.decode()
    assert page.count('<svg class="chart"') == 3
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_report_pages_take_the_same_queries_for_few_and_many_projects(client, manager, unit, industry):
    client.force_login(manager)
    bulk_projects(unit, industry, 2, prefix="FEW")
    ledger_publish(district=unit.district, month="2025-01", by=manager)
    urls = ("/ledger/2025-02/", "/stats/?year=2025&group_by=unit", "/dashboard/", "/ledger/2025-01/")
    for index, url in enumerate(urls):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        bulk_projects(unit, industry, 30, prefix=f"MANY{index}")
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(few) == len(many), url


def test_money_is_shown_with_two_decimals(client, manager, unit, industry):
    make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), total_investment=Decimal("1234.5")
    )
    client.force_login(manager)
    assert "1,234.50" in client.get("/ledger/2025-01/").content.decode()


class _LedgerTables(HTMLParser):
    """Each ledger section's table: {stage: (headers, [[cell text, ...], ...])}, a cell's text
    being its text pieces, stripped, joined by one space; and the columns its totals row
    spans, in `total_spans`."""

    def __init__(self):
        super().__init__()
        self.tables, self.stage, self.cell, self.row = {}, None, None, None
        self.total_spans, self.spans, self.totals = {}, 0, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("col-"):
            self.stage = attrs["id"][4:]
            self.tables[self.stage] = ([], [])
        elif self.stage and tag == "tr":
            self.row, self.spans = [], 0
        elif self.stage and self.row is not None and tag in ("th", "td"):
            self.cell = []
            self.spans += int(attrs.get("colspan") or 1)

    def handle_endtag(self, tag):
        if tag == "section":
            self.stage = None
        elif self.cell is not None and tag in ("th", "td"):
            self.row.append(" ".join(self.cell))
            self.cell = None
        elif self.row is not None and tag == "tr":
            headers, rows = self.tables[self.stage]
            if not headers:
                headers.extend(self.row)
            elif self.row[0] != "合计":
                rows.append(self.row)
            else:
                self.total_spans[self.stage] = self.spans
                self.totals[self.stage] = self.row
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and data.strip():
            self.cell.append(data.strip())


def ledger_tables(html: str) -> dict:
    return _parsed(html).tables


def _parsed(html: str) -> _LedgerTables:
    parser = _LedgerTables()
    parser.feed(html)
    return parser


def _amount(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _day(value) -> str:
    return "—" if value is None else value.isoformat()


PAGE_CELLS = {
    # header -> the cell's text for a ledger row (pipeline.ledger.ledger()'s Python form)
    "项目": lambda row: " ".join([row["name"], row["code"], *(["逾期"] if row["is_overdue"] else [])]),
    "产业": lambda row: row["industry_name"],
    "责任单位": lambda row: row["unit_name"],
    "总投资": lambda row: _amount(row["total_investment"]),
    "合同投资额": lambda row: _amount(row["contract_investment"]),
    "签约日期": lambda row: _day(row["signed_on"]),
    "开工日期": lambda row: _day(row["started_on"]),
    "计划投产日期": lambda row: _day(row["planned_production_date"]),
    "进入本阶段日期": lambda row: _day(row["stage_since"]),
    "本阶段月数": lambda row: str(row["months_in_stage"]),
    "当月资金到位": lambda row: _amount(row["month_funds_in_place"]),
    "当月完成投资": lambda row: _amount(row["month_investment_completed"]),
    "累计资金到位": lambda row: _amount(row["funds_in_place_total"]),
    "当月进展 / 问题": lambda row: " ".join(
        [row["progress"] or "—", *([f"问题：{row['problems']}"] if row["problems"] else [])]
    ),
}
PAGE_SECTION_HEADERS = {
    # What matters per column, as on the Excel sheets: the contract and the signing date once
    # signed, the start once building, the planned production date that makes a 拟投产 project
    # overdue, the stage-since date where no milestone date says it already (the production
    # date in 投产未达产), investment completed once building. The investor, the park and the
    # lead official are on the Excel sheets only: the page keeps to what fits a screen.
    "negotiating": ["进入本阶段日期"],
    "approved": ["进入本阶段日期"],
    "signed": ["合同投资额", "签约日期"],
    "started": ["合同投资额", "签约日期", "开工日期", "计划投产日期", "当月完成投资"],
    "producing": ["合同投资额", "签约日期", "开工日期", "进入本阶段日期", "当月完成投资"],
}
# The totals row: the count under the project, the sums under the amounts (from the database).
FIELD_OF_TOTAL = {
    "总投资": "total_investment",
    "合同投资额": "contract_investment",
    "当月资金到位": "month_funds_in_place",
    "当月完成投资": "month_investment_completed",
    "累计资金到位": "funds_in_place_total",
}
PAGE_TOTALS = tuple(FIELD_OF_TOTAL)


def page_headers(stage: str) -> list[str]:
    extra = PAGE_SECTION_HEADERS[stage]
    optional = {header for headers in PAGE_SECTION_HEADERS.values() for header in headers}
    return ["序号", *[header for header in PAGE_CELLS if header not in optional or header in extra]]


def test_each_ledger_section_shows_the_columns_that_matter_to_it(client, manager, unit, other_unit, industry):
    from tests.test_exports import build_ledger_world

    build_ledger_world(unit, other_unit, industry, manager)
    client.force_login(manager)
    page = _parsed(client.get("/ledger/2025-06/").content.decode())
    tables = page.tables
    data = ledger("2025-06", user=manager)
    assert list(tables) == list(PIPELINE_STAGES)
    for stage, (headers, rows) in tables.items():
        assert headers == page_headers(stage), stage
        assert page.total_spans[stage] == len(headers), stage
        expected = [row for row in data["rows"] if row["stage"] == stage]
        assert len(rows) == len(expected) >= 3, stage
        for position, (cells, row) in enumerate(zip(rows, expected, strict=True), start=1):
            want = [str(position), *[PAGE_CELLS[header](row) for header in headers[1:]]]
            assert cells == want, (stage, row["code"])
        totals = dict(zip(headers, page.totals[stage], strict=False))
        assert totals["项目"] == f"{len(expected)}个", stage
        for header in PAGE_TOTALS:
            if header in headers:
                field = FIELD_OF_TOTAL[header]
                assert totals[header] == _amount(sum(row[field] or Decimal(0) for row in expected)), (
                    stage,
                    header,
                )

    def row_of(stage, name):
        headers, rows = tables[stage]
        return next(dict(zip(headers, row, strict=True)) for row in rows if row[1].startswith(name))

    assert row_of("signed", "签而未落项目")["签约日期"] == "2025-02-10"
    assert row_of("signed", "开工作废项目")["签约日期"] == "2025-04-01"  # its start was voided
    late = row_of("started", "逾期未投产项目")
    assert late["计划投产日期"] == "2025-05-31" and late["项目"].endswith("逾期")
    assert row_of("started", "四月开工项目")["计划投产日期"] == "2026-12-31"
    assert row_of("started", "六月开工项目")["计划投产日期"] == "—"
    assert (late["开工日期"], late["当月完成投资"], late["累计资金到位"]) == (
        "2025-03-01",
        "3,100.31",
        "7,500.75",
    )
    producing = row_of("producing", "五月投产项目")
    assert (producing["开工日期"], producing["进入本阶段日期"], producing["当月完成投资"]) == (
        "2025-02-01",
        "2025-05-20",
        "1.01",
    )


@pytest.fixture
def mid_july(monkeypatch):
    """Today is 2025-07-15 for the ledger, publishing and the report pages: July is under way."""
    import pipeline.asof
    import pipeline.publishing
    import web.reports.views

    today = D(2025, 7, 15)
    for module in (pipeline.asof, pipeline.publishing, web.reports.views):
        monkeypatch.setattr(module, "local_today", lambda: today)
    return today


def test_the_month_under_way_is_read_as_of_today_and_says_so(client, manager, overdue_project, mid_july):
    client.force_login(manager)
    page = client.get("/ledger/2025-07/").content.decode()
    assert "本月尚未结束：按截至今天（2025-07-15）" in page
    assert "本月尚未结束" not in client.get("/ledger/2025-06/").content.decode()
    assert ledger("2025-07", rows=False)["as_of"] == mid_july


def test_the_month_under_way_is_not_offered_for_publishing(client, manager, overdue_project, mid_july):
    client.force_login(manager)
    assert "publish-form" not in client.get("/ledger/2025-07/?district=jiulongpo").content.decode()
    assert "publish-form" in client.get("/ledger/2025-06/?district=jiulongpo").content.decode()
