"""Taking a project in: it is created in the `negotiating` stage together with its first
stage event, the one every later milestone follows."""

import datetime as dt

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, record, snapshot
from core.dates import clean_date, local_today
from core.errors import DateInFuture, MissingField
from pipeline.models import StageEvent
from pipeline.transitions import event_changes
from projects.lifecycle import Stage
from projects.models import Project
from projects.services import (
    PROJECT_EDITABLE_FIELDS,
    check_investor_attachable,
    project_code_issue,
    refuse_unknown_fields,
    validate_model,
)


@atomic
def project_create(*, by, negotiation_started_on: dt.date | None = None, note: str = "", **fields) -> Project:
    """Create a project in the `negotiating` stage, in the district of its responsible unit,
    with a generated code and its first stage event dated when negotiations began."""
    refuse_unknown_fields(fields, PROJECT_EDITABLE_FIELDS)
    unit = fields.get("unit")
    if unit is None:
        raise MissingField(_("请选择责任单位。"), field="unit")
    roles.require(roles.can_create_in_unit(by, unit), _("您只能为本单位（本区）新建项目。"))
    check_investor_attachable(by, fields.get("investor"), unit.district_id)
    started_on = (
        local_today()
        if negotiation_started_on is None
        else clean_date(negotiation_started_on, "negotiation_started_on")
    )
    if started_on > local_today():
        raise DateInFuture(_("开始洽谈日期不能晚于今天。"), field="negotiation_started_on")
    project = Project(
        **fields,
        district_id=unit.district_id,
        stage=Stage.NEGOTIATING,
        stage_since=started_on,
        negotiation_started_on=started_on,
        created_by=by if getattr(by, "pk", None) else None,
        code="pending",
    )
    validate_model(project, exclude=["code"])
    project.code = project_code_issue(unit.district, started_on.year)
    project.save()
    event = StageEvent.objects.create(
        project=project, stage=Stage.NEGOTIATING, date=started_on, note=note, recorded_by=by
    )
    record(
        "project.created",
        project,
        by=by,
        changes=created(snapshot(project, ("code", "district", *PROJECT_EDITABLE_FIELDS))),
    )
    record("event.recorded", event, by=by, project=project, changes=event_changes(event))
    return project
