"""The project page's 变更记录: the project's changes from the change log (changes.selectors),
newest first, with the fields named as the forms name them and the values as text."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from changes.models import Channel
from changes.selectors import project_history
from exits.models import ExitReview
from pipeline.models import MonthlyProgress, Request, Review, StageEvent
from projects.models import District, Industry, Investor, Park, Project, Unit
from supervision.models import Meeting, Task, TaskForce

SHOWN = 100  # the latest changes on the page; the API gives all of them

# Referenced records shown by name (the field holding it); one query reads them all.
NAMED = {
    District: "name",
    Unit: "name",
    Park: "name",
    Industry: "name",
    Investor: "name",
    get_user_model(): "username",
}

MODELS = {
    "project": Project,
    "event": StageEvent,
    "review": Review,
    "progress": MonthlyProgress,
    "request": Request,
    "exit_review": ExitReview,
    "task": Task,
    "task_force": TaskForce,
    "meeting": Meeting,
}

TYPES = {
    "project.created": _("创建项目"),
    "project.updated": _("修改项目"),
    "event.recorded": _("登记节点"),
    "event.voided": _("作废节点"),
    "review.recorded": _("登记审议"),
    "review.voided": _("审议随节点作废"),
    "progress.saved": _("填报月度进展"),
    "request.created": _("提出诉求"),
    "request.resolved": _("办结诉求"),
    "exit_review.proposed": _("提请退出审议"),
    "exit_review.opinion_added": _("补充审议意见"),
    "exit_review.decided": _("作出退出审议决定"),
    "task.created": _("交办督办事项"),
    "task.reported": _("报送办理情况"),
    "task.closed": _("验收销号"),
    "task.rejected": _("退回督办事项"),
    "task.reassigned": _("改派督办事项"),
    "task_force.saved": _("保存专班"),
    "meeting.recorded": _("登记调度会商"),
}


def _field(object_type: str, name: str):
    """The model field a change's key names (a reverse relation or an unknown key: None)."""
    model = MODELS.get(object_type)
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _text(value, field, names) -> str:
    """A stored value as the page shows it: a choice by its label, a reference by its name."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if field is not None and field.is_relation:
        return names.get((field.related_model, value), str(value))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _names(changes) -> dict:
    """The names of the records the changes refer to (districts, units, parks, industries,
    investors, people) in one query, whatever they are; other references stay ids."""
    wanted: dict = {model: {0} for model in NAMED}  # 0: no such row, keeps the query's shape
    for change in changes:
        for name, pair in change.changes.items():
            field = _field(change.object_type, name)
            if field is not None and field.is_relation and field.related_model in NAMED:
                wanted[field.related_model].update(v for v in pair if isinstance(v, int))
    parts = [
        model.objects.filter(pk__in=ids).order_by().values_list(Value(model._meta.label), "pk", NAMED[model])
        for model, ids in wanted.items()
    ]
    labels = {model._meta.label: model for model in NAMED}
    return {(labels[label], pk): name for label, pk, name in parts[0].union(*parts[1:], all=True)}


def project_history_rows(project) -> list[dict]:
    changes = list(project_history(project.pk).order_by("-seq")[:SHOWN])
    channels = dict(Channel.choices)
    names = _names(changes)
    rows = []
    for change in changes:
        fields = []
        for name, (old, new) in change.changes.items():
            field = _field(change.object_type, name)
            shown = (_text(old, field, names), _text(new, field, names))
            if shown != ("—", "—"):
                fields.append((str(field.verbose_name) if field is not None else name, *shown))
        rows.append(
            {
                "at": change.at,
                "user": change.user.username if change.user else "—",
                "channel": channels.get(change.channel, change.channel),
                "what": TYPES.get(change.type, change.type),
                "fields": fields,
            }
        )
    return rows
