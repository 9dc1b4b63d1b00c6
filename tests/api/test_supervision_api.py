"""The 督办 endpoints: tasks with their lifecycle, meetings with their tasks, the 专班, letter
replies and the rates; each scoped by role, refusals as JSON naming the field, nothing written."""

import datetime as dt

import pytest

from changes.models import Change
from pipeline.reminders import reminders_issue
from supervision.letters import letters_issue
from supervision.models import Meeting, Task
from supervision.tasks import task_create
from tests.api.test_schema import schema_problems

D = dt.date


@pytest.fixture
def task(manager, unit, project):
    return task_create(
        by=manager,
        unit=unit,
        project=project,
        content="协调用电",
        assigned_on=D(2025, 3, 1),
        due_date=D(2025, 3, 31),
    )


def test_a_task_goes_through_report_and_verify(api, task, staff, manager, schema):
    body = api.as_user(staff).get(f"/api/v1/tasks/{task.pk}/").json()
    assert (body["status"], body["overdue"], body["colour"], body["unit"]) == (
        "open",
        True,
        "red",
        "jlp-econ",
    )
    assert schema_problems(schema, "/api/v1/tasks/{id}/", "get", body) == []
    response = api.as_user(staff).post(
        f"/api/v1/tasks/{task.pk}/report/", {"text": "已接入", "date": "2025-03-20"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "reported"
    refused = api.as_user(staff).post(f"/api/v1/tasks/{task.pk}/verify/", {"note": "x"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    response = api.as_user(manager).post(
        f"/api/v1/tasks/{task.pk}/verify/", {"note": "核实", "date": "2025-03-25"}, format="json"
    )
    body = response.json()
    assert (body["status"], body["closed_on"], body["overdue"]) == ("closed", "2025-03-25", False)
    assert [step["kind"] for step in body["steps"]] == ["assigned", "reported", "closed"]
    again = api.as_user(staff).post(f"/api/v1/tasks/{task.pk}/report/", {"text": "再报"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "illegal_transition"


def test_reject_and_reassign(api, task, staff, manager, other_unit):
    api.as_user(staff).post(
        f"/api/v1/tasks/{task.pk}/report/", {"text": "已办", "date": "2025-03-20"}, format="json"
    )
    missing = api.as_user(manager).post(f"/api/v1/tasks/{task.pk}/reject/", {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    body = (
        api.as_user(manager)
        .post(f"/api/v1/tasks/{task.pk}/reject/", {"reason": "材料不全"}, format="json")
        .json()
    )
    assert body["status"] == "open" and body["steps"][-1]["text"] == "材料不全"
    body = (
        api.as_user(manager)
        .post(f"/api/v1/tasks/{task.pk}/reassign/", {"unit": "jlp-sci", "reason": "职责调整"}, format="json")
        .json()
    )
    assert body["unit"] == "jlp-sci" and body["steps"][-1]["to_unit"] == "jlp-sci"


def test_creating_tasks_and_refusals_name_the_field(api, manager, staff, project, foreign_unit, other_unit):
    before = Change.objects.count()
    bad = api.as_user(manager).post(
        "/api/v1/tasks/", {"content": "x", "unit": "jlp-econ", "due_date": "2025-13-01"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "due_date"
    foreign = api.as_user(manager).post(
        "/api/v1/tasks/",
        {"content": "x", "unit": "jj-invest", "due_date": "2025-04-01", "project": project.pk},
        format="json",
    )
    assert foreign.status_code == 400 and foreign.json()["field"] == "unit"
    clerk = api.as_user(staff).post(
        "/api/v1/tasks/", {"content": "x", "unit": "jlp-econ", "due_date": "2025-04-01"}, format="json"
    )
    assert clerk.status_code == 403
    assert Change.objects.count() == before and not Task.objects.exists()
    request = api.as_user(staff).post(
        "/api/v1/tasks/",
        {"content": "用地指标", "unit": "jlp-sci", "due_date": "2025-04-01", "assigned_on": "2025-03-01",
         "project": project.pk, "source": "request", "category": "land"},
        format="json",
    )  # fmt: skip
    assert request.status_code == 201, request.json()
    assert (request.json()["source"], request.json()["category"]) == ("request", "land")


def test_task_lists_are_scoped_and_filtered(
    api, task, staff, colleague, manager, foreign_manager, city, other_unit
):
    elsewhere = task_create(
        by=manager, unit=other_unit, content="其他", assigned_on=D(2025, 3, 1), due_date="2099-01-01"
    )

    def ids(user, query=""):
        response = api.as_user(user).get(f"/api/v1/tasks/{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(staff) == [task.pk]
    assert ids(colleague) == [elsewhere.pk]
    assert ids(manager) == [task.pk, elsewhere.pk]
    assert ids(foreign_manager) == [] and ids(city) == [task.pk, elsewhere.pk]
    assert ids(manager, "?overdue=true") == [task.pk]
    assert ids(manager, "?unit=jlp-sci") == [elsewhere.pk]
    assert ids(manager, "?source=manager&status=open&due_from=2025-03-01&due_to=2025-03-31") == [task.pk]
    assert api.as_user(manager).get("/api/v1/tasks/?colour=red").status_code == 400  # unknown parameter
    assert api.as_user(foreign_manager).get(f"/api/v1/tasks/{task.pk}/").status_code == 404


def test_a_meeting_is_recorded_with_its_tasks(
    api, manager, staff, project, schema, foreign_manager, other_unit
):
    payload = {
        "date": "2025-03-03", "kind": "weekly", "title": "第10周调度会", "chair": "王副区长",
        "units": ["jlp-econ", "jlp-sci"], "projects": [project.pk], "minutes": "研究用地",
        "tasks": [
            {"content": "完成用地报批", "unit": "jlp-econ", "due_date": "2025-03-20", "project": project.pk},
            {"content": "出具规划条件", "unit": "jlp-sci", "due_date": "2025-03-25"},
        ],
    }  # fmt: skip
    assert api.as_user(staff).post("/api/v1/meetings/", payload, format="json").status_code == 403
    bad = api.as_user(manager).post(
        "/api/v1/meetings/",
        {**payload, "tasks": [{**payload["tasks"][0], "due_date": "2025-01-01"}]},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "tasks[0].due_date"
    assert not Meeting.objects.exists()
    response = api.as_user(manager).post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [t["unit"] for t in body["tasks"]] == ["jlp-econ", "jlp-sci"] and body["task_count"] == 2
    detail = api.as_user(staff).get(f"/api/v1/meetings/{body['id']}/").json()
    assert schema_problems(schema, "/api/v1/meetings/{id}/", "get", detail) == []
    assert api.as_user(foreign_manager).get("/api/v1/meetings/").json()["results"] == []


def test_the_task_force_is_put_and_read(api, project, staff, colleague, schema):
    url = f"/api/v1/projects/{project.pk}/task-force/"
    assert api.as_user(staff).get(url).status_code == 404
    payload = {
        "leader": "张副区长", "lead_unit": "jlp-econ", "plan": "五月开工",
        "members": [{"name": "刘洋", "unit": "区经信委", "role": "联络员", "phone": "023-1"}],
        "steps": [
            {"name": "施工许可", "planned_on": "2025-05-01"},
            {"name": "摘牌", "planned_on": "2025-03-01", "done_on": "2025-03-01"},
        ],
    }  # fmt: skip
    response = api.as_user(staff).put(url, payload, format="json")
    assert response.status_code == 200, response.json()
    body = api.as_user(staff).get(url).json()
    assert [(s["name"], s["late"]) for s in body["steps"]] == [("摘牌", False), ("施工许可", True)]
    assert body["late_count"] == 1
    assert schema_problems(schema, "/api/v1/projects/{project_id}/task-force/", "get", body) == []
    assert api.as_user(colleague).put(url, payload, format="json").status_code == 404  # not in its scope


def test_the_addressed_unit_replies_to_a_letter(api, stale, district, manager, staff, colleague):
    letters_issue(district=district, month="2025-04", by=manager)
    reminder = stale.reminders.get()
    listed = api.as_user(staff).get(f"/api/v1/reminders/{reminder.pk}/").json()
    assert listed["letter"]["document_number"].startswith("九龙坡招商〔")
    url = f"/api/v1/reminders/{reminder.pk}/reply/"
    assert api.as_user(colleague).post(url, {"text": "x"}, format="json").status_code == 404
    response = api.as_user(staff).post(
        url, {"text": "已整改", "items": [{"project": stale.pk, "measures": "加快签约"}]}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["items"][0]["measures"] == "加快签约"
    again = api.as_user(staff).post(url, {"text": "再回"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"


def test_an_unnumbered_letter_cannot_be_replied(api, stale, district, manager, staff):
    reminders_issue(district=district, month="2025-04", by=manager)
    reminder = stale.reminders.get()
    response = api.as_user(staff).post(
        f"/api/v1/reminders/{reminder.pk}/reply/", {"text": "x"}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "illegal_transition"


def test_task_rates_over_the_api(api, task, staff, manager, foreign_manager, schema):
    api.as_user(staff).post(
        f"/api/v1/tasks/{task.pk}/report/", {"text": "已办", "date": "2025-04-02"}, format="json"
    )
    api.as_user(manager).post(f"/api/v1/tasks/{task.pk}/verify/", {"date": "2025-04-02"}, format="json")
    body = api.as_user(manager).get("/api/v1/stats/tasks/?from=2025-03-01&to=2025-03-31&group_by=unit").json()
    assert (body["due_count"], body["closed_count"], body["closed_on_time_count"]) == (1, 1, 0)
    assert (body["closed_rate"], body["on_time_rate"]) == ("100.00", "0.00")
    assert body["results"][0]["unit"] == "jlp-econ"
    assert schema_problems(schema, "/api/v1/stats/tasks/", "get", body) == []
    assert api.as_user(foreign_manager).get("/api/v1/stats/tasks/?year=2025").json()["due_count"] == 0
    bad = api.as_user(manager).get("/api/v1/stats/tasks/?from=2025-03-01&to=2025-03-31&group_by=park")
    assert bad.status_code == 400 and bad.json()["field"] == "group_by"
