"""The as-of engine: every project's stage on a day, computed from the standing stage events
dated on or before it, so a back-dated entry or a voiding changes past days and any past day
can be recomputed. The ledger (pipeline.ledger), the figures (pipeline.stats), the reminders,
the screening and the pre-flight all read stages through it.

    as_of_day(first) -> the day a month is read on (its last day; today while it lasts)
    as_of_parts(day, projects) -> (AsOf, AsOf): every project's stage that day, in two parts
    latest_events(day, projects=None) -> each project's latest standing event by the day
    as_of_overdue_q(day) -> the stale rule on such an event row
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.dates import local_today, month_end
from pipeline.models import StageEvent
from projects.lifecycle import PIPELINE_STAGES
from projects.overdue import overdue_q


def as_of_day(first: dt.date) -> dt.date:
    """The day a month's ledger is read on: its last day, or today while the month lasts (a
    project is not overdue on a day that has not come)."""
    return min(month_end(first), local_today())


def standing_until(day: dt.date):
    return StageEvent.objects.filter(voided_at__isnull=True, date__lte=day)


def latest_events(day: dt.date, projects=None):
    """Each project's latest standing event effective on or before `day`: its stage is the
    project's stage that day and its date the stage-since date.

    An anti-join ("no later standing event by that day"), so the stage and the date are plain
    columns of one row: filters, the stale rule and sums read them without re-running a
    subquery per project. `projects`, when it narrows anything, limits the projects."""
    later = (
        standing_until(day)
        .filter(project=OuterRef("project"))
        .filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
    )
    events = standing_until(day).filter(~Exists(later))
    if projects is not None and projects.query.has_filters():
        events = events.filter(project__in=projects.values("pk"))
    return events


def as_of_overdue_q(day: dt.date) -> Q:
    """The stale rule of projects.overdue on an event row (its stage and date as of `day`)."""
    return overdue_q(day, stage="stage", since="date", planned_production="project__planned_production_date")


@dataclass(frozen=True)
class AsOf:
    """One part of the as-of query: a queryset of projects' stages on a day, and what the
    project, its as-of stage and its stage-since date are called in it."""

    queryset: QuerySet
    project: str  # the path to the project's fields: "" (a Project queryset) or "project__"
    stage: str
    since: str
    project_id: str

    def field(self, name: str) -> str:
        return f"{self.project}{name}"

    def overdue_q(self, day: dt.date) -> Q:
        return overdue_q(
            day, stage=self.stage, since=self.since, planned_production=self.field("planned_production_date")
        )

    def narrowed(self, day: dt.date, stages, overdue) -> "AsOf":
        queryset = self.queryset.filter(**{f"{self.stage}__in": stages or PIPELINE_STAGES})
        if overdue is not None:
            condition = self.overdue_q(day)
            queryset = queryset.filter(condition) if overdue else queryset.exclude(condition)
        return replace(self, queryset=queryset)


def as_of_parts(day: dt.date, projects) -> tuple[AsOf, AsOf]:
    """Every project's stage on `day`, as two parts that hold each project at most once.

    A project whose current stage began on or before the day was already in it that day: its
    standing events are in date order (pipeline.transitions refuses an earlier date) and its
    `stage`/`stage_since` are those of the latest of them (written in the same transaction).
    So only projects changed after the day need their events looked up — few for a recent
    month — and the rest is one scan of the projects. Same result as latest_events() for all;
    5× faster at 100k projects (docs/benchmarks.md)."""
    current = AsOf(
        projects.filter(stage_since__lte=day), project="", stage="stage", since="stage_since", project_id="pk"
    )
    earlier = AsOf(
        latest_events(day, projects.filter(stage_since__gt=day)),
        project="project__",
        stage="stage",
        since="date",
        project_id="project_id",
    )
    return current, earlier
