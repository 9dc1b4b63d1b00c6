# ruff: noqa: F811  (the year_of_projects fixture is imported from the reports pages test)
"""The ledger, statistics, dashboard and project pages fit: 1366 px without a clipped column,
a phone without sideways scrolling of the page, the ledger's rows as cards that name each
value, chart text readable. Screenshots in test-output/screenshots/ (ledger-1366,
ledger-phone, stats-phone, dashboard-phone, project-phone)."""

import pytest

from core.dates import local_today
from tests.browser.conftest import login, screenshot
from tests.browser.test_reports_pages import LEDGER_MONTH, START, year_of_projects  # noqa: F401

pytestmark = pytest.mark.browser

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
CLIPPED_TABLES = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1).length"""


def fits(page) -> bool:
    scroll, client = page.evaluate(PAGE_WIDTH)
    return scroll <= client


def test_the_ledger_fits_1366_px_with_every_column_shown(page, live_server, manager, year_of_projects):
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/ledger/{LEDGER_MONTH}/")
    assert fits(page)
    assert page.evaluate(CLIPPED_TABLES) == 0  # no table scrolls: the progress column is in view
    progress = page.locator("#col-started td.progress-cell").first.bounding_box()
    assert progress["x"] + progress["width"] <= 1366
    screenshot(page, "ledger-1366")


def test_on_a_phone_ledger_rows_are_cards_that_name_each_value(
    phone_page, live_server, manager, year_of_projects
):
    login(phone_page, live_server, "manager")
    phone_page.goto(f"{live_server.url}/ledger/{LEDGER_MONTH}/")
    assert fits(phone_page)
    labels = phone_page.evaluate(
        """() => [...document.querySelectorAll('.ledger-table tbody td:not(.cell-name)')]
            .map(td => getComputedStyle(td, '::before').content)"""
    )
    assert labels and all(label not in ("none", '""', "normal") for label in labels), labels
    assert any("总投资" in label for label in labels)
    screenshot(phone_page, "ledger-phone")


def test_on_a_phone_statistics_and_charts_read(phone_page, live_server, manager, year_of_projects):
    login(phone_page, live_server, "manager")
    phone_page.goto(f"{live_server.url}/stats/?from={START}&to={local_today()}&group_by=industry")
    assert phone_page.locator(".group-table").count() == 1 and phone_page.locator(".kpi").count() > 5
    assert fits(phone_page)
    screenshot(phone_page, "stats-phone")
    phone_page.goto(f"{live_server.url}/dashboard/")
    assert fits(phone_page)
    smallest = phone_page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.chart text')]
            .map(t => t.getBoundingClientRect().height).filter(h => h > 0))"""
    )
    assert smallest >= 9, smallest  # px on screen: no 4 px axis labels
    screenshot(phone_page, "dashboard-phone")


def test_on_a_phone_the_project_page_and_its_progress_fit(phone_page, live_server, manager, year_of_projects):
    project = year_of_projects[3]  # the one with five months of progress
    login(phone_page, live_server, "manager")
    phone_page.goto(f"{live_server.url}/projects/{project.pk}/")
    wide = phone_page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    screenshot(phone_page, "project-phone")
    assert fits(phone_page), wide
    assert phone_page.locator(".project-progress td[data-label]").count() >= 3 * 5
    # The change history reads as cards too: each change's content a full-width line under its
    # label, not a column squeezed to one character.
    widths = phone_page.evaluate(
        "[...document.querySelectorAll('.history td.history-changes')]"
        ".map(c => c.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 280, widths


def test_on_the_demo_every_ledger_table_fits_1366_px_for_a_manager_and_the_city(browser, live_server):
    """The demo's 303 projects over three districts: no ledger table scrolls sideways at
    1366×768, for a district manager and for the city (whose tables add the 区县 column)."""
    from django.core.management import call_command

    call_command("loaddata", "reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    for username in ("jlp-manager", "city"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        login(page, live_server, username, password="demo2025!")
        page.goto(f"{live_server.url}/ledger/")
        tables = page.evaluate(
            """() => [...document.querySelectorAll('.table-wrap')].map(wrap =>
                [wrap.querySelector('table').className, wrap.scrollWidth, wrap.clientWidth])"""
        )
        assert page.locator(".ledger-table").count() == 5, username
        assert all(scroll <= client for _name, scroll, client in tables), (username, tables)
        assert fits(page)
        for box in page.locator(".ledger-table tbody tr:first-child td.progress-cell").all():
            edge = box.bounding_box()
            assert edge["x"] + edge["width"] <= 1366
        screenshot(page, f"ledger-demo-1366-{username}")
        context.close()
