"""Page views run a fixed number of queries, whatever the number of rows they show."""

import datetime as dt

import pytest
from django.urls import reverse

from pipeline.progress import progress_save
from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories
from tests.web.conftest import count_queries

pytestmark = pytest.mark.django_db


def add_projects(unit, industry, manager, staff, today, how_many):
    """Projects with a signing, a month of progress and a request each."""
    for index in range(how_many):
        project = factories.make_project(
            unit=unit,
            industry=industry,
            by=manager,
            name=f"项目{index}",
            started=today - dt.timedelta(days=60),
            investor=factories.InvestorFactory(),
            planned_sign_date=today + dt.timedelta(days=10),
        )
        factories.advance(
            project,
            (Stage.APPROVED, today - dt.timedelta(days=40)),
            (Stage.SIGNED, today - dt.timedelta(days=20)),
            by=manager,
        )
        progress_save(project=project, by=staff, month=today - dt.timedelta(days=31), funds_in_place="10")
        task_create(
            project=project,
            by=staff,
            source="request",
            category="land",
            content="用地",
            unit=unit,
            due_date=today,
            assigned_on=today - dt.timedelta(days=1),
        )


PAGES = [
    ("home", ""),
    ("projects", ""),
    ("projects", "?stage=signed&industry=ADV&sort=-investment"),
    ("projects-export", ""),
    ("progress", ""),
    ("supervision", "?status=all"),
    ("meetings", ""),
    ("investors", ""),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_list_pages_use_a_constant_number_of_queries(
    client, django_assert_num_queries, staff, manager, unit, industry, today, name, query
):
    client.force_login(staff)
    add_projects(unit, industry, manager, staff, today, 1)
    url = reverse(name) + query
    expected = count_queries(client, url)
    add_projects(unit, industry, manager, staff, today, 12)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_project_page_uses_a_constant_number_of_queries(
    client, django_assert_num_queries, staff, manager, unit, industry, today
):
    client.force_login(staff)
    project = factories.make_project(
        unit=unit, industry=industry, by=manager, started=today - dt.timedelta(days=90)
    )
    url = reverse("project-detail", args=[project.pk])
    expected = count_queries(client, url)
    factories.advance(
        project,
        (Stage.APPROVED, today - dt.timedelta(days=80)),
        (Stage.SIGNED, today - dt.timedelta(days=70)),
        (Stage.STARTED, today - dt.timedelta(days=60)),
        by=manager,
    )
    for months_back in (1, 2):
        progress_save(project=project, by=staff, month=today - dt.timedelta(days=31 * months_back))
    for index in range(3):
        task_create(
            project=project,
            by=staff,
            source="request",
            category="land",
            content=f"用地{index}",
            unit=unit,
            due_date=today,
        )
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_manager_progress_sheet_uses_a_constant_number_of_queries(
    client, django_assert_num_queries, staff, manager, unit, industry, today
):
    client.force_login(manager)
    add_projects(unit, industry, manager, staff, today, 1)
    url = reverse("progress") + f"?unit={unit.code}"
    expected = count_queries(client, url)
    add_projects(unit, industry, manager, staff, today, 8)
    with django_assert_num_queries(expected):
        client.get(url)


def add_home_work(unit, industry, manager, staff, today, how_many):
    """Projects that fill every section of the home page: overdue, a planned start within 30
    days, this month's progress not filed, a request past its due date."""
    from core.dates import add_months

    for index in range(how_many):
        project = factories.make_project(
            unit=unit,
            industry=industry,
            by=manager,
            name=f"待办项目{index}",
            started=add_months(today, -8),
            planned_start_date=today + dt.timedelta(days=5),
        )
        factories.advance(
            project,
            (Stage.APPROVED, add_months(today, -7)),
            (Stage.SIGNED, add_months(today, -5)),
            by=manager,
        )
        task_create(
            project=project,
            by=staff,
            source="request",
            category="land",
            content="用地",
            unit=unit,
            due_date=today - dt.timedelta(days=3),
            assigned_on=today - dt.timedelta(days=20),
        )


HOME_SECTIONS = {
    "staff": ("overdue", "milestones-due", "progress-owed", "late-tasks"),
    "manager": ("overdue", "late-tasks"),
}


@pytest.mark.parametrize("who", ["staff", "manager"])
def test_the_home_page_with_every_section_full_uses_a_constant_number_of_queries(
    client, django_assert_num_queries, staff, manager, unit, industry, today, who
):
    client.force_login(staff if who == "staff" else manager)
    add_home_work(unit, industry, manager, staff, today, 1)
    response = client.get(reverse("home"))
    items = {item.key: item for item in response.context["items"]}
    for section in HOME_SECTIONS[who]:
        assert items[section].count == 1, section
    expected = count_queries(client, reverse("home"))
    add_home_work(unit, industry, manager, staff, today, 12)
    with django_assert_num_queries(expected):
        response = client.get(reverse("home"))
    items = {item.key: item for item in response.context["items"]}
    for section in HOME_SECTIONS[who]:
        assert items[section].count == 13, section
