"""专班 with its 推进方案 (late steps), and 调度会商 handing out tasks in one transaction."""

import datetime as dt

import pytest

from changes.models import Change
from core.dates import local_today
from core.errors import DateInFuture, Forbidden, InvalidValue, MissingField
from supervision.meetings import meeting_record
from supervision.models import Meeting, Task
from supervision.selectors import late_steps, project_supervision
from supervision.taskforces import task_force_save

D = dt.date
STEPS = [
    {"name": "土地摘牌", "planned_on": "2025-03-01", "done_on": "2025-02-27"},
    {"name": "施工许可", "planned_on": "2025-05-01"},
    {"name": "水电接入", "planned_on": "2099-01-01"},
]


def test_a_task_force_with_its_plan_and_late_steps(project, staff, unit, manager):
    task_force_save(
        project=project,
        by=staff,
        leader="张副区长",
        lead_unit=unit,
        plan="三月摘牌，五月开工",
        members=[{"name": "刘洋", "unit": "区经信委", "role": "联络员", "phone": "023-1234"}],
        steps=STEPS,
    )
    view = project_supervision(project, staff)
    assert view["task_force"].leader == "张副区长" and [m.name for m in view["members"]] == ["刘洋"]
    assert [(s.name, s.late) for s in view["steps"]] == [
        ("土地摘牌", False),
        ("施工许可", True),
        ("水电接入", False),
    ]
    assert [s.name for s in late_steps(manager)] == ["施工许可"]
    change = Change.objects.get(type="task_force.saved")
    assert change.changes["leader"] == [None, "张副区长"]
    task_force_save(
        project=project,
        by=staff,
        leader="张副区长",
        lead_unit=unit,
        plan="三月摘牌，五月开工",
        members=[{"name": "刘洋", "unit": "区经信委", "role": "联络员", "phone": "023-1234"}],
        steps=STEPS,
    )
    assert Change.objects.filter(type="task_force.saved").count() == 1  # nothing changed, nothing recorded


def test_task_force_refusals(project, staff, unit, foreign_unit, other_unit):
    from tests.factories import staff_of

    with pytest.raises(Forbidden):
        task_force_save(project=project, by=staff_of(other_unit, username="o"), leader="x", lead_unit=unit)
    with pytest.raises(MissingField):
        task_force_save(project=project, by=staff, leader=" ", lead_unit=unit)
    with pytest.raises(InvalidValue):
        task_force_save(project=project, by=staff, leader="x", lead_unit=foreign_unit)
    with pytest.raises(DateInFuture):
        task_force_save(
            project=project,
            by=staff,
            leader="x",
            lead_unit=unit,
            steps=[{"name": "摘牌", "planned_on": "2025-01-01", "done_on": "2099-01-01"}],
        )
    with pytest.raises(InvalidValue):
        task_force_save(project=project, by=staff, leader="x", lead_unit=unit, members=[{"nom": "x"}])
    assert not Change.objects.filter(type="task_force.saved").exists()


def test_a_meeting_hands_out_its_tasks(district, manager, unit, other_unit, project):
    meeting = meeting_record(
        by=manager,
        district=district,
        date=D(2025, 3, 3),
        kind="weekly",
        title="第10周项目调度会",
        chair="王副区长",
        units=[unit, other_unit],
        projects=[project],
        minutes="研究用地问题",
        tasks=[
            {"content": "完成用地报批", "unit": unit, "due_date": "2025-03-20", "project": project},
            {"content": "出具规划条件", "unit": other_unit, "due_date": "2025-03-25"},
        ],
    )
    tasks = list(meeting.tasks.order_by("id"))
    assert [(t.source, t.unit, t.assigned_on) for t in tasks] == [
        ("meeting", unit, D(2025, 3, 3)),
        ("meeting", other_unit, D(2025, 3, 3)),
    ]
    types = list(Change.objects.order_by("seq").values_list("type", flat=True))[-3:]
    assert types == ["meeting.recorded", "task.created", "task.created"]


def test_a_meeting_with_one_bad_task_writes_nothing(district, manager, unit, foreign_unit, staff):
    before = Change.objects.count()
    with pytest.raises(InvalidValue) as refused:
        meeting_record(
            by=manager,
            district=district,
            date=D(2025, 3, 3),
            kind="weekly",
            title="周调度会",
            chair="王",
            tasks=[
                {"content": "完成用地报批", "unit": unit, "due_date": "2025-03-20"},
                {"content": "x", "unit": unit, "due_date": "2025-01-01"},
            ],
        )
    assert refused.value.field == "tasks[1].due_date" and "第 2 项" in str(refused.value)
    assert not Meeting.objects.exists() and not Task.objects.exists() and Change.objects.count() == before
    with pytest.raises(Forbidden):
        meeting_record(by=staff, district=district, date=D(2025, 3, 3), kind="weekly", title="t", chair="c")
    with pytest.raises(InvalidValue):
        meeting_record(by=manager, district=district, date=D(2025, 3, 3), kind="party", title="t", chair="c")
    with pytest.raises(DateInFuture):
        meeting_record(
            by=manager,
            district=district,
            date=local_today() + dt.timedelta(days=1),
            kind="weekly",
            title="t",
            chair="c",
        )
