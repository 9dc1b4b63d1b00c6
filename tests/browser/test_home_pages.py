"""Each role's home page in a real browser, the city's comparison of the districts, and a form
that shows every error at once. Screenshots: home-clerk, home-manager, home-city,
districts-compare, milestone-all-errors (test-output/screenshots/)."""

import datetime as dt
from decimal import Decimal

import pytest

from core.dates import add_months, local_today, month_start
from exits.services import exit_review_open
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories
from tests.browser.conftest import follow, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def districts(district, other_district, unit, other_unit, foreign_unit, industry, manager, staff):
    """Both districts at work: signed, started, stale and negotiating projects; last month not
    filed by every unit; an exit review waiting; a request past due."""
    today = local_today()
    last_month = add_months(month_start(today), -1)
    other_manager = factories.manager_of(other_district, username="jj-manager")
    made = {}
    for name, owner, stage, months_ago in (
        ("九龙新城车规芯片封测项目", unit, Stage.STARTED, 10),
        ("西彭再生铝深加工项目", unit, Stage.SIGNED, 8),
        ("智能座舱产业化项目", other_unit, Stage.SIGNED, 3),
        ("枢纽港智慧物流园项目", foreign_unit, Stage.STARTED, 9),
        ("江津储能电池项目", foreign_unit, Stage.SIGNED, 4),
    ):
        by = manager if owner.district == district else other_manager
        project = factories.make_project(
            unit=owner,
            industry=industry,
            by=by,
            name=name,
            started=add_months(today, -months_ago - 1),
            total_investment=Decimal("85000.00"),
        )
        factories.reach(project, stage, start=add_months(today, -months_ago), step_days=20, by=by)
        made[name] = project
    progress_save(project=made["智能座舱产业化项目"], by=manager, month=last_month, funds_in_place="1200")
    factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        name="工业机器人关节模组项目",
        started=today - dt.timedelta(days=40),
        planned_sign_date=today + dt.timedelta(days=10),
    )
    exit_review_open(
        project=made["西彭再生铝深加工项目"],
        by=staff,
        proposal="exit",
        reason="投资方资金未到位，长期未开工。",
    )
    task_create(
        project=made["九龙新城车规芯片封测项目"],
        by=staff,
        source="request",
        category="utilities",
        content="施工用电容量不足，请协调供电增容。",
        unit=unit,
        due_date=today - dt.timedelta(days=3),
        assigned_on=today - dt.timedelta(days=30),
    )
    return made


def test_the_clerk_starts_from_last_months_progress(page, live_server, staff, districts):
    login(page, live_server, "clerk")
    owed = page.locator("#progress-owed")
    last_month = f"{add_months(month_start(local_today()), -1):%Y-%m}"
    assert f"{last_month} 月度进展待填报" in owed.inner_text()
    assert "西彭再生铝深加工项目" in owed.inner_text() and "智能座舱产业化项目" not in owed.inner_text()
    assert "施工用电容量不足" in page.locator("#late-tasks").inner_text()
    screenshot(page, "home-clerk")
    follow(page, owed.get_by_role("link", name=f"{last_month} 月度进展待填报"))
    assert page.locator("input[name=month]").input_value() == last_month


def test_the_manager_starts_from_what_waits_for_a_decision(page, live_server, manager, districts):
    login(page, live_server, "manager")
    last_month = f"{add_months(month_start(local_today()), -1):%Y-%m}"
    month_end = page.locator("#month-end")
    assert f"{last_month} 台账未发布" in month_end.inner_text()
    assert "区经济信息委" in month_end.inner_text()  # has not filed last month
    assert "区科技局" not in month_end.inner_text()  # has
    assert "西彭再生铝深加工项目" in page.locator("#exit-reviews").inner_text()
    assert "工业机器人关节模组项目" in page.locator("#reviews").inner_text()
    assert "江津" not in page.content()  # another district's work is not this manager's
    screenshot(page, "home-manager")
    follow(page, page.locator("#exit-reviews").get_by_role("link", name="审议决定"))
    assert "退出审议" in page.locator("h1").inner_text()


def test_the_city_compares_the_districts(page, live_server, city, districts):
    login(page, live_server, "city")
    assert "您负责的项目" not in page.content()
    overview = page.locator("table.district-overview")
    assert "九龙坡区" in overview.inner_text() and "江津区" in overview.inner_text()
    screenshot(page, "home-city")
    follow(page, page.get_by_role("link", name="台账与指标对比"))
    ledger = page.locator("#compare-ledger")
    rows = {row.locator("th").inner_text(): row for row in ledger.locator("tbody tr").all()}
    assert set(rows) == {"九龙坡区", "江津区"}
    assert rows["九龙坡区"].locator("td strong").inner_text() == "4"  # with the negotiation
    assert rows["江津区"].locator("td strong").inner_text() == "2"
    screenshot(page, "districts-compare")
    follow(page, page.get_by_role("navigation", name="主导航").get_by_role("link", name="月度台账"))
    assert page.locator("text=各区县小计").is_visible()
    screenshot(page, "ledger-city-subtotals")


def test_a_review_form_shows_every_error_at_once(page, live_server, manager, districts):
    project = factories.make_project(
        unit=districts["西彭再生铝深加工项目"].unit, by=manager, name="待审议的新材料项目"
    )
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/projects/{project.pk}/milestone/?stage=approved")
    assert page.locator("label[for=id_industry_opinion] .req").count() == 1
    page.fill("input[name=date]", "")
    page.evaluate("document.querySelector('form.stack-form, form[method=post]').noValidate = true")
    follow(page, page.get_by_role("button", name="登记"))
    errors = page.locator("p.error").all_inner_texts()
    assert len(errors) == 4, errors
    assert "请填写发生日期。" in errors  # the bureau's words, not Django's 该字段是必填项
    assert any("行业评估意见" in e for e in errors) and any("部门联动意见" in e for e in errors)
    screenshot(page, "milestone-all-errors")
