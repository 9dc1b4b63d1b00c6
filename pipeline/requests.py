"""诉求: raised for a project, assigned to a unit with a due date, resolved with a note."""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, diff, record, snapshot
from core.dates import clean_date, local_today
from core.errors import IllegalTransition, InvalidValue, MissingField
from pipeline.models import Request
from projects.models import Project, Unit

REQUEST_FIELDS = ("category", "description", "assigned_unit", "due_date", "raised_on", "status")
RESOLUTION_FIELDS = ("status", "resolution", "resolved_on", "resolved_by")


@atomic
def request_create(
    *,
    project: Project,
    by,
    category: str,
    description: str,
    assigned_unit: Unit,
    due_date: dt.date,
    raised_on: dt.date | None = None,
) -> Request:
    """Raise a request. Whoever may edit the project may raise one; it is assigned to a unit
    of the project's district, due no earlier than the day it is raised."""
    roles.require(roles.can_edit_project(by, project), _("您只能为本单位项目提出诉求。"))
    roles.require(roles.can_change_project(by, project), _("项目已终止，不能再提出诉求。"))
    if category not in Request.Category.values:
        raise InvalidValue(_("诉求类别无效。"), field="category")
    if not (description or "").strip():
        raise MissingField(_("请填写诉求内容。"), field="description")
    if assigned_unit is None:
        raise MissingField(_("请选择承办单位。"), field="assigned_unit")
    if assigned_unit.district_id != project.district_id:
        raise InvalidValue(_("承办单位须为项目所在区县的单位。"), field="assigned_unit")
    raised_on = local_today() if raised_on is None else clean_date(raised_on, "raised_on")
    if raised_on > local_today():
        raise InvalidValue(_("提出日期不能晚于今天。"), field="raised_on")
    if due_date is None or due_date == "":
        raise MissingField(_("请填写办结时限。"), field="due_date")
    due_date = clean_date(due_date, "due_date")
    if due_date < raised_on:
        raise InvalidValue(_("办结时限不能早于提出日期。"), field="due_date")
    request_obj = Request.objects.create(
        project=project,
        category=category,
        description=description.strip(),
        assigned_unit=assigned_unit,
        due_date=due_date,
        raised_on=raised_on,
        raised_by=by,
    )
    record(
        "request.created",
        request_obj,
        by=by,
        project=project,
        changes=created(snapshot(request_obj, REQUEST_FIELDS)),
    )
    return request_obj


@atomic
def request_resolve(
    *, request_obj: Request, by, resolution: str, resolved_on: dt.date | None = None
) -> Request:
    request_obj = Request.objects.select_for_update().select_related("assigned_unit").get(pk=request_obj.pk)
    roles.require(roles.can_resolve_request(by, request_obj), _("只有承办单位或区招商投资局可以办结该诉求。"))
    if request_obj.status == Request.Status.RESOLVED:
        raise IllegalTransition(_("该诉求已经办结。"))
    if not (resolution or "").strip():
        raise MissingField(_("请填写办理结果。"), field="resolution")
    resolved_on = local_today() if resolved_on is None else clean_date(resolved_on, "resolved_on")
    if resolved_on > local_today():
        raise InvalidValue(_("办结日期不能晚于今天。"), field="resolved_on")
    if resolved_on < request_obj.raised_on:
        raise InvalidValue(_("办结日期不能早于提出日期。"), field="resolved_on")
    before = snapshot(request_obj, RESOLUTION_FIELDS)
    request_obj.status = Request.Status.RESOLVED
    request_obj.resolution = resolution.strip()
    request_obj.resolved_on = resolved_on
    request_obj.resolved_by = by
    request_obj.save()
    record(
        "request.resolved",
        request_obj,
        by=by,
        project=request_obj.project,
        changes=diff(before, snapshot(request_obj, RESOLUTION_FIELDS)),
    )
    return request_obj


def unit_resolution_rates(queryset=None):
    """Per assigned unit (with its district, as units of different districts share names):
    requests, resolved, resolved on time — counted in the database."""
    queryset = Request.objects.all() if queryset is None else queryset
    return (
        queryset.values(
            "assigned_unit",
            "assigned_unit__code",
            "assigned_unit__name",
            "assigned_unit__district__code",
            "assigned_unit__district__name",
        )
        .annotate(
            total=Count("id"),
            resolved=Count("id", filter=Q(status=Request.Status.RESOLVED)),
            resolved_on_time=Count(
                "id", filter=Q(status=Request.Status.RESOLVED, resolved_on__lte=F("due_date"))
            ),
        )
        .order_by("assigned_unit__district__code", "assigned_unit__code")
    )
