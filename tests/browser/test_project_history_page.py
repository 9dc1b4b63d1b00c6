"""The project page's 变更记录 in the browser: a manager corrects a project and sees who changed
what, when and through which channel."""

from decimal import Decimal

import pytest

from pipeline.progress import progress_save
from projects.lifecycle import Stage
from projects.services import project_update
from tests.browser.conftest import login, screenshot
from tests.factories import reach

pytestmark = pytest.mark.browser


def test_a_manager_reads_the_projects_change_history(page, live_server, project, manager):
    project_update(project=project, by=manager, name="立琻半导体二期", total_investment=Decimal("12000"))
    reach(project, Stage.SIGNED, by=manager)
    project.refresh_from_db()
    progress_save(project=project, by=manager, month="2025-03", funds_in_place="12.50")
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    section = page.locator("section:has(#h-history)")
    section.scroll_into_view_if_needed()
    rows = section.locator("tbody tr")
    assert rows.count() == 7
    assert "填报月度进展" in rows.nth(0).inner_text()
    changed = section.locator("tr", has_text="修改项目").inner_text()
    assert "立琻半导体项目 → 立琻半导体二期" in changed and "10000.00 → 12000.00" in changed
    assert "manager" in changed and "命令" in changed
    screenshot(page, "project_history")
