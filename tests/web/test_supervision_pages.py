"""The 督办 pages: raising a 诉求, the board (own unit first, one click to report, one to verify,
rates), a meeting recorded with its tasks in one form, the 专班 form, the letter reply; refusals
shown beside the field with nothing written, and pages never offered answer 403."""

import datetime as dt

import pytest
from django.urls import reverse

from changes.models import Change
from supervision.letters import letters_issue
from supervision.models import Letter, Meeting, Task, TaskForce
from supervision.tasks import task_create, task_report
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_clerk_raises_a_request_as_a_task(clerk_client, staff, signed_overdue, other_unit, today):
    due = today + dt.timedelta(days=10)
    response = clerk_client.post(
        reverse("request-create", args=[signed_overdue.pk]),
        {"category": "utilities", "content": "供电接入", "unit": other_unit.pk, "due_date": due},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.source, task.unit, task.due_date, task.created_by, task.project) == (
        "request", other_unit, due, staff, signed_overdue
    )  # fmt: skip


def test_a_bad_request_is_refused_beside_the_field(clerk_client, signed_overdue, unit, foreign_unit, today):
    url = reverse("request-create", args=[signed_overdue.pk])
    response = clerk_client.post(
        url,
        {"category": "land", "content": "用地", "unit": unit.pk, "due_date": today - dt.timedelta(days=1)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"due_date": ["办结时限不能早于交办日期。"]}
    response = clerk_client.post(
        url, {"category": "land", "content": "用地", "unit": foreign_unit.pk, "due_date": today}
    )
    assert "unit" in response.context["form"].errors
    assert not Task.objects.exists()


def test_the_board_reports_in_one_click_and_verifies_in_one_click(
    client, staff, manager, unit, other_unit, today
):
    mine = task_create(by=manager, unit=unit, content="我单位事项", due_date=today + dt.timedelta(days=3))
    other = task_create(
        by=manager,
        unit=other_unit,
        content="他单位事项",
        assigned_on=today - dt.timedelta(days=5),
        due_date=today - dt.timedelta(days=1),
    )
    client.force_login(manager)
    page = client.get(reverse("supervision"))
    assert [t.pk for t in page.context["page"].object_list] == [other.pk, mine.pk]  # most urgent first
    assert page.context["counts"] == {"red": 1, "yellow": 1, "green": 0}
    client.force_login(staff)
    page = client.get(reverse("supervision"))
    assert [t.pk for t in page.context["page"].object_list] == [mine.pk]  # a clerk sees its own unit's
    html = page.content.decode()
    assert (
        reverse("task-report", args=[mine.pk]) in html and reverse("task-verify", args=[mine.pk]) not in html
    )
    board = reverse("supervision")
    response = client.post(reverse("task-report", args=[mine.pk]), {"text": "已协调", "next": board})
    assert response.status_code == 302 and response["Location"] == board
    mine.refresh_from_db()
    assert mine.status == "reported"
    assert client.post(reverse("task-verify", args=[mine.pk])).status_code == 403
    client.force_login(manager)
    assert reverse("task-verify", args=[mine.pk]) in client.get(board).content.decode()
    client.post(reverse("task-verify", args=[mine.pk]), {"next": board})
    mine.refresh_from_db()
    assert mine.status == "closed" and mine.closed_by == manager
    rates = {r["name"]: r for r in client.get(board).context["rates"]}
    assert rates[unit.name]["closed_count"] == 1


def test_a_refused_step_is_a_message_and_writes_nothing(client, staff, manager, unit, today):
    task = task_create(by=manager, unit=unit, content="事项", due_date=today)
    client.force_login(staff)
    before = Change.objects.count()
    response = client.post(reverse("task-report", args=[task.pk]), {"text": ""}, follow=True)
    assert "办理情况" in " ".join(str(m) for m in response.context["messages"])
    assert Change.objects.count() == before
    task_report(task=task, by=staff, text="已办")
    client.force_login(manager)
    response = client.post(reverse("task-reject", args=[task.pk]), {"reason": ""}, follow=True)
    task.refresh_from_db()
    assert task.status == "reported"


def test_a_meeting_and_its_tasks_in_one_form(manager_client, project, unit, other_unit, staff, client):
    data = {
        "date": "2025-03-03", "kind": "weekly", "title": "第10周调度会", "chair": "王副区长",
        "units": [unit.pk, other_unit.pk], "projects": [project.pk], "minutes": "研究用地",
        "tasks-TOTAL_FORMS": "3", "tasks-INITIAL_FORMS": "0",
        "tasks-0-content": "完成用地报批", "tasks-0-unit": unit.pk, "tasks-0-due_date": "2025-03-20",
        "tasks-0-project": project.pk,
        "tasks-1-content": "出具规划条件", "tasks-1-unit": other_unit.pk, "tasks-1-due_date": "2025-01-01",
    }  # fmt: skip
    response = manager_client.post(reverse("meeting-create"), data)
    assert response.status_code == 200 and not Meeting.objects.exists() and not Task.objects.exists()
    assert "第 2 项交办事项" in response.content.decode()
    data["tasks-1-due_date"] = "2025-03-25"
    response = manager_client.post(reverse("meeting-create"), data)
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meeting-detail", args=[meeting.pk])
    assert [t.content for t in meeting.tasks.order_by("id")] == ["完成用地报批", "出具规划条件"]
    handout = manager_client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert "第10周调度会交办单" in handout and "出具规划条件" in handout
    client.force_login(staff)
    assert client.get(reverse("meeting-create")).status_code == 403
    assert client.get(reverse("meeting-detail", args=[meeting.pk])).status_code == 200


def test_the_task_force_form_and_the_project_page(clerk_client, project, unit):
    url = reverse("task-force-edit", args=[project.pk])
    response = clerk_client.post(
        url,
        {
            "leader": "张副区长",
            "lead_unit": unit.pk,
            "plan": "五月开工",
            "members": "刘洋 | 区经信委 | 联络员 | 023-1",
            "steps": "土地摘牌 | 2025-03-01 | 2025-03-01\n施工许可 | 2025-05-01",
        },
    )
    assert response.status_code == 302
    force = TaskForce.objects.get()
    assert [(s.name, s.done_on) for s in force.steps.all()] == [
        ("土地摘牌", dt.date(2025, 3, 1)),
        ("施工许可", None),
    ]
    page = clerk_client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert "张副区长" in page and "逾期未完成" in page
    bad = clerk_client.post(url, {"leader": "x", "lead_unit": unit.pk, "steps": "施工许可 | 2025-13-01"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_the_addressed_unit_replies_to_a_letter_page(clerk_client, stale, district, manager, staff):
    letters_issue(district=district, month="2025-04", by=manager)
    letter = Letter.objects.get()
    page = clerk_client.get(reverse("reminder-detail", args=[letter.reminder_id])).content.decode()
    assert letter.document_number in page and reverse("letter-reply", args=[letter.reminder_id]) in page
    response = clerk_client.post(
        reverse("letter-reply", args=[letter.reminder_id]),
        {"text": "已制定整改措施", f"measures_{stale.pk}": "加快签约"},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.replied_by == staff and letter.items.get().measures == "加快签约"
    assert clerk_client.get(reverse("letter-reply", args=[letter.reminder_id])).status_code == 403


def test_strangers_get_404_and_clerks_403(client, manager, unit, other_unit, today):
    task = task_create(by=manager, unit=unit, content="事项", due_date=today)
    client.force_login(factories.staff_of(other_unit, username="sib"))
    assert client.get(reverse("task-detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("task-report", args=[task.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("task-create")).status_code == 403
