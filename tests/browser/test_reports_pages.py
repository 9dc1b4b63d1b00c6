"""The ledger, statistics and dashboard pages in headless Chromium, with screenshots."""

import datetime as dt
from decimal import Decimal

import pytest

from core.dates import add_months, format_month, local_today, month_start
from pipeline.progress import progress_save
from pipeline.publishing import ledger_publish
from pipeline.stats import FIGURES
from projects.lifecycle import Stage
from tests import factories
from tests.browser.conftest import login, screenshot
from tests.factories import advance, make_project

pytestmark = pytest.mark.browser
# Dated within the last twelve months, so the dashboard's charts have something to draw.
START = add_months(month_start(local_today()), -10)
LEDGER_MONTH = format_month(add_months(START, 5))


def D(month_offset: int, day: int) -> dt.date:
    return add_months(START, month_offset).replace(day=day)


@pytest.fixture
def year_of_projects(unit, other_unit, industry, manager):
    """A small but varied district: every column filled, some overdue, some progress."""
    services = factories.IndustryFactory(code="MOD-LOG", name="现代物流")
    auto = factories.IndustryFactory(code="ADV-AUTO", name="智能网联新能源汽车")
    park = factories.ParkFactory(code="jlp-west", name="西部物流园", district=unit.district)
    high_tech = factories.InvestorFactory(name="重庆立琻半导体有限公司", is_high_tech=True)
    plans = [
        ("立琻半导体封测基地", industry, [], "320000.00"),
        ("西部冷链物流中心", services, [(Stage.APPROVED, D(2, 2))], "86000.00"),
        (
            "长安汽车零部件配套园",
            auto,
            [(Stage.APPROVED, D(1, 3)), (Stage.SIGNED, D(2, 18))],
            "150000.00",
        ),
        (
            "智能网联测试场",
            auto,
            [
                (Stage.APPROVED, D(0, 20)),
                (Stage.SIGNED, D(1, 8)),
                (Stage.STARTED, D(3, 12)),
            ],
            "230000.00",
        ),
        (
            "新型显示模组项目",
            industry,
            [
                (Stage.APPROVED, D(0, 12)),
                (Stage.SIGNED, D(0, 25)),
                (Stage.STARTED, D(2, 1)),
                (Stage.PRODUCING, D(4, 20)),
            ],
            "410000.00",
        ),
        (
            "跨境电商产业园",
            services,
            [(Stage.APPROVED, D(3, 2)), (Stage.SIGNED, D(4, 9))],
            "64000.00",
        ),
    ]
    projects = []
    for index, (name, node, steps, amount) in enumerate(plans):
        project = make_project(
            unit=unit if index % 2 else other_unit,
            industry=node,
            by=manager,
            started=START.replace(day=6),
            name=name,
            total_investment=Decimal(amount),
            investor=high_tech if index == 0 else None,
            park=park if index % 3 == 0 else None,
            planned_production_date=D(4, 28),
        )
        if steps:
            advance(
                project, *steps, by=manager, signed={"contract_investment": Decimal(amount) * Decimal("0.8")}
            )
        projects.append(project)
    for month in range(2, 7):
        progress_save(
            project=projects[3],
            by=manager,
            month=D(month, 1),
            funds_in_place=Decimal("1850.50") * month,
            progress="主体结构施工，设备进场调试",
        )
    progress_save(
        project=projects[4],
        by=manager,
        month=D(5, 1),
        funds_in_place=Decimal("5200.00"),
        problems="用电增容待批",
    )
    ledger_publish(district=unit.district, month=LEDGER_MONTH, by=manager, note="月度例会审定")
    return projects


def test_the_ledger_page(page, live_server, manager, year_of_projects):
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/ledger/{LEDGER_MONTH}/")
    assert "月度台账" in page.locator("h1").inner_text()
    assert page.locator(".published-banner").is_visible()
    assert page.locator("tr.row-overdue").count() >= 1
    assert page.locator(".ledger-section").count() == 5
    screenshot(page, "ledger")
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    screenshot(page, "ledger-print")


def test_the_statistics_page(page, live_server, manager, year_of_projects):
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/stats/?from={START}&to={local_today()}&group_by=industry")
    assert page.locator(".kpi").count() == len(FIGURES)  # one tile per figure
    assert "上年同期" in page.content()
    # At 1366 px the sixteen figures of each group fit without a horizontal scroll.
    assert page.viewport_size["width"] <= 1366
    overflow = page.evaluate(
        "[...document.querySelectorAll('table.group-table')]"
        ".map(t => t.parentElement.scrollWidth - t.parentElement.clientWidth)"
    )
    assert overflow and max(overflow) <= 0, overflow
    # Every row has a cell under every heading (the 亩 and m² columns, the exit decisions).
    header = page.locator("table.group-table thead th").count()
    for row in page.locator("table.group-table tbody tr, table.group-table tfoot tr").all():
        assert row.locator("th, td").count() == header
    screenshot(page, "stats")


def test_the_dashboard(page, live_server, manager, year_of_projects):
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.chart").first.bounding_box()["height"] > 100
    screenshot(page, "dashboard")
