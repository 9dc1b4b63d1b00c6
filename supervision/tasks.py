"""督办事项 (tasks): the writes. One model for everything a unit must answer — a project's 诉求, a
meeting's 交办事项, a letter's 整改要求, a manager's own task.

    task_create(*, by, unit, due_date, content, project=None, source="manager", category="",
                meeting=None, letter=None, assigned_on=None) -> Task
        A 诉求 (source `request`, a category required) is raised by whoever may edit the project;
        every other task is assigned by a manager of the district. The unit must be of the
        project's (or the district's) district; due on or after the day it is assigned.
    task_report(*, task, by, text, date=None)      the acting unit reports what it did (办理情况)
    task_verify(*, task, by, note="", date=None)   a manager closes it (验收销号): only a reported task
    task_reject(*, task, by, reason, date=None)    a manager sends a reported task back, with a reason
    task_reassign(*, task, by, unit, reason, date=None)   a manager hands it to another unit

Lifecycle: open → reported → closed, or reported → open (rejected); a task is closed only by
acceptance, and a closed task takes no further step. Dates are not in the future nor before the
previous step. Each write locks the task row, adds a TaskStep (who, when) and records its change
(task.created, task.reported, task.closed, task.rejected, task.reassigned) in one transaction;
a refusal writes nothing.
"""

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, record, snapshot
from core.errors import Duplicate, IllegalTransition, InvalidValue, MissingField
from supervision.cleaning import any_day, clean_text, past_day, unit_of
from supervision.models import Task, TaskStep

CREATED_FIELDS = (
    "project",
    "unit",
    "source",
    "category",
    "meeting",
    "letter",
    "content",
    "assigned_on",
    "due_date",
)


def _record(kind: str, task: Task, by, changes: dict) -> None:
    record(kind, task, by=by, changes=changes, project=task.project, district_id=task.district_id)


@atomic
def task_create(
    *,
    by,
    unit,
    due_date,
    content,
    project=None,
    source: str = Task.Source.MANAGER,
    category: str = "",
    meeting=None,
    letter=None,
    assigned_on=None,
) -> Task:
    if source not in Task.Source.values:
        raise InvalidValue(_("来源无效，可选：request、meeting、letter、manager。"), field="source")
    district_id = project.district_id if project is not None else getattr(unit, "district_id", None)
    if source == Task.Source.REQUEST:
        if project is None:
            raise MissingField(_("诉求须对应一个项目。"), field="project")
        roles.require(roles.can_raise_request(by, project), _("您只能为本单位项目提出诉求。"))
        if category not in Task.Category.values:
            raise InvalidValue(_("诉求类别无效。"), field="category")
    else:
        if district_id is None:
            raise MissingField(_("请选择承办单位。"), field="unit")
        roles.require(
            roles.can_manage_tasks(by, district_id), _("只有本区招商投资局管理人员可以交办督办事项。")
        )
        if category and category not in Task.Category.values:
            raise InvalidValue(_("诉求类别无效。"), field="category")
    unit = unit_of(district_id, unit)
    content = clean_text(content, "content", _("督办内容"))
    assigned_on = past_day(assigned_on, "assigned_on")
    due_date = any_day(due_date, "due_date", _("办结时限"))
    if due_date < assigned_on:
        raise InvalidValue(_("办结时限不能早于交办日期。"), field="due_date")
    task = Task.objects.create(
        district_id=district_id,
        project=project,
        unit=unit,
        source=source,
        category=category or "",
        meeting=meeting,
        letter=letter,
        content=content,
        assigned_on=assigned_on,
        due_date=due_date,
        created_by=by if getattr(by, "pk", None) else None,
    )
    TaskStep.objects.create(task=task, kind=TaskStep.Kind.ASSIGNED, date=assigned_on, to_unit=unit, by=by)
    _record("task.created", task, by, created(snapshot(task, CREATED_FIELDS)))
    return task


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("project").get(pk=task.pk)


def _after(day, earliest, field: str):
    if earliest is not None and day < earliest:
        raise InvalidValue(
            _("日期不能早于上一环节（%(date)s）。") % {"date": earliest.isoformat()}, field=field
        )
    return day


def _refuse_closed(task: Task) -> None:
    if task.status == Task.Status.CLOSED:
        raise IllegalTransition(
            _("该事项已于 %(date)s 验收销号，不能再办理。") % {"date": task.closed_on.isoformat()}
        )


@atomic
def task_report(*, task: Task, by, text, date=None) -> Task:
    task = _lock(task)
    roles.require(roles.can_report_task(by, task), _("只有承办单位或本区管理人员可以报送办理情况。"))
    _refuse_closed(task)
    if task.status == Task.Status.REPORTED:
        raise Duplicate(_("办理情况已报送，正在等待验收。"))
    text = clean_text(text, "text", _("办理情况"))
    day = _after(past_day(date, "date"), task.assigned_on, "date")
    task.status, task.reported_on = Task.Status.REPORTED, day
    task.save(update_fields=["status", "reported_on", "updated_at"])
    TaskStep.objects.create(task=task, kind=TaskStep.Kind.REPORTED, date=day, text=text, by=by)
    _record(
        "task.reported", task, by, {"status": ["open", "reported"], "reported_on": [None, day.isoformat()]}
    )
    return task


def _manager_step(task: Task, by) -> None:
    roles.require(
        roles.can_manage_tasks(by, task.district_id), _("只有本区招商投资局管理人员可以验收、退回或改派。")
    )
    _refuse_closed(task)


@atomic
def task_verify(*, task: Task, by, note="", date=None) -> Task:
    task = _lock(task)
    _manager_step(task, by)
    if task.status != Task.Status.REPORTED:
        raise IllegalTransition(_("承办单位尚未报送办理情况，不能验收销号。"))
    note = clean_text(note, "note", _("验收意见"), required=False)
    day = _after(past_day(date, "date"), task.reported_on, "date")
    task.status, task.closed_on, task.closed_by = Task.Status.CLOSED, day, by
    task.save(update_fields=["status", "closed_on", "closed_by", "updated_at"])
    TaskStep.objects.create(task=task, kind=TaskStep.Kind.CLOSED, date=day, text=note, by=by)
    _record("task.closed", task, by, {"status": ["reported", "closed"], "closed_on": [None, day.isoformat()]})
    return task


@atomic
def task_reject(*, task: Task, by, reason, date=None) -> Task:
    task = _lock(task)
    _manager_step(task, by)
    if task.status != Task.Status.REPORTED:
        raise IllegalTransition(_("只有已报送办理情况的事项可以退回。"))
    reason = clean_text(reason, "reason", _("退回理由"))
    day = _after(past_day(date, "date"), task.reported_on, "date")
    previous = task.reported_on
    task.status, task.reported_on = Task.Status.OPEN, None
    task.save(update_fields=["status", "reported_on", "updated_at"])
    TaskStep.objects.create(task=task, kind=TaskStep.Kind.REJECTED, date=day, text=reason, by=by)
    _record(
        "task.rejected",
        task,
        by,
        {
            "status": ["reported", "open"],
            "reported_on": [previous.isoformat(), None],
            "reason": [None, reason],
        },
    )
    return task


@atomic
def task_reassign(*, task: Task, by, unit, reason, date=None) -> Task:
    task = _lock(task)
    _manager_step(task, by)
    unit = unit_of(task.district_id, unit)
    if unit.pk == task.unit_id:
        raise InvalidValue(_("改派单位与当前承办单位相同。"), field="unit")
    reason = clean_text(reason, "reason", _("改派理由"))
    day = past_day(date, "date")
    before = task.unit_id
    status_before = task.status
    task.unit, task.status, task.reported_on = unit, Task.Status.OPEN, None
    task.save(update_fields=["unit", "status", "reported_on", "updated_at"])
    TaskStep.objects.create(
        task=task,
        kind=TaskStep.Kind.REASSIGNED,
        date=day,
        text=reason,
        from_unit_id=before,
        to_unit=unit,
        by=by,
    )
    changes = {"unit": [before, unit.pk], "reason": [None, reason]}
    if status_before != Task.Status.OPEN:
        changes["status"] = [status_before, Task.Status.OPEN]
    _record("task.reassigned", task, by, changes)
    return task
