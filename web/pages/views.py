"""The home page: what needs the signed-in user's action now."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Case, DateField, Exists, OuterRef, Q, When
from django.shortcuts import render

from accounts import roles
from accounts.models import Role
from core.dates import local_today, month_start
from pipeline.models import MonthlyProgress
from pipeline.reminders import reminder_queryset
from pipeline.selectors import progress_due
from projects.lifecycle import NEXT_PLANNED
from projects.selectors import project_queryset
from supervision.selectors import board_order, task_queryset

SHOWN = 8
SOON_DAYS = 30


def _planned_soon(today: dt.date):
    window = (today, today + dt.timedelta(days=SOON_DAYS))
    query = Q(pk__in=[])
    for stage, field in NEXT_PLANNED.items():
        query |= Q(stage=stage, **{f"{field}__range": window})
    next_planned = Case(
        *[When(stage=stage, then=field) for stage, field in NEXT_PLANNED.items()],
        output_field=DateField(),
    )
    return query, next_planned


def _section(queryset):
    """The first rows of a list and how many there are (two queries, whatever the size)."""
    return {"rows": list(queryset[:SHOWN]), "count": queryset.count()}


@login_required
def home(request):
    user = request.user
    today = local_today()
    this_month = month_start(today)
    projects = project_queryset(user)
    soon_query, next_planned = _planned_soon(today)
    filed = MonthlyProgress.objects.filter(project=OuterRef("pk"), month=this_month)
    unfiled = progress_due(this_month, projects).exclude(Exists(filed)).order_by("unit__code", "code")
    late = _section(board_order(task_queryset(user).filter(overdue=True), user))
    context = {
        "today": today,
        "this_month": this_month,
        "overdue": _section(projects.filter(is_overdue=True).order_by("stage_since", "id")),
        "soon": _section(
            projects.filter(soon_query).annotate(next_planned=next_planned).order_by("next_planned", "id")
        ),
        "unfiled": _section(unfiled) if roles.can_file_progress(user) else None,
        "requests_late": late,
        "is_clerk": user.role == Role.UNIT_STAFF,
        "can_act": roles.can_write(user),  # read-only users are not offered 推进
        # 提示函 waiting for the unit's 签收 (unit staff only).
        "reminders_pending": (
            _section(reminder_queryset(user).filter(acknowledged_at__isnull=True).order_by("-month", "id"))
            if user.role == Role.UNIT_STAFF
            else None
        ),
    }
    return render(request, "web/pages/home.html", context)
