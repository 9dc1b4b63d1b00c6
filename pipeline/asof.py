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

from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, QuerySet, Value, When

from core.dates import local_today, month_end
from pipeline.models import StageEvent
from projects.lifecycle import DATE_FIELDS, FORWARD, PIPELINE_STAGES, Stage
from projects.overdue import overdue_q

# The stages in the order a project's standing events reach them, latest first: termination
# ends any history, and the forward steps are taken one at a time (projects.lifecycle).
_LATEST_FIRST = (Stage.TERMINATED, *reversed(FORWARD))


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


def _stage_on(day: dt.date) -> tuple[Case, Case]:
    """The stage a project stood in on `day`, and since when, read from its own derived date
    fields: the latest stage whose date is on or before the day (None before the project began)."""
    reached = [(stage, DATE_FIELDS[stage]) for stage in _LATEST_FIRST]
    stage = Case(
        *(When(**{f"{field}__lte": day}, then=Value(str(name))) for name, field in reached),
        output_field=CharField(),
    )
    since = Case(
        *(When(**{f"{field}__lte": day}, then=F(field)) for _name, field in reached),
        output_field=DateField(),
    )
    return stage, since


def as_of_parts(day: dt.date, projects) -> tuple[AsOf, AsOf]:
    """Every project's stage on `day`, as two parts that hold each project at most once, both
    read from the projects' own rows (one scan, no event look-ups).

    A project's standing events are its forward steps in order, one each, then perhaps its
    termination: a milestone is recorded only one step after the latest standing event and never
    dated before it, and only the latest event can be voided (pipeline.transitions). Its derived
    date fields (`signed_on`, `started_on`, …) are those events' dates, written with them in one
    transaction. So the latest standing event on or before a day is the furthest stage whose date
    is on or before it, same-day events included (ordered by entry, which is stage order).

    - current: projects whose current stage began on or before the day (their `stage` and
      `stage_since`, so the stage index serves a filter on it);
    - earlier: projects changed after the day, their stage that day from the date fields.

    The same result as latest_events() (a property test in tests/test_ledger.py checks it on
    random histories with voids and terminations); 5-8x faster than looking up events for a
    day a year back at 100k projects (docs/benchmarks.md)."""
    current = AsOf(
        projects.filter(stage_since__lte=day), project="", stage="stage", since="stage_since", project_id="pk"
    )
    stage, since = _stage_on(day)
    earlier = AsOf(
        projects.filter(stage_since__gt=day, negotiation_started_on__lte=day).annotate(
            asof_stage=stage, asof_since=since
        ),
        project="",
        stage="asof_stage",
        since="asof_since",
        project_id="pk",
    )
    return current, earlier
