"""The home page lists what needs the user's action now, each with a link to act."""

import datetime as dt

import pytest
from django.urls import reverse

from pipeline.progress import progress_save
from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests.factories import advance
from tests.web.conftest import recent_project

pytestmark = pytest.mark.django_db


def rows(response, section):
    return [getattr(row, "name", None) or row.project.name for row in response.context[section]["rows"]]


def test_the_home_page_lists_overdue_projects_with_a_link_to_advance(clerk_client, signed_overdue):
    response = clerk_client.get(reverse("home"))
    assert rows(response, "overdue") == ["逾期签约项目"]
    assert reverse("project-detail", args=[signed_overdue.pk]) + "#next-step" in response.content.decode()


def test_the_home_page_lists_planned_dates_within_30_days(clerk_client, unit, industry, manager, today):
    recent_project(
        unit, industry, manager, today, name="快签约", planned_sign_date=today + dt.timedelta(days=12)
    )
    recent_project(
        unit, industry, manager, today, name="远签约", planned_sign_date=today + dt.timedelta(days=60)
    )
    response = clerk_client.get(reverse("home"))
    assert rows(response, "soon") == ["快签约"]


def test_the_home_page_lists_projects_whose_month_is_not_filed(
    clerk_client, staff, unit, industry, manager, today
):
    """Who owes this month's progress is pipeline.selectors.progress_due, as in the pre-flight:
    signed, started and producing projects; a negotiating one owes nothing yet."""
    since = today - dt.timedelta(days=5)
    filed = recent_project(unit, industry, manager, today, name="已填报")
    unfiled = recent_project(unit, industry, manager, today, name="未填报")
    for project in (filed, unfiled):
        advance(project, (Stage.APPROVED, since), (Stage.SIGNED, since), by=manager)
    recent_project(unit, industry, manager, today, name="洽谈中")
    progress_save(project=filed, by=staff, month=today, funds_in_place="10")
    response = clerk_client.get(reverse("home"))
    assert rows(response, "unfiled") == ["未填报"]
    assert reverse("progress") in response.content.decode()


def test_the_home_page_lists_tasks_past_due(clerk_client, staff, unit, signed_overdue, today):
    late = task_create(
        project=signed_overdue,
        by=staff,
        source="request",
        category="planning",
        content="规划调整",
        unit=unit,
        due_date=today - dt.timedelta(days=2),
        assigned_on=today - dt.timedelta(days=20),
    )
    task_create(
        project=signed_overdue,
        by=staff,
        source="request",
        category="land",
        content="未到期",
        unit=unit,
        due_date=today + dt.timedelta(days=2),
    )
    response = clerk_client.get(reverse("home"))
    assert [row.content for row in response.context["requests_late"]["rows"]] == ["规划调整"]
    assert reverse("task-detail", args=[late.pk]) in response.content.decode()


def test_another_units_clerk_sees_none_of_it(client, other_unit, signed_overdue):
    from tests import factories

    client.force_login(factories.staff_of(other_unit, username="clerk2"))
    response = client.get(reverse("home"))
    assert response.context["overdue"]["count"] == 0
    assert signed_overdue.name not in response.content.decode()


def test_a_manager_sees_the_districts_overdue_projects(manager_client, signed_overdue):
    assert rows(manager_client.get(reverse("home")), "overdue") == ["逾期签约项目"]
