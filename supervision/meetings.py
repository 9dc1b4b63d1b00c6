"""调度会商 (scheduling meetings): the write.

meeting_record(*, by, district, date, kind, title, chair, units=(), projects=(), minutes="",
               tasks=()) -> Meeting
    A manager of the district records a meeting (not in the future) with the units that
    attended, the projects discussed (of the district), the minutes, and hands out its
    decisions as 交办事项 in the same transaction: each of `tasks` ({"content", "unit",
    "due_date", "project"}) becomes a task with source `meeting`, assigned on the meeting's
    date (supervision.tasks.task_create). Recorded as meeting.recorded plus a task.created
    per task; a refusal anywhere (a task's bad unit, say) writes nothing.
"""

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, record
from core.errors import InvalidValue, ServiceError
from supervision.cleaning import clean_text, past_day
from supervision.models import Meeting, Task
from supervision.tasks import task_create


def _of_district(items, district_id: int, field: str, label) -> list:
    items = list(items or [])
    for item in items:
        if item.district_id != district_id:
            raise InvalidValue(_("%(label)s须属于本区县。") % {"label": label}, field=field)
    return items


@atomic
def meeting_record(
    *, by, district, date, kind, title, chair, units=(), projects=(), minutes="", tasks=()
) -> Meeting:
    roles.require(roles.can_manage_tasks(by, district.pk), _("只有本区招商投资局管理人员可以记录调度会商。"))
    if kind not in Meeting.Kind.values:
        raise InvalidValue(
            _("会议类别无效，可选：%(kinds)s。") % {"kinds": "、".join(Meeting.Kind.values)}, field="kind"
        )
    day = past_day(date, "date", default_today=False)
    title = clean_text(title, "title", _("会议名称"), max_length=128)
    chair = clean_text(chair, "chair", _("主持人"), max_length=32)
    minutes = clean_text(minutes, "minutes", _("会议纪要"), required=False)
    units = _of_district(units, district.pk, "units", _("参会单位"))
    projects = _of_district(projects, district.pk, "projects", _("研究项目"))
    meeting = Meeting.objects.create(
        district=district, date=day, kind=kind, title=title, chair=chair, minutes=minutes, recorded_by=by
    )
    meeting.units.set(units)
    meeting.projects.set(projects)
    record(
        "meeting.recorded",
        meeting,
        by=by,
        district_id=district.pk,
        changes=created(
            {
                "date": day.isoformat(),
                "kind": kind,
                "title": title,
                "chair": chair,
                "units": sorted(unit.pk for unit in units),
                "projects": sorted(project.pk for project in projects),
            }
        ),
    )
    if not isinstance(tasks or [], list | tuple) or not all(isinstance(item, dict) for item in tasks or []):
        raise InvalidValue(_("tasks 应为对象列表。"), field="tasks")
    for index, item in enumerate(tasks or []):
        try:
            task_create(
                by=by,
                source=Task.Source.MEETING,
                meeting=meeting,
                assigned_on=day,
                unit=item.get("unit"),
                project=item.get("project"),
                content=item.get("content"),
                due_date=item.get("due_date"),
            )
        except ServiceError as error:
            error.message = _("第 %(n)s 项交办事项：%(message)s") % {"n": index + 1, "message": error.message}
            error.field = f"tasks[{index}].{error.field}" if error.field else "tasks"
            raise
    return meeting
