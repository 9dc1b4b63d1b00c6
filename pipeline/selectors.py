"""Reads of the lifecycle records (events, reviews, progress) and of projects with their
cumulative funds, scoped by role and with related rows joined."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.roles import project_scope
from core.dates import month_range
from pipeline.asof import as_of_day, as_of_parts
from pipeline.models import MonthlyProgress, Review, StageEvent
from projects.lifecycle import PROGRESS_STAGES
from projects.selectors import project_queryset


def project_with_totals(user):
    """As project_queryset, plus the cumulative funds in place (for details and the API)."""
    funds = (
        MonthlyProgress.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("funds_in_place"))
        .values("total")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return project_queryset(user).annotate(
        funds_in_place_total=Coalesce(
            Subquery(funds, output_field=money), Value(Decimal("0")), output_field=money
        )
    )


def project_events(project):
    """A project's history, oldest first, voided events included: the record is never
    rewritten, a void only marks an event."""
    return project.events.select_related("recorded_by", "voided_by", "review").order_by("date", "id")


def project_reviews(project):
    """A project's 审议 records, oldest first, rejections included."""
    return project.reviews.select_related("recorded_by").order_by("date", "id")


def project_progress(project):
    """A project's monthly progress records, oldest month first."""
    return project.progress.select_related("updated_by").order_by("month", "id")


def event_queryset(user):
    """Stage events of every project `user` may see (for incremental pulls)."""
    return StageEvent.objects.filter(project_scope(user, "project__")).select_related(
        "recorded_by", "voided_by", "review"
    )


def progress_queryset(user):
    """Monthly progress records of every project `user` may see (for incremental pulls)."""
    return MonthlyProgress.objects.filter(project_scope(user, "project__")).select_related("updated_by")


def progress_due(first, projects):
    """The projects of `projects` that owe the progress of the month beginning `first`: those
    standing in a stage of PROGRESS_STAGES (拟开工 / 拟投产 / 投产未达产) on the month's last
    day — today while the month lasts — by their as-of stage (pipeline.asof.as_of_parts, so
    a back-dated milestone changes what a past month owed). The one definition of who owes a
    report: the home page's to-do list, the pre-flight and the scorecard read it."""
    owing = Q()
    for part in as_of_parts(as_of_day(first), projects):
        standing = part.queryset.filter(**{f"{part.stage}__in": PROGRESS_STAGES})
        owing |= Q(pk__in=standing.values(part.project_id))
    return projects.filter(owing)


def review_queryset(user):
    """审议 records of every project `user` may see (for incremental pulls and the feed)."""
    return Review.objects.filter(project_scope(user, "project__")).select_related("recorded_by")


def filed_months(user, first, last) -> set[str]:
    """The months ("YYYY-MM") from `first` to `last` for which any of `user`'s projects has
    progress filed: a month with none is not yet filed (a chart marks it so, not as a drop to 0).
    One index probe a month that stops at the first row found (a DISTINCT over the months' rows
    read 50,000 of them for a district's year)."""
    filed = MonthlyProgress.objects.filter(project_scope(user, "project__"))
    return {f"{month:%Y-%m}" for month in month_range(first, last) if filed.filter(month=month).exists()}
