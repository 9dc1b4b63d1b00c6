"""The project page's 变更记录: the project's changes from the change log (changes.selectors),
newest first, with the fields named as the forms name them and the values as text."""

import json

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from changes.models import Channel
from changes.selectors import project_history
from exits.models import ExitReview
from pipeline.models import MonthlyProgress, Request, Review, StageEvent
from projects.models import Project

SHOWN = 100  # the latest changes on the page; the API gives all of them

MODELS = {
    "project": Project,
    "event": StageEvent,
    "review": Review,
    "progress": MonthlyProgress,
    "request": Request,
    "exit_review": ExitReview,
}

TYPES = {
    "project.created": _("创建项目"),
    "project.updated": _("修改项目"),
    "event.recorded": _("登记节点"),
    "event.voided": _("作废节点"),
    "review.recorded": _("登记审议"),
    "progress.saved": _("填报月度进展"),
    "request.created": _("提出诉求"),
    "request.resolved": _("办结诉求"),
    "exit_review.proposed": _("提请退出审议"),
    "exit_review.opinion_added": _("补充审议意见"),
    "exit_review.decided": _("作出退出审议决定"),
}


def _field(object_type: str, name: str):
    model = MODELS.get(object_type)
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


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
    """The names of every record the changes refer to: one query per kind of record."""
    wanted: dict = {}
    for change in changes:
        for name, pair in change.changes.items():
            field = _field(change.object_type, name)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in pair if isinstance(v, int))
    return {
        (model, pk): getattr(obj, "name", None) or str(obj)  # a unit by its name alone
        for model, ids in wanted.items()
        for pk, obj in model.objects.in_bulk(ids).items()
    }


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
