"""A project's 变更记录 (its changes from the change log): on the project page, newest first,
fields named as the forms name them; and over the API at /api/v1/projects/{id}/history/."""

from decimal import Decimal

from django.urls import reverse
from rest_framework.test import APIClient

from changes.recording import channel
from pipeline.progress import progress_save
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from projects.services import project_update
from tests import factories
from tests.factories import reach


def test_the_project_page_shows_who_changed_what_when_and_through_which_channel(client, project, manager):
    project_update(project=project, by=manager, name="立琻半导体二期", total_investment=Decimal("12000"))
    reach(project, Stage.APPROVED, by=manager)
    project.refresh_from_db()
    with channel("import", source={"import": 3}):
        progress_save(project=project, by=manager, month="2025-03", funds_in_place="12.50")
    event_void(project=project, by=manager, reason="误录")
    client.force_login(manager)
    response = client.get(reverse("project-detail", args=[project.pk]))
    assert response.status_code == 200
    history = response.context["history"]
    assert [row["what"] for row in history] == [
        "作废节点",
        "审议随节点作废",  # the voided approval's review
        "填报月度进展",
        "登记节点",
        "登记审议",
        "修改项目",
        "登记节点",
        "创建项目",
    ]
    assert history[2]["channel"] == "导入"
    assert ("项目名称", "立琻半导体项目", "立琻半导体二期") in history[5]["fields"]
    assert ("总投资（万元）", "10000.00", "12000.00") in history[5]["fields"]
    html = response.content.decode()
    assert "变更记录" in html and "立琻半导体项目 → 立琻半导体二期" in html and "误录" in html


def test_the_history_api_lists_the_projects_changes_oldest_first_in_its_scope(project, manager, foreign_unit):
    project_update(project=project, by=manager, name="新名称")
    api = APIClient()
    api.force_authenticate(manager)
    response = api.get(f"/api/v1/projects/{project.pk}/history/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["type"] for row in results] == ["project.created", "event.recorded", "project.updated"]
    last = results[-1]
    assert (last["user"], last["channel"], last["id"]) == ("manager", "command", project.pk)
    assert last["changes"] == {"name": ["立琻半导体项目", "新名称"]}
    assert last["at"].endswith("+08:00")
    api.force_authenticate(factories.staff_of(foreign_unit, username="far-clerk"))
    assert api.get(f"/api/v1/projects/{project.pk}/history/").status_code == 404


def test_a_page_of_many_changes_shows_the_latest_hundred(client, project, manager):
    for number in range(105):
        project_update(project=project, by=manager, description=f"第{number}次")
    client.force_login(manager)
    history = client.get(reverse("project-detail", args=[project.pk])).context["history"]
    assert len(history) == 100
    assert history[0]["what"] == "修改项目" and history[0]["fields"][0][1:] == ("第103次", "第104次")


def test_the_projects_督办_tasks_are_in_its_history(client, project, unit, manager):
    from core.dates import local_today
    from supervision.tasks import task_create

    task_create(
        by=manager,
        unit=unit,
        due_date=local_today(),
        content="用地指标",
        project=project,
        source="request",
        category="land",
    )
    client.force_login(manager)
    latest = client.get(reverse("project-detail", args=[project.pk])).context["history"][0]
    assert latest["what"] == "交办督办事项"
    assert any(new == "用地指标" for _label, _old, new in latest["fields"])
