"""One money display rule and one title, the same on the page and in the workbook for the same
request: tables in 万元 (two decimals), headline figures in 亿元, the area and the period named
(a 九龙坡区 manager's statistics are 九龙坡区's, not 全市)."""

import io
import re
from decimal import Decimal
from html import unescape

import pytest
from openpyxl import load_workbook

from core.money import format_wan, format_yi, in_yi
from pipeline.ledger import ledger
from projects.lifecycle import LEDGER_COLUMNS, PIPELINE_STAGES
from tests.test_exports import build_ledger_world

pytestmark = pytest.mark.django_db


def h1(html: str) -> str:
    return unescape(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)).strip()


def test_the_rule():
    assert format_wan(Decimal("1117000")) == "1,117,000.00"
    assert format_yi(Decimal("1117000")) == "111.70"
    assert format_yi(Decimal("273143")) == "27.31"
    assert in_yi(None) is None and format_wan(None) == "—"


@pytest.fixture
def world(unit, other_unit, industry, manager):
    return build_ledger_world(unit, other_unit, industry, manager)


def test_the_ledger_page_and_workbook_carry_the_same_title_and_amounts(client, manager, world):
    client.force_login(manager)
    html = client.get("/ledger/2025-06/").content.decode()
    book = load_workbook(io.BytesIO(client.get("/ledger/2025-06/export.xlsx").content))
    title = h1(html)
    assert title == book["汇总"]["A1"].value == "九龙坡区招商引资项目月度台账（2025年6月）"
    data = ledger("2025-06", user=manager)
    summary = book["汇总"]
    for line, stage in enumerate(PIPELINE_STAGES, start=4):
        entry = data["summary"][stage]
        sheet = book[str(LEDGER_COLUMNS[stage])]
        assert sheet["A1"].value == f"{title}　{LEDGER_COLUMNS[stage]}"
        # The table: 万元 with two decimals, as the cell's number format shows it.
        assert Decimal(str(summary.cell(line, 3).value)) == entry["total_investment"]
        assert summary.cell(line, 3).number_format == "#,##0.00"
        assert f"总投资 {format_wan(entry['total_investment'])} 万元" in html
        # The headline tile: the same amount in 亿元.
        assert f"总投资 {format_yi(entry['total_investment'])} 亿元" in html


def test_a_district_managers_statistics_name_the_district_on_the_page_and_in_the_workbook(
    client, manager, world
):
    client.force_login(manager)
    query = "?from=2025-01-01&to=2025-06-30"
    html = client.get(f"/stats/{query}").content.decode()
    sheet = load_workbook(io.BytesIO(client.get(f"/stats/export.xlsx{query}").content))["指标"]
    assert h1(html) == sheet["A1"].value == "九龙坡区招商引资统计（2025-01-01 — 2025-06-30）"
    assert "全市" not in sheet["A1"].value and "全市" not in sheet["A2"].value
    figures = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    contract = Decimal(str(figures["签约合同投资额（万元）"]))
    assert contract > 0
    assert f"{format_yi(contract)} <small>亿元</small>" in html


def test_the_dashboard_names_the_area_and_shows_headline_amounts_in_yi(client, manager, city, world):
    client.force_login(manager)
    html = client.get("/dashboard/").content.decode()
    assert h1(html) == "九龙坡区招商驾驶舱"
    cards = html.split('class="kpi-grid"', 1)[1].split('class="chart-grid"', 1)[0]
    assert re.search(r"合同投资 [\d,]+\.\d\d 亿元", cards)
    assert re.search(r'<span class="kpi-num">[\d,]+\.\d\d <small>亿元</small>', cards)
    client.force_login(city)
    assert h1(client.get("/dashboard/").content.decode()) == "全市招商驾驶舱"
