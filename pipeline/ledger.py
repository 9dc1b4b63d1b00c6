"""The monthly ledger (月度台账): every project's stage as of a month's last day, computed from
the standing stage events dated on or before that day, so a back-dated entry changes past
months and any past month can be recomputed.

Entry points (all reads; `user` scopes by role, None means unscoped for commands/benchmarks;
`filters` is the project filter data (projects.filters) — `stage` and `is_overdue` apply to
the as-of stage and flag, the others to the project's facts):

    ledger_summary(month, *, user=None, filters=None) -> dict
        {stage: {"count", "total_investment", "overdue"}} for the five ledger columns; one
        aggregate query (plus the filter's own reference look-ups).
    ledger(month, *, user=None, filters=None, rows=True) -> dict
        {"month", "as_of", "summary", "totals", "movements", "rows"}; the summary carries each
        section's totals (LEDGER_TOTAL_FIELDS); a constant number of queries however many rows.

The stages as of the day come from pipeline.asof; the JSON form is pipeline.ledger_json's and
the sections the page and the workbook lay out are pipeline.sections'.

`month` is a date (any day of the month) or 'YYYY-MM'.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.money import money
from pipeline.asof import AsOf, as_of_day, as_of_parts
from pipeline.filters import as_month, report_projects
from pipeline.models import MonthlyProgress, StageEvent
from projects.lifecycle import (
    LEDGER_COLUMNS,
    LEDGER_TOTAL_FIELDS,
    MOVEMENT_KINDS,
    PIPELINE_STAGES,
    Stage,
    months_in_stage,
)

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal("0.00")


def _filtered(user, filters):
    """The projects of the ledger, and its as-of stage and overdue filters (pipeline.filters)."""
    projects, data = report_projects(filters, user=user)
    return projects, data.get("stage") or [], data.get("is_overdue")


# --- summary -------------------------------------------------------------------------------


def _empty_summary() -> dict:
    return {
        stage: {"label": str(LEDGER_COLUMNS[stage]), "count": 0, "total_investment": ZERO, "overdue": 0}
        for stage in PIPELINE_STAGES
    }


def ledger_summary(month, *, user=None, filters=None) -> dict:
    """Count, total investment and overdue count per ledger column as of the month's last day
    (today, for the month under way).

    One aggregate query: each project's latest standing event on or before the day, grouped."""
    first = as_month(month)
    day = as_of_day(first)
    projects, stages, overdue = _filtered(user, filters)
    return _summary_from(projects, day, stages, overdue)


def _summary_from(projects, day, stages, overdue) -> dict:
    """One query: both as-of parts grouped by stage, joined by UNION ALL."""
    current, earlier = (
        part.narrowed(day, stages, overdue)
        .queryset.order_by()
        .values(part.stage)
        .annotate(
            n=Count(part.project_id),
            investment=Sum(part.field("total_investment")),
            n_overdue=Count(part.project_id, filter=part.overdue_q(day)),
        )
        .values_list(part.stage, "n", "investment", "n_overdue")
        for part in as_of_parts(day, projects)
    )
    summary = _empty_summary()
    for stage, count, investment, n_overdue in current.union(earlier, all=True):
        entry = summary.get(stage)
        if entry is not None:
            entry["count"] += count
            entry["total_investment"] += money(investment)
            entry["overdue"] += n_overdue
    return summary


def summary_totals(summary: dict) -> dict:
    return {
        "count": sum(entry["count"] for entry in summary.values()),
        "total_investment": sum((entry["total_investment"] for entry in summary.values()), ZERO),
        "overdue": sum(entry["overdue"] for entry in summary.values()),
    }


# --- the full ledger -----------------------------------------------------------------------


ROW_FIELDS = (
    "code",
    "name",
    "district__code",
    "district__name",
    "unit__code",
    "unit__name",
    "park__code",
    "park__name",
    "industry__code",
    "industry__name",
    "investor__name",
    "investor__is_high_tech",
    "lead_official",
    "total_investment",
    "planned_production_date",
)


def _annotated(part: AsOf, first: dt.date, day: dt.date):
    """The part's queryset with each row's as-of figures: the milestones reached by the day,
    the month's progress and the cumulative funds in place."""
    project = OuterRef(part.project_id)

    def progress(field):
        return Subquery(MonthlyProgress.objects.filter(project=project, month=first).values(field)[:1])

    def by_day(milestone, value, output_field):
        # Milestones after the day had not happened yet.
        return Case(
            When(**{f"{part.field(milestone)}__lte": day}, then=F(part.field(value))),
            output_field=output_field,
        )

    cumulative = (
        MonthlyProgress.objects.filter(project=project, month__lte=first)
        .order_by()
        .values("project")
        .annotate(total=Sum("funds_in_place"))
        .values("total")
    )
    return part.queryset.annotate(
        row_overdue=Case(When(part.overdue_q(day), then=Value(True)), default=Value(False)),
        signed_as_of=by_day("signed_on", "signed_on", DateField()),
        started_as_of=by_day("started_on", "started_on", DateField()),
        contract_as_of=by_day("signed_on", "contract_investment", MONEY_FIELD),
        month_funds_in_place=progress("funds_in_place"),
        month_investment_completed=progress("investment_completed"),
        month_progress_text=progress("progress"),
        month_problems=progress("problems"),
        funds_in_place_total=Coalesce(
            Subquery(cumulative, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
        ),
    ).order_by()


def _row_values(part: AsOf, first: dt.date, day: dt.date):
    """The part's rows as plain values named alike in both parts (`project__code`,
    `row_stage`, `row_since`, …)."""
    renamed = {f"project__{name}": F(part.field(name)) for name in ROW_FIELDS} if part.project == "" else {}
    fields = [] if renamed else [f"project__{name}" for name in ROW_FIELDS]
    return _annotated(part, first, day).values(
        *fields,
        "row_overdue",
        "signed_as_of",
        "started_as_of",
        "contract_as_of",
        "month_funds_in_place",
        "month_investment_completed",
        "month_progress_text",
        "month_problems",
        "funds_in_place_total",
        row_project_id=F(part.project_id),
        row_stage=F(part.stage),
        row_since=F(part.since),
        **renamed,
    )


# The sections' totals (projects.lifecycle.LEDGER_TOTAL_FIELDS): the row field → what sums it.
TOTALS_OF = {
    "total_investment": lambda part: part.field("total_investment"),
    "contract_investment": lambda part: "contract_as_of",
    "month_funds_in_place": lambda part: "month_funds_in_place",
    "month_investment_completed": lambda part: "month_investment_completed",
    "funds_in_place_total": lambda part: "funds_in_place_total",
}


def _section_totals(projects, first, day, stages, overdue) -> dict:
    """{stage: {field: sum}} of the section totals of LEDGER_TOTAL_FIELDS, summed in the
    database: one query, both as-of parts grouped by stage and joined by UNION ALL."""
    current, earlier = (
        _annotated(part.narrowed(day, stages, overdue), first, day)
        .values(part.stage)
        .annotate(**{f"sum_{field}": Sum(TOTALS_OF[field](part)) for field in LEDGER_TOTAL_FIELDS})
        .values_list(part.stage, *(f"sum_{field}" for field in LEDGER_TOTAL_FIELDS))
        for part in as_of_parts(day, projects)
    )
    totals = {stage: dict.fromkeys(LEDGER_TOTAL_FIELDS, ZERO) for stage in PIPELINE_STAGES}
    for stage, *sums in current.union(earlier, all=True):
        if stage in totals:
            for field, value in zip(LEDGER_TOTAL_FIELDS, sums, strict=True):
                totals[stage][field] += money(value)
    return totals


def _row_values_of(projects, first, day, stages, overdue) -> list[dict]:
    """Both parts' rows, in project code order (two queries)."""
    values = []
    for part in as_of_parts(day, projects):
        values.extend(_row_values(part.narrowed(day, stages, overdue), first, day))
    values.sort(key=lambda row: row["project__code"])
    return values


def _row(values: dict, day: dt.date) -> dict:
    # Plain lookups: this runs once per row of an 11,000-row ledger.
    return {
        "id": values["row_project_id"],
        "code": values["project__code"],
        "name": values["project__name"],
        "stage": values["row_stage"],
        "stage_since": values["row_since"],
        "months_in_stage": months_in_stage(values["row_since"], day),
        "is_overdue": bool(values["row_overdue"]),
        "district": values["project__district__code"],
        "district_name": values["project__district__name"],
        "unit": values["project__unit__code"],
        "unit_name": values["project__unit__name"],
        "park": values["project__park__code"],
        "park_name": values["project__park__name"] or "",
        "industry": values["project__industry__code"],
        "industry_name": values["project__industry__name"],
        "investor_name": values["project__investor__name"] or "",
        "is_high_tech": bool(values["project__investor__is_high_tech"]),
        "lead_official": values["project__lead_official"],
        "total_investment": money(values["project__total_investment"]),
        "contract_investment": (
            money(values["contract_as_of"]) if values["contract_as_of"] is not None else None
        ),
        "signed_on": values["signed_as_of"],
        "started_on": values["started_as_of"],
        "planned_production_date": values["project__planned_production_date"],
        "month_funds_in_place": money(values["month_funds_in_place"]),
        "month_investment_completed": money(values["month_investment_completed"]),
        "progress": values["month_progress_text"] or "",
        "problems": values["month_problems"] or "",
        "funds_in_place_total": money(values["funds_in_place_total"]),
    }


def _movements(projects, first: dt.date, day: dt.date, *, items: bool) -> dict:
    """The month's movements: standing events effective within the month, by kind."""
    events = StageEvent.objects.filter(voided_at__isnull=True, date__gte=first, date__lte=day)
    if projects.query.has_filters():
        events = events.filter(project__in=projects.values("pk"))
    counts = dict.fromkeys(MOVEMENT_KINDS, 0)
    by_stage = dict.fromkeys(Stage.values, 0)
    # One standing event per project and stage, so counting events counts projects.
    for row in events.order_by().values("stage").annotate(n=Count("pk")):
        by_stage[row["stage"]] = row["n"]
    for kind, kind_stages in MOVEMENT_KINDS.items():
        counts[kind] = sum(by_stage[stage] for stage in kind_stages)
    result = {**counts, "by_stage": by_stage}
    if items:
        result["items"] = [
            {
                "project_id": row["project_id"],
                "code": row["project__code"],
                "name": row["project__name"],
                "unit_name": row["project__unit__name"],
                "from_stage": row["from_stage"],
                "stage": row["stage"],
                "date": row["date"],
                "contract_investment": (
                    money(row["contract_investment"]) if row["contract_investment"] is not None else None
                ),
            }
            for row in events.order_by("date", "id").values(
                "project_id",
                "project__code",
                "project__name",
                "project__unit__name",
                "from_stage",
                "stage",
                "date",
                "contract_investment",
            )
        ]
    return result


def ledger(month, *, user=None, filters=None, rows: bool = True) -> dict:
    """The ledger of `month` as of its last day: summary per column, totals, movements and
    (unless rows=False) every pipeline project's row grouped by column.

    Queries: the summary (1), the movement counts (1), the section totals (1), the rows (2: see
    as_of_parts) and the movement list (1), plus the filter's reference look-ups — the same for
    ten rows or a hundred thousand.
    The month under way is read as of today."""
    first = as_month(month)
    day = as_of_day(first)
    projects, stages, overdue = _filtered(user, filters)
    summary = _summary_from(projects, day, stages, overdue)
    data = {
        "month": f"{first:%Y-%m}",
        "as_of": day,
        "summary": summary,
        "totals": summary_totals(summary),
        "movements": _movements(projects, first, day, items=rows),
    }
    if rows:
        for stage, sums in _section_totals(projects, first, day, stages, overdue).items():
            summary[stage].update(sums)
        data["totals"].update(
            {
                field: sum((summary[stage][field] for stage in PIPELINE_STAGES), ZERO)
                for field in LEDGER_TOTAL_FIELDS
            }
        )
        values = _row_values_of(projects, first, day, stages, overdue)
        data["rows"] = [_row(row, day) for row in values]
    return data


def ledger_rows(month, *, filters=None, narrow=None) -> list[dict]:
    """The rows ledger() gives for `month`, of only the projects `narrow` keeps (two queries)."""
    first = as_month(month)
    day = as_of_day(first)
    projects, stages, overdue = _filtered(None, filters)
    if narrow is not None:
        projects = projects.filter(narrow)
    return [_row(values, day) for values in _row_values_of(projects, first, day, stages, overdue)]
