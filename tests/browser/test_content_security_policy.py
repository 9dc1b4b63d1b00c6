"""Finding 6 (issue 12): a strict Content-Security-Policy (django-csp: everything from this
site only, no inline script or style) that no page of the product breaks. Chromium reports
every blocked script, style, image or frame as a console error; none may appear."""

import datetime as dt

import pytest

from tests import factories
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/projects/",
    "/projects/{pk}/",
    "/projects/{pk}/edit/",
    "/progress/",
    "/requests/",
    "/reminders/",
    "/investors/",
    "/ledger/",
    "/stats/?year=2025&group_by=unit",
    "/dashboard/",
    "/month-end/",
    "/scorecard/",
    "/supervision/",
    "/supervision/meetings/",
    "/imports/",
    "/admin/",
    "/admin/projects/project/",
    "/admin/projects/project/{pk}/change/",
    "/ledger/2025-03/",
    "/api/docs/",
]


def test_no_page_breaks_the_policy(page, live_server, unit, industry, manager):
    project = factories.make_project(unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 6))
    factories.UserFactory(username="root", is_superuser=True, is_staff=True, district=unit.district)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    login(page, live_server, "root")
    for path in PAGES:
        response = page.goto(live_server.url + path.format(pk=project.pk))
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    screenshot(page, "csp-api-docs")
    page.goto(live_server.url + "/")
    screenshot(page, "csp-home")
    assert violations == [], "\n".join(violations)
