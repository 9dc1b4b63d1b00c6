"""督办事项: every step of the lifecycle and every refusal; a refusal writes nothing."""

import datetime as dt

import pytest

from changes.models import Change
from core.dates import local_today
from core.errors import DateInFuture, Duplicate, Forbidden, IllegalTransition, InvalidValue, MissingField
from supervision.models import Task, TaskStep
from supervision.tasks import task_create, task_reassign, task_reject, task_report, task_verify
from tests.factories import manager_of, staff_of

D = dt.date


def state(task):
    return (
        list(Task.objects.filter(pk=task.pk).values()),
        list(TaskStep.objects.filter(task_id=task.pk).values()),
        Change.objects.count(),
    )


def test_a_task_is_reported_then_closed_by_acceptance(make_task, staff, manager, unit):
    task = make_task()
    assert (task.status, task.source, task.district_id) == ("open", "manager", unit.district_id)
    task_report(task=task, by=staff, text="已完成电力接入", date=D(2025, 3, 20))
    task.refresh_from_db()
    assert (task.status, task.reported_on) == ("reported", D(2025, 3, 20))
    task_verify(task=task, by=manager, note="现场核实", date=D(2025, 3, 25))
    task.refresh_from_db()
    assert (task.status, task.closed_on, task.closed_by) == ("closed", D(2025, 3, 25), manager)
    kinds = list(task.steps.order_by("id").values_list("kind", "by__username", "date"))
    assert kinds == [
        ("assigned", "manager", D(2025, 3, 1)),
        ("reported", "clerk", D(2025, 3, 20)),
        ("closed", "manager", D(2025, 3, 25)),
    ]
    types = list(
        Change.objects.filter(object_type="task", object_id=task.pk)
        .order_by("seq")
        .values_list("type", flat=True)
    )
    assert types == ["task.created", "task.reported", "task.closed"]


def test_a_rejected_task_goes_back_to_the_unit_with_the_reason(make_task, staff, manager):
    task = make_task()
    task_report(task=task, by=staff, text="已协调", date=D(2025, 3, 10))
    task_reject(task=task, by=manager, reason="未附供电合同", date=D(2025, 3, 12))
    task.refresh_from_db()
    assert (task.status, task.reported_on) == ("open", None)
    step = task.steps.order_by("-id").first()
    assert (step.kind, step.text) == ("rejected", "未附供电合同")
    change = Change.objects.filter(type="task.rejected").get()
    assert change.changes["reason"] == [None, "未附供电合同"]
    task_report(task=task, by=staff, text="已补充合同", date=D(2025, 3, 15))
    task_verify(task=task, by=manager, date=D(2025, 3, 16))
    task.refresh_from_db()
    assert task.status == "closed"


def test_a_manager_reassigns_a_task_to_another_unit_on_record(make_task, manager, unit, other_unit, staff):
    task = make_task()
    task_reassign(task=task, by=manager, unit=other_unit, reason="属科技局职责", date=D(2025, 3, 5))
    task.refresh_from_db()
    assert task.unit == other_unit
    step = task.steps.order_by("-id").first()
    assert (step.kind, step.from_unit, step.to_unit) == ("reassigned", unit, other_unit)
    assert Change.objects.get(type="task.reassigned").changes["unit"] == [unit.pk, other_unit.pk]
    with pytest.raises(Forbidden):  # the former unit no longer acts on it
        task_report(task=task, by=staff, text="x", date=D(2025, 3, 6))
    task_report(task=task, by=staff_of(other_unit, username="sci"), text="已办", date=D(2025, 3, 6))


def test_a_closed_task_cannot_be_reported_again_nor_rejected(make_task, staff, manager, other_unit):
    task = make_task()
    task_report(task=task, by=staff, text="已办", date=D(2025, 3, 10))
    task_verify(task=task, by=manager, date=D(2025, 3, 11))
    before = state(task)
    for call in (
        lambda: task_report(task=task, by=staff, text="再报", date=D(2025, 3, 12)),
        lambda: task_verify(task=task, by=manager, date=D(2025, 3, 12)),
        lambda: task_reject(task=task, by=manager, reason="x", date=D(2025, 3, 12)),
        lambda: task_reassign(task=task, by=manager, unit=other_unit, reason="x"),
    ):
        with pytest.raises(IllegalTransition):
            call()
    assert state(task) == before


def test_only_a_reported_task_is_verified_or_rejected(make_task, manager, staff):
    task = make_task()
    before = state(task)
    with pytest.raises(IllegalTransition):
        task_verify(task=task, by=manager)
    with pytest.raises(IllegalTransition):
        task_reject(task=task, by=manager, reason="x")
    task_report(task=task, by=staff, text="已办", date=D(2025, 3, 10))
    with pytest.raises(Duplicate):
        task_report(task=task, by=staff, text="又报", date=D(2025, 3, 11))
    assert state(task)[0][0]["status"] == "reported" and before[0][0]["status"] == "open"


def test_who_may_do_what(make_task, staff, manager, other_unit, district, foreign_unit, city):
    task = make_task()
    sibling = staff_of(other_unit, username="sibling")
    foreign = manager_of(foreign_unit.district, username="foreign")
    before = state(task)
    for user in (sibling, foreign, city):
        with pytest.raises(Forbidden):
            task_report(task=task, by=user, text="x", date=D(2025, 3, 10))
    task_report(task=task, by=staff, text="已办", date=D(2025, 3, 10))
    for user in (staff, sibling, foreign, city):
        with pytest.raises(Forbidden):
            task_verify(task=task, by=user, date=D(2025, 3, 11))
        with pytest.raises(Forbidden):
            task_reject(task=task, by=user, reason="x", date=D(2025, 3, 11))
        with pytest.raises(Forbidden):
            task_reassign(task=task, by=user, unit=other_unit, reason="x")
    with pytest.raises(Forbidden):  # a clerk does not assign tasks
        make_task(by=staff)
    assert len(state(task)[1]) == len(before[1]) + 1


def test_dates_not_in_the_future_nor_before_the_previous_step(make_task, staff, manager):
    task = make_task()
    tomorrow = local_today() + dt.timedelta(days=1)
    with pytest.raises(DateInFuture) as refused:
        task_report(task=task, by=staff, text="已办", date=tomorrow)
    assert refused.value.field == "date"
    with pytest.raises(InvalidValue):
        task_report(task=task, by=staff, text="已办", date=D(2025, 2, 1))  # before it was assigned
    task_report(task=task, by=staff, text="已办", date=D(2025, 3, 10))
    with pytest.raises(InvalidValue):
        task_verify(task=task, by=manager, date=D(2025, 3, 9))
    with pytest.raises(DateInFuture):
        make_task(assigned_on=tomorrow)


def test_creation_refusals_name_the_field(make_task, foreign_unit, project, staff):
    for fields, error, field in (
        ({"content": "  "}, MissingField, "content"),
        ({"due_date": None}, MissingField, "due_date"),
        ({"due_date": D(2025, 2, 1)}, InvalidValue, "due_date"),
        ({"unit": foreign_unit, "project": project}, InvalidValue, "unit"),
        ({"source": "rumour"}, InvalidValue, "source"),
        (
            {"source": "request", "project": project, "category": "gossip", "by": staff},
            InvalidValue,
            "category",
        ),
        ({"source": "request"}, MissingField, "project"),
    ):
        with pytest.raises(error) as refused:
            make_task(**fields)
        assert refused.value.field == field, fields
    assert not Task.objects.exists()


def test_a_clerk_raises_a_request_for_a_project_of_the_unit(project, staff, other_unit):
    task = task_create(
        by=staff,
        source="request",
        project=project,
        category="land",
        unit=other_unit,
        content="用地指标",
        assigned_on=D(2025, 3, 1),
        due_date=D(2025, 4, 1),
    )
    assert (task.source, task.category, task.project, task.unit) == ("request", "land", project, other_unit)
    change = Change.objects.get(type="task.created")
    assert change.project_id == project.pk and change.changes["source"] == [None, "request"]


def test_who_sees_which_tasks(make_task, staff, manager, unit, other_unit, foreign_unit, city, project):
    from supervision.selectors import task_queryset

    mine = make_task()
    for_my_project = make_task(unit=other_unit, project=project)
    elsewhere = make_task(unit=other_unit)
    seen = {
        "staff": set(task_queryset(staff)),
        "sibling": set(task_queryset(staff_of(other_unit, username="sib"))),
        "manager": set(task_queryset(manager)),
        "foreign": set(task_queryset(manager_of(foreign_unit.district, username="fm"))),
        "city": set(task_queryset(city)),
    }
    assert seen == {
        "staff": {mine, for_my_project},
        "sibling": {for_my_project, elsewhere},
        "manager": {mine, for_my_project, elsewhere},
        "foreign": set(),
        "city": {mine, for_my_project, elsewhere},
    }
