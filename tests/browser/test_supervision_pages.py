"""督办 in headless Chromium: a manager records a weekly meeting and hands out its tasks in one
form; the unit's clerk reports from the board in one click; the manager verifies in one click;
the project page shows the 专班 with a late step. Screenshots in test-output/screenshots/."""

import datetime as dt

import pytest

from core.dates import local_today
from projects.lifecycle import Stage
from supervision.models import Meeting, Task
from supervision.taskforces import task_force_save
from supervision.tasks import task_create
from tests.browser.conftest import follow, login, screenshot
from tests.factories import advance, make_project

pytestmark = pytest.mark.browser
D = dt.date


@pytest.fixture
def signed_project(unit, other_unit, industry, manager, staff):
    project = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="立琻半导体封测基地"
    )
    advance(project, (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 3, 10)), by=manager)
    task_force_save(
        project=project,
        by=manager,
        leader="王建国（副区长）",
        lead_unit=unit,
        plan="三月摘牌，五月取得施工许可，六月开工。",
        members=[{"name": "刘洋", "unit": "区经济信息委", "role": "联络员", "phone": "023-68780001"}],
        steps=[
            {"name": "土地摘牌", "planned_on": "2025-03-31", "done_on": "2025-03-28"},
            {"name": "施工许可", "planned_on": "2025-05-31"},
            {"name": "水电气接入", "planned_on": (local_today() + dt.timedelta(days=40)).isoformat()},
        ],
    )
    today = local_today()
    task_create(
        by=manager,
        unit=other_unit,
        project=project,
        content="出具项目规划设计条件",
        assigned_on=today - dt.timedelta(days=20),
        due_date=today - dt.timedelta(days=3),
    )
    return project


def test_a_meeting_hands_out_tasks_and_the_board_closes_them(
    page, live_server, signed_project, unit, manager
):
    login(page, live_server, "manager")
    follow(page, "nav >> text=督办")
    follow(page, ".actions >> text=调度会商")
    follow(page, "a.btn >> text=记录会议")
    today = local_today()
    page.fill("#id_date", (today - dt.timedelta(days=2)).isoformat())
    page.select_option("#id_kind", "weekly")
    page.fill("#id_title", "第48周项目调度会")
    page.fill("#id_chair", "王建国")
    page.check(f"input[name=units][value='{unit.pk}']")
    page.select_option("#id_projects", str(signed_project.pk))
    page.fill("#id_minutes", "研究立琻半导体项目施工许可办理问题。")
    page.fill("#id_tasks-0-content", "协调住建部门办理施工许可")
    page.select_option("#id_tasks-0-unit", str(unit.pk))
    page.select_option("#id_tasks-0-project", str(signed_project.pk))
    page.fill("#id_tasks-0-due_date", (today + dt.timedelta(days=5)).isoformat())
    page.fill("#id_tasks-1-content", "落实电力双回路接入方案")
    page.select_option("#id_tasks-1-unit", str(unit.pk))
    page.fill("#id_tasks-1-due_date", (today + dt.timedelta(days=20)).isoformat())
    screenshot(page, "supervision-meeting-form")
    follow(page, "button >> text=保存会议并交办")
    assert "会议已记录，交办事项 2 项" in page.inner_text(".messages")
    assert "第48周项目调度会交办单" in page.inner_text("h1")
    screenshot(page, "supervision-meeting-handout")
    meeting = Meeting.objects.get()
    assert meeting.tasks.count() == 2

    # The unit's clerk reports from the board in one click.
    page.context.clear_cookies()
    login(page, live_server, "clerk")
    follow(page, "nav >> text=督办")
    first = Task.objects.get(content="协调住建部门办理施工许可")
    page.fill(f"#report-{first.pk}", "已与区住建委对接，施工许可材料已受理。")
    follow(page, f"form[action$='/tasks/{first.pk}/report/'] button")
    assert "办理情况已报送" in page.inner_text(".messages")
    first.refresh_from_db()
    assert first.status == "reported"
    screenshot(page, "supervision-board-clerk")

    # The manager verifies in one click.
    page.context.clear_cookies()
    login(page, live_server, "manager")
    follow(page, "nav >> text=督办")
    assert page.locator(".colour-tiles .tile-danger .tile-num").inner_text() == "1"
    screenshot(page, "supervision-board-manager")
    follow(page, f"form[action$='/tasks/{first.pk}/verify/'] button")
    assert "已验收销号" in page.inner_text(".messages")
    first.refresh_from_db()
    assert first.status == "closed"

    # The project page: the 专班, its late step, its open tasks.
    page.goto(f"{live_server.url}/projects/{signed_project.pk}/")
    section = page.locator(".project-supervision")
    assert "王建国（副区长）" in section.inner_text()
    assert "逾期未完成" in section.inner_text()
    assert "出具项目规划设计条件" in section.inner_text()
    section.scroll_into_view_if_needed()
    screenshot(page, "supervision-project-page")
