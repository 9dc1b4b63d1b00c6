"""What a role may not do is not offered on the page, and is refused by the server anyway."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_a_clerk_is_not_offered_the_review_exit_or_void(clerk_client, signed_overdue):
    page = html(clerk_client.get(reverse("project-detail", args=[signed_overdue.pk])))
    assert "登记“已开工”" in page
    assert "登记“已终止”" not in page
    assert reverse("event-void", args=[signed_overdue.pk]) not in page


@pytest.mark.parametrize("stage", [Stage.TERMINATED, Stage.APPROVED])
def test_a_clerk_posting_a_managers_stage_is_refused(clerk_client, signed_overdue, today, stage):
    url = reverse("milestone-record", args=[signed_overdue.pk])
    data = {"stage": stage, "date": today.isoformat(), "reason": "long_unstarted"}
    assert clerk_client.post(url, data).status_code == 403
    signed_overdue.refresh_from_db()
    assert signed_overdue.stage == Stage.SIGNED


def test_a_clerk_cannot_open_a_review_form_for_a_negotiating_project(clerk_client, project):
    page = html(clerk_client.get(reverse("project-detail", args=[project.pk])))
    assert reverse("milestone-record", args=[project.pk]) not in page
    assert "审议由区招商投资局管理人员登记" in page
    assert clerk_client.get(reverse("milestone-record", args=[project.pk])).status_code == 403


def test_a_clerk_posting_a_void_is_refused(clerk_client, signed_overdue):
    url = reverse("event-void", args=[signed_overdue.pk])
    assert clerk_client.get(url).status_code == 403
    assert clerk_client.post(url, {"reason": "错了"}).status_code == 403
    assert not signed_overdue.events.filter(voided_at__isnull=False).exists()


def test_a_manager_is_offered_the_void_and_the_exit(manager_client, signed_overdue):
    page = html(manager_client.get(reverse("project-detail", args=[signed_overdue.pk])))
    assert reverse("event-void", args=[signed_overdue.pk]) in page
    assert "登记“已终止”" in page


def test_the_creation_event_is_not_offered_for_voiding(manager_client, project):
    page = html(manager_client.get(reverse("project-detail", args=[project.pk])))
    assert reverse("event-void", args=[project.pk]) not in page
    response = manager_client.post(
        reverse("event-void", args=[project.pk]), {"reason": "试试", "version": project.version}
    )
    assert response.status_code == 200
    assert "起始节点（在谈）不能作废" in html(response)


def test_a_void_without_a_reason_is_refused_beside_the_reason(manager_client, signed_overdue):
    response = manager_client.post(reverse("event-void", args=[signed_overdue.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    signed_overdue.refresh_from_db()
    assert signed_overdue.stage == Stage.SIGNED


def test_a_clerk_of_another_unit_gets_404_everywhere(client, other_unit, signed_overdue):
    client.force_login(factories.staff_of(other_unit, username="clerk2"))
    for name in ("project-detail", "project-edit", "milestone-record", "event-void", "request-create"):
        url = reverse(name, args=[signed_overdue.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"stage": Stage.STARTED}).status_code == 404, name


def test_a_manager_of_another_district_gets_404(client, other_district, signed_overdue):
    client.force_login(factories.manager_of(other_district, username="jj-manager"))
    assert client.get(reverse("project-detail", args=[signed_overdue.pk])).status_code == 404


def test_a_city_user_reads_but_is_offered_no_change(client, city, signed_overdue):
    client.force_login(city)
    page = html(client.get(reverse("project-detail", args=[signed_overdue.pk])))
    assert signed_overdue.name in page
    for name in ("project-edit", "milestone-record", "request-create"):
        assert reverse(name, args=[signed_overdue.pk]) not in page
    assert "新建项目" not in html(client.get(reverse("projects")))
    home = html(client.get(reverse("home")))
    assert "填报" not in home and f'href="{reverse("progress")}' not in home
    assert "各区县概况" in home and "#next-step" not in home  # an overview, nothing to act on
    refused = [
        client.post(reverse("project-edit", args=[signed_overdue.pk]), {"name": "x"}),
        client.post(reverse("project-create"), {"name": "x"}),
        client.post(reverse("milestone-record", args=[signed_overdue.pk]), {"stage": Stage.STARTED}),
        client.get(reverse("progress")),
        client.get(reverse("investor-create")),
    ]
    assert [response.status_code for response in refused] == [403] * len(refused)


def test_a_read_only_clerk_is_refused_writes(client, unit, signed_overdue, today):
    client.force_login(factories.staff_of(unit, username="reader", read_only=True))
    assert client.get(reverse("project-detail", args=[signed_overdue.pk])).status_code == 200
    url = reverse("milestone-record", args=[signed_overdue.pk])
    assert client.post(url, {"stage": Stage.STARTED, "date": today.isoformat()}).status_code == 403


def test_only_the_acting_unit_or_a_manager_reports_a_request(
    client, staff, other_unit, signed_overdue, today
):
    task = task_create(
        project=signed_overdue,
        by=staff,
        source="request",
        category="land",
        content="用地指标",
        unit=other_unit,
        due_date=today + dt.timedelta(days=5),
    )
    client.force_login(staff)
    page = html(client.get(reverse("supervision")))
    assert "用地指标" in page
    assert reverse("task-report", args=[task.pk]) not in page
    response = client.post(reverse("task-report", args=[task.pk]), {"text": "办好了"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "open"

    assignee = factories.staff_of(other_unit, username="sci-clerk")
    client.force_login(assignee)
    page = html(client.get(reverse("supervision")))
    assert reverse("task-report", args=[task.pk]) in page
    response = client.post(reverse("task-report", args=[task.pk]), {"text": "已协调解决"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "reported" and task.steps.last().by == assignee


def test_the_admin_link_is_shown_only_to_staff_users(client, staff, manager):
    client.force_login(staff)
    assert reverse("admin:index") not in html(client.get(reverse("home")))
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    assert reverse("admin:index") in html(client.get(reverse("home")))


def test_the_navigation_links_every_section(clerk_client):
    page = html(clerk_client.get(reverse("home")))
    for name in ("home", "projects", "progress", "supervision", "ledger", "stats", "dashboard"):
        assert f'href="{reverse(name)}"' in page, name
    assert 'action="/i18n/setlang/"' in page


def test_a_terminated_project_is_read_only(client, staff, manager, unit, industry):
    """No 编辑项目信息 or 提出诉求 on a terminated project, and both refused if posted."""
    project = factories.make_project(unit=unit, industry=industry, by=manager, name="已终止项目")
    factories.reach(project, Stage.TERMINATED, by=manager)
    client.force_login(staff)
    page = html(client.get(reverse("project-detail", args=[project.pk])))
    assert "编辑项目信息" not in page and "提出诉求" not in page and "已终止，只读" in page
    assert client.get(reverse("project-edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("request-create", args=[project.pk]), {"description": "x"}).status_code == 403


def test_a_terminated_projects_facts_are_refused_by_the_service(staff, manager, unit, industry):
    from core.errors import Forbidden
    from projects.services import project_update

    project = factories.make_project(unit=unit, industry=industry, by=manager, name="已终止项目")
    factories.reach(project, Stage.TERMINATED, by=manager)
    project.refresh_from_db()
    with pytest.raises(Forbidden, match="项目已终止"):
        project_update(project=project, by=manager, name="改名")
