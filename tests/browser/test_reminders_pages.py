"""The 提示函 pages in headless Chromium: a manager issues a month, the letter prints as an
official letter, a clerk signs for it from the home page. Screenshots in test-output/screenshots/."""

import datetime as dt

import pytest

from pipeline.models import Reminder
from pipeline.reminders import reminders_issue
from projects.lifecycle import Stage
from tests import factories
from tests.browser.conftest import follow, login, screenshot
from tests.factories import advance, make_project

pytestmark = pytest.mark.browser
D = dt.date


@pytest.fixture
def overdue_projects(unit, other_unit, industry, manager, staff):
    manager.first_name, manager.last_name = "", "李局长"
    manager.save(update_fields=["first_name", "last_name"])
    staff.last_name = "王敏"
    staff.save(update_fields=["last_name"])
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="立琻半导体封测基地")
    signed = make_project(
        unit=unit, industry=industry, by=manager, started=D(2024, 11, 4), name="长安汽车零部件配套园"
    )
    advance(signed, (Stage.APPROVED, D(2024, 12, 2)), (Stage.SIGNED, D(2025, 1, 8)), by=manager)
    started = make_project(
        unit=other_unit,
        industry=industry,
        by=manager,
        started=D(2024, 10, 8),
        name="智能网联测试场",
        planned_production_date=D(2025, 4, 15),
    )
    advance(
        started,
        (Stage.APPROVED, D(2024, 11, 5)),
        (Stage.SIGNED, D(2024, 12, 10)),
        (Stage.STARTED, D(2025, 2, 20)),
        by=manager,
    )
    make_project(
        unit=other_unit, industry=industry, by=manager, started=D(2025, 4, 10), name="西部冷链物流中心"
    )
    # April's letters were sent last month; May's are issued in the test.
    reminders_issue(district=unit.district, month="2025-04", by=manager)


def test_a_manager_issues_may_and_prints_an_urging_letter(page, live_server, overdue_projects, manager):
    login(page, live_server, "manager")
    follow(page, "nav >> text=提示函")
    page.fill("#pick-month", "2025-05")
    follow(page, ".month-picker button[type=submit]")
    assert page.url.endswith("month=2025-05")
    page.fill("#issue-month", "2025-05")
    follow(page, "text=生成本月提示函")
    assert "已生成九龙坡区 2025-05 的提示函 2 份" in page.inner_text(".messages")
    rows = page.locator(".reminders-table tbody tr")
    assert rows.count() == 2
    assert "催办函" in page.inner_text(".reminders-table")
    screenshot(page, "reminders-list-manager")

    follow(page, ".reminders-table >> text=区经济信息委")
    assert page.inner_text(".letter-title").replace(" ", "") == "催办函"
    letter = page.inner_text(".letter")
    for text in ("区经济信息委：", "谈而未定", "定而未落", "九龙坡区招商投资局", "签收人"):
        assert text in letter
    screenshot(page, "reminder-letter-screen")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    assert not page.locator(".topbar").is_visible()
    assert not page.locator(".page-head").is_visible()
    screenshot(page, "reminder-letter-print")


def test_a_clerk_signs_a_letter_from_the_home_page(page, live_server, overdue_projects, staff):
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/")
    section = page.locator("#reminders")
    assert "待签收的提示函" in section.inner_text()
    screenshot(page, "reminders-home-clerk")
    follow(page, section.locator("button:has-text('签收')").first)
    assert "已签收区经济信息委 2025-04 的工作提示函" in page.inner_text(".messages")
    assert page.locator("#reminders").count() == 0
    assert Reminder.objects.get(unit=staff.unit).acknowledged_by == staff

    follow(page, "nav >> text=提示函")
    assert "已签收" in page.inner_text(".reminders-table")
    screenshot(page, "reminders-list-clerk")


def test_the_letter_reads_on_a_phone(phone_page, live_server, overdue_projects, other_unit):
    reminder = Reminder.objects.get(unit=other_unit)
    factories.staff_of(other_unit, username="sci-clerk")
    login(phone_page, live_server, "sci-clerk")
    phone_page.goto(f"{live_server.url}/reminders/{reminder.pk}/")
    assert "逾期未投产" in phone_page.inner_text(".letter")
    assert "计划投产 2025-04-15" in phone_page.inner_text(".letter")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    screenshot(phone_page, "reminder-letter-phone")
