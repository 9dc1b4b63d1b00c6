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
        {"month", "as_of", "summary", "totals", "movements", "rows", "columns"}; a constant
        number of queries however many rows.
    ledger_json(data) / ledger_from_json(data)
        to and from the JSON form stored by publishing and sent by the API.

`month` is a date (any day of the month) or 'YYYY-MM'.
"""

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.dates import local_today, month_end
from pipeline.filters import as_month, report_projects
from pipeline.models import MonthlyProgress, StageEvent
from projects.lifecycle import (
    LEDGER_COLUMNS,
    LEDGER_TOTAL_FIELDS,
    MOVEMENT_KINDS,
    PIPELINE_STAGES,
    Stage,
    ledger_table,
    months_in_stage,
)
from projects.overdue import overdue_q

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

ROW_MONEY = (
    "total_investment",
    "contract_investment",
    "month_funds_in_place",
    "month_investment_completed",
    "funds_in_place_total",
)
ROW_DATES = ("stage_since", "signed_on", "started_on", "planned_production_date")


def money(value) -> Decimal:
    """Two decimals, never None (SQLite may hand back floats or integers)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def as_of_day(first: dt.date) -> dt.date:
    """The day a month's ledger is read on: its last day, or today while the month lasts (a
    project is not overdue on a day that has not come)."""
    return min(month_end(first), local_today())


# --- the as-of stage, from the events -------------------------------------------------------


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
    def project(field):
        return values[f"project__{field}"]

    return {
        "id": values["row_project_id"],
        "code": project("code"),
        "name": project("name"),
        "stage": values["row_stage"],
        "stage_since": values["row_since"],
        "months_in_stage": months_in_stage(values["row_since"], day),
        "is_overdue": bool(values["row_overdue"]),
        "district": project("district__code"),
        "district_name": project("district__name"),
        "unit": project("unit__code"),
        "unit_name": project("unit__name"),
        "park": project("park__code"),
        "park_name": project("park__name") or "",
        "industry": project("industry__code"),
        "industry_name": project("industry__name"),
        "investor_name": project("investor__name") or "",
        "is_high_tech": bool(project("investor__is_high_tech")),
        "lead_official": project("lead_official"),
        "total_investment": money(project("total_investment")),
        "contract_investment": (
            money(values["contract_as_of"]) if values["contract_as_of"] is not None else None
        ),
        "signed_on": values["signed_as_of"],
        "started_on": values["started_as_of"],
        "planned_production_date": project("planned_production_date"),
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


def ledger_sections(data: dict, *, page: bool = False) -> list[dict]:
    """The ledger's sections in column order, each with its summary, its totals (as computed
    in the database), its columns (projects.lifecycle.ledger_table: the page's, or all of them
    for the workbook) and its rows; for the page, each row's cells — (column, its values) —
    and the totals row's — (column, its total)."""
    sections = {}
    for stage in PIPELINE_STAGES:
        entry = data["summary"][stage]
        sections[stage] = {
            **entry,
            "stage": stage,
            "label": str(LEDGER_COLUMNS[stage]),
            "columns": ledger_table(stage, page=page),
            "totals": {field: entry.get(field) for field in LEDGER_TOTAL_FIELDS},
            "rows": [],
        }
    for row in data.get("rows", ()):
        if row["stage"] in sections:
            sections[row["stage"]]["rows"].append(row)
    if page:
        for section in sections.values():
            section["table"] = [
                (
                    row,
                    [(column, [row.get(field) for field in column.fields]) for column in section["columns"]],
                )
                for row in section["rows"]
            ]
            section["footer"] = [(column, section["totals"].get(column.key)) for column in section["columns"]]
    return list(sections.values())


# --- JSON form (published ledgers, the API) --------------------------------------------------


def ledger_json(data: dict) -> dict:
    """Decimals as '0.00' strings, dates as ISO strings: what is stored and sent."""
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _to_date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value


def _to_money(value):
    return money(value) if value is not None else None


def _sums_from_json(entry: dict) -> dict:
    # A version published before the sections had totals of their own carries only the investment.
    return {**entry, **{field: money(entry[field]) for field in LEDGER_TOTAL_FIELDS if field in entry}}


def ledger_from_json(data: dict) -> dict:
    """The JSON form back into Decimals and dates, so pages and exports read one shape."""
    data = dict(data)
    data["as_of"] = _to_date(data["as_of"])
    data["summary"] = {stage: _sums_from_json(entry) for stage, entry in data["summary"].items()}
    data["totals"] = _sums_from_json(data["totals"])
    movements = dict(data["movements"])
    if "items" in movements:
        movements["items"] = [
            {
                **item,
                "date": _to_date(item["date"]),
                "contract_investment": _to_money(item["contract_investment"]),
            }
            for item in movements["items"]
        ]
    data["movements"] = movements
    if "rows" in data:
        converted = []
        for row in data["rows"]:
            row = dict(row)
            for key in ROW_MONEY:
                if key in row:
                    row[key] = _to_money(row[key])
            for key in ROW_DATES:
                if key in row:
                    row[key] = _to_date(row[key])
            converted.append(row)
        data["rows"] = converted
    return data
