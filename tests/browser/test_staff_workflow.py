"""A unit's clerk does the month's work in the browser; a manager corrects an entry; a clerk
of another unit cannot see the project. Screenshots of the main pages go to test-output/."""

import datetime as dt
from decimal import Decimal

import pytest

from core.dates import add_months, local_today
from pipeline.models import MonthlyProgress, StageEvent
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from supervision.models import Task
from tests import factories
from tests.browser.conftest import follow, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(unit, other_unit, industry, manager, staff):
    """An overdue signed project (signed 5 months ago, not started) and a few others."""
    today = local_today()
    park = factories.ParkFactory(code="jlp-jlxc", name="九龙新城", district=unit.district)
    investor = factories.InvestorFactory(name="立琻半导体科技有限公司", is_high_tech=True, origin="北京市")
    overdue = factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        name="立琻半导体车规光电模组项目",
        investor=investor,
        park=park,
        total_investment=Decimal("520000.00"),
        started=add_months(today, -8),
        planned_sign_date=add_months(today, -6),
        planned_start_date=add_months(today, -2),
        planned_production_date=add_months(today, 10),
        land_area_mu=Decimal("100.00"),
        lead_official="张副区长",
    )
    factories.advance(
        overdue,
        (Stage.APPROVED, add_months(today, -7)),
        (Stage.SIGNED, add_months(today, -5)),
        by=manager,
        **{Stage.SIGNED: {"contract_no": "JLP-HT-2026-018", "contract_investment": Decimal("500000.00")}},
    )
    factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        name="元图高端运动装备制造项目",
        total_investment=Decimal("207000.00"),
        started=add_months(today, -1),
        planned_sign_date=today + dt.timedelta(days=20),
    )
    started = factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        name="西南铝循环经济生产线项目",
        started=add_months(today, -10),
    )
    factories.reach(started, Stage.STARTED, start=add_months(today, -9), step_days=30, by=manager)
    factories.make_project(unit=other_unit, industry=industry, by=manager, name="北航创新中心项目")
    return overdue


def test_a_clerk_records_groundbreaking_files_progress_and_handles_a_request(
    page, live_server, staff, portfolio
):
    project = portfolio
    today = local_today()
    login(page, live_server, "clerk")
    screenshot(page, "home")

    # The overdue project is on the home page, with a way to act on it.
    overdue = page.locator("#overdue")
    assert project.name in overdue.inner_text()
    follow(page, overdue.get_by_role("link", name=project.name))
    assert page.locator("h1").inner_text() == project.name
    screenshot(page, "project_detail")

    # Record its groundbreaking: the form shows only the fields of the chosen stage.
    follow(page, page.get_by_role("link", name="登记“已开工”"))
    assert page.locator("select[name=stage]").input_value() == Stage.STARTED
    assert not page.locator("input[name=contract_no]").is_visible()
    page.fill("input[name=date]", (today - dt.timedelta(days=3)).isoformat())
    page.fill("textarea[name=note]", "主体厂房开工建设")
    screenshot(page, "milestone_form")
    follow(page, page.get_by_role("button", name="登记"))
    assert "已登记“已开工”" in page.locator(".messages").inner_text()
    assert "已开工" in page.locator(".head-meta").inner_text()
    project.refresh_from_db()
    assert project.stage == Stage.STARTED and project.started_on == today - dt.timedelta(days=3)

    # File the month's progress for the whole unit on one page.
    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name="月度进展"))
    rows = page.locator("table.progress-table tbody tr")
    assert rows.count() == 3
    row = rows.filter(has_text=project.name)
    row.locator("input[name$=funds_in_place]").fill("1200.50")
    row.locator("input[name$=investment_completed]").fill("3000")
    row.locator("textarea[name$=progress]").fill("完成桩基施工")
    other = rows.filter(has_text="西南铝循环经济生产线项目")
    other.locator("input[name$=funds_in_place]").fill("800")
    screenshot(page, "progress_sheet")
    follow(page, page.get_by_role("button", name="保存"))
    assert "已保存 2 个项目" in page.locator(".messages").inner_text()
    record = MonthlyProgress.objects.get(project=project, month=today.replace(day=1))
    assert record.funds_in_place == Decimal("1200.50") and record.progress == "完成桩基施工"

    # Raise a request (诉求) for the project: it becomes a 督办事项 on the board, open until the
    # acting unit reports and a manager verifies it (tests/browser/test_supervision_pages.py).
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    follow(page, page.locator(".page-head").get_by_role("link", name="提出诉求"))
    page.select_option("select[name=category]", Task.Category.UTILITIES)
    page.fill("textarea[name=content]", "厂区10千伏供电线路接入")
    page.fill("input[name=due_date]", (today + dt.timedelta(days=15)).isoformat())
    follow(page, page.get_by_role("button", name="提交诉求"))
    assert "诉求已提交" in page.locator(".messages").inner_text()
    task = Task.objects.get(project=project, source=Task.Source.REQUEST)
    assert task.content == "厂区10千伏供电线路接入" and task.status != Task.Status.CLOSED
    screenshot(page, "requests")

    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name="项目", exact=True))
    screenshot(page, "project_list")


def test_a_manager_voids_the_latest_event_with_a_reason(page, live_server, manager, portfolio):
    project = portfolio
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    follow(page, page.get_by_role("link", name="作废最近节点"))
    page.fill("textarea[name=reason]", "合同编号录入错误，重新登记")
    screenshot(page, "void_form")
    follow(page, page.get_by_role("button", name="确认作废"))
    assert "已作废“已签约”节点" in page.locator(".messages").inner_text()
    voided = page.locator(".tl-voided")
    assert voided.count() == 1
    assert "合同编号录入错误" in voided.inner_text()
    assert voided.locator("del").count() == 1
    event = StageEvent.objects.get(project=project, stage=Stage.SIGNED)
    assert event.voided_by == manager
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    screenshot(page, "project_detail_voided")


def test_the_milestone_form_shows_the_fields_of_the_chosen_stage(page, live_server, manager, portfolio):
    project = portfolio
    event = StageEvent.objects.get(project=project, stage=Stage.SIGNED)
    event_void(project=project, by=manager, reason="重新登记", event=event)
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/projects/{project.pk}/milestone/")
    assert page.locator("select[name=stage]").input_value() == Stage.SIGNED
    assert page.locator("input[name=contract_no]").is_visible()
    assert not page.locator("select[name=reason]").is_visible()
    page.select_option("select[name=stage]", Stage.TERMINATED)
    assert page.locator("select[name=reason]").is_visible()
    assert not page.locator("input[name=contract_no]").is_visible()
    page.select_option("select[name=stage]", Stage.SIGNED)
    page.fill("input[name=contract_no]", "JLP-HT-2026-019")
    follow(page, page.get_by_role("button", name="登记"))
    # The contract investment is missing: the service's message appears beside that field.
    error = page.locator(".field.has-error", has=page.locator("input[name=contract_investment]"))
    assert "登记“已签约”须填写合同投资额。" in error.inner_text()
    screenshot(page, "milestone_form_error")
    page.fill("input[name=contract_investment]", "480000")
    follow(page, page.get_by_role("button", name="登记"))
    assert "已登记“已签约”" in page.locator(".messages").inner_text()


def test_a_clerk_is_warned_of_a_likely_duplicate_before_creating(page, live_server, staff, portfolio):
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/projects/new/")
    page.fill("input[name=name]", "立琻半导体车规光电模组（二期）项目")
    page.select_option("select[name=investor]", label="立琻半导体科技有限公司")
    page.select_option("select[name=industry]", index=1)
    page.fill("input[name=total_investment]", "80000")
    follow(page, page.get_by_role("button", name="保存"))
    warning = page.locator(".alert-warn")
    assert "可能是重复项目" in warning.inner_text()
    assert portfolio.code in warning.inner_text()
    screenshot(page, "project_form_duplicate")
    follow(page, page.get_by_role("button", name="确认不是重复项目，仍然保存"))
    assert "已新建项目" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == "立琻半导体车规光电模组（二期）项目"


def test_a_clerk_of_another_unit_cannot_see_the_project(page, live_server, other_unit, portfolio):
    factories.staff_of(other_unit, username="clerk2")
    login(page, live_server, "clerk2")
    assert portfolio.name not in page.content()
    response = page.goto(f"{live_server.url}/projects/{portfolio.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/projects/")
    assert portfolio.name not in page.content()


def test_the_main_pages_fit_a_phone(phone_page, live_server, staff, portfolio):
    page = phone_page
    login(page, live_server, "clerk")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "phone_home")
    page.get_by_role("button", name="菜单").click()
    follow(page, page.get_by_role("link", name="项目", exact=True))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "phone_project_list")
    page.goto(f"{live_server.url}/projects/{portfolio.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "phone_project_detail")


def test_the_interface_switches_to_english(page, live_server, staff, portfolio):
    login(page, live_server, "clerk")
    follow(page, page.get_by_role("button", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home_en")
