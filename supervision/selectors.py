"""督办 reads: every list is scoped by accounts.roles and joins what its readers show.

task_queryset(user)        the tasks `user` sees, with project, unit, meeting, letter and the
                           derived `overdue` flag and `colour` (红 overdue, 黄 due within
                           WARNING_DAYS, 绿 on track, none when closed)
task_filter(queryset, …)   the board's and the API's filters
late_steps(user)           推进方案 steps past their planned date with no actual date
project_supervision(project)   the 专班, its steps (late ones marked) and the open tasks
meeting_queryset(user), letter_queryset(user)
"""

import datetime as dt

from django.db.models import BooleanField, Case, CharField, Count, Prefetch, Q, Value, When

from accounts import roles
from core.dates import local_today
from pipeline.models import Reminder
from supervision.models import Letter, Meeting, PlanStep, Task, TaskForce, TaskStep

WARNING_DAYS = 7


class Colour:
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


def _open() -> Q:
    return ~Q(status=Task.Status.CLOSED)


def with_flags(queryset, today: dt.date | None = None):
    today = today or local_today()
    soon = today + dt.timedelta(days=WARNING_DAYS)
    return queryset.annotate(
        overdue=Case(
            When(_open() & Q(due_date__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        colour=Case(
            When(status=Task.Status.CLOSED, then=Value("")),
            When(due_date__lt=today, then=Value(Colour.RED)),
            When(due_date__lte=soon, then=Value(Colour.YELLOW)),
            default=Value(Colour.GREEN),
            output_field=CharField(),
        ),
    )


def task_queryset(user):
    return with_flags(
        Task.objects.filter(roles.task_scope(user)).select_related(
            "project", "unit", "district", "meeting", "letter", "closed_by", "created_by"
        )
    )


def with_steps(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "steps",
            queryset=TaskStep.objects.select_related("by", "from_unit", "to_unit").order_by("at", "id"),
        )
    )


def task_filter(
    queryset,
    *,
    unit=None,
    project=None,
    source=None,
    status=None,
    overdue=None,
    due_from=None,
    due_to=None,
    colour=None,
):
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if project is not None:
        queryset = queryset.filter(project=project)
    if source:
        queryset = queryset.filter(source=source)
    if status:
        queryset = queryset.filter(status=status)
    if overdue is not None:
        queryset = queryset.filter(overdue=overdue)
    if due_from is not None:
        queryset = queryset.filter(due_date__gte=due_from)
    if due_to is not None:
        queryset = queryset.filter(due_date__lte=due_to)
    if colour:
        queryset = queryset.filter(colour=colour)
    return queryset


def board_order(queryset, user):
    """The board's order: a unit's staff see their own unit's tasks first; then open before
    closed, the most urgent first."""
    mine = Q(unit_id=user.unit_id) if roles.is_unit_staff(user) and user.unit_id else Q(pk__in=[])
    return queryset.annotate(
        mine=Case(When(mine, then=Value(0)), default=Value(1)),
        closed=Case(When(status=Task.Status.CLOSED, then=Value(1)), default=Value(0)),
    ).order_by("mine", "closed", "due_date", "id")


def counts_by_colour(queryset) -> dict:
    row = queryset.aggregate(
        red=Count("id", filter=Q(colour=Colour.RED)),
        yellow=Count("id", filter=Q(colour=Colour.YELLOW)),
        green=Count("id", filter=Q(colour=Colour.GREEN)),
    )
    return row


def late_steps(user, today: dt.date | None = None):
    today = today or local_today()
    return (
        PlanStep.objects.filter(roles.project_scope(user, "task_force__project__"))
        .filter(done_on__isnull=True, planned_on__lt=today)
        .select_related("task_force__project", "task_force__lead_unit")
        .order_by("planned_on", "id")
    )


def project_supervision(project, user, today: dt.date | None = None) -> dict:
    today = today or local_today()
    force = (
        TaskForce.objects.filter(project=project)
        .select_related("lead_unit")
        .prefetch_related("members", "steps")
        .first()
    )
    steps = list(force.steps.all()) if force else []
    for step in steps:
        step.late = step.done_on is None and step.planned_on < today
    return {
        "task_force": force,
        "members": list(force.members.all()) if force else [],
        "steps": steps,
        "late_count": sum(1 for step in steps if step.late),
        "open_tasks": list(
            task_queryset(user).filter(project=project).filter(_open()).order_by("due_date", "id")
        ),
    }


def meeting_queryset(user):
    return (
        Meeting.objects.filter(roles.meeting_scope(user))
        .select_related("district", "recorded_by")
        .annotate(task_count=Count("tasks", distinct=True))
    )


def meeting_detail(meeting_id: int, user):
    meeting = (
        Meeting.objects.filter(roles.meeting_scope(user))
        .select_related("district", "recorded_by")
        .prefetch_related("units", "projects")
        .get(pk=meeting_id)
    )
    tasks = list(
        with_flags(Task.objects.filter(meeting=meeting).select_related("unit", "project")).order_by("id")
    )
    return meeting, tasks


def letter_queryset(user, today: dt.date | None = None):
    today = today or local_today()
    return (
        Letter.objects.filter(reminder__in=Reminder.objects.filter(roles.reminder_scope(user)).values("pk"))
        .select_related("reminder", "reminder__unit", "district", "replied_by")
        .annotate(
            overdue=Case(
                When(replied_on__isnull=True, reply_due__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
