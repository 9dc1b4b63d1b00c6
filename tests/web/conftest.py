import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import add_months, local_today
from projects.lifecycle import Stage
from tests import factories


@pytest.fixture
def today():
    return local_today()


@pytest.fixture
def clerk_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def signed_overdue(unit, industry, manager, today):
    """Signed five months ago and not started: overdue (定而未落)."""
    project = factories.make_project(
        unit=unit, industry=industry, by=manager, name="逾期签约项目", started=add_months(today, -8)
    )
    factories.advance(
        project,
        (Stage.APPROVED, add_months(today, -7)),
        (Stage.SIGNED, add_months(today, -5)),
        by=manager,
    )
    project.refresh_from_db()
    return project


def recent_project(unit, industry, manager, today, **fields):
    """A negotiating project that began a week ago (not overdue)."""
    return factories.make_project(
        unit=unit, industry=industry, by=manager, started=today - dt.timedelta(days=7), **fields
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Each test starts in the default language (a request switching to English in one test
    must not leave the thread's language English for the next)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
