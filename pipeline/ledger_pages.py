"""The ledger a page at a time: one ledger column's rows, or the month's movements, in slices.

A large district's month has some 11,000 rows (docs/benchmarks.md): rendering them all took
seconds and sent megabytes. The page shows the totals of every column from the summary
(pipeline.ledger.ledger_summary, one aggregate query), each column's rows a page at a time
here, and the whole list in the Excel download. Same rows, same order (project code), same
fields as pipeline.ledger.ledger(); a page costs three queries whatever the month's size.

Entry points (reads; `user` and `filters` as in pipeline.ledger):

    section_rows(month, *, stage, offset, limit, user=None, filters=None) -> list[dict]
        Rows offset..offset+limit of the ledger column `stage` (pipeline.ledger row dicts).
    movement_items(month, *, offset, limit, user=None, filters=None) -> list[dict]
        The month's movement items offset..offset+limit (date order), as ledger()["movements"]["items"].
    add_section_totals(data, month, *, user=None, filters=None) -> dict
        A ledger computed without rows gets its sections' totals (one query, summed in the
        database as pipeline.ledger.ledger() does), so each column's totals row stays whole.
    paged(count, page, per_page) -> dict
        The page numbers for a list of `count` entries: page (clamped), pages, offset, start, end.
"""

from dataclasses import replace

from django.db.models import F

from core.money import money
from pipeline.asof import as_of_day, as_of_parts
from pipeline.filters import as_month
from pipeline.ledger import ZERO, _filtered, _row, _row_values, _section_totals
from pipeline.models import StageEvent
from projects.lifecycle import LEDGER_TOTAL_FIELDS, PIPELINE_STAGES

PAGE_SIZE = 50


def paged(count: int, page, per_page: int = PAGE_SIZE) -> dict:
    """Page `page` (1-based; anything unreadable is 1, past the end is the last) of `count`."""
    pages = max(1, -(-count // per_page))
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), pages)
    offset = (number - 1) * per_page
    return {
        "page": number,
        "pages": pages,
        "offset": offset,
        "start": offset + 1 if count else 0,
        "end": min(offset + per_page, count),
        "count": count,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
    }


def add_section_totals(data: dict, month, *, user=None, filters=None) -> dict:
    first = as_month(month)
    day = as_of_day(first)
    projects, stages, overdue = _filtered(user, filters)
    summary = data["summary"]
    for stage, sums in _section_totals(projects, first, day, stages, overdue).items():
        summary[stage].update(sums)
    data["totals"].update(
        {
            field: sum((summary[stage][field] for stage in PIPELINE_STAGES), ZERO)
            for field in LEDGER_TOTAL_FIELDS
        }
    )
    return data


def section_rows(month, *, stage: str, offset: int, limit: int, user=None, filters=None) -> list[dict]:
    """One slice of a ledger column, in project code order.

    Two parts hold each project's stage as of the day (pipeline.ledger.as_of_parts): the slice's
    project ids come from one UNION of both ordered by code, then the slice's rows from the
    same row query the full ledger uses, limited to those ids."""
    first = as_month(month)
    day = as_of_day(first)
    projects, stages, overdue = _filtered(user, filters)
    if stages and stage not in stages:
        return []
    parts = [part.narrowed(day, [stage], overdue) for part in as_of_parts(day, projects)]
    current, earlier = (
        part.queryset.order_by()
        .annotate(row_key=F(part.field("code")), row_pk=F(part.project_id))
        .values_list("row_key", "row_pk")
        for part in parts
    )
    ids = [pk for _code, pk in current.union(earlier, all=True).order_by("row_key")[offset : offset + limit]]
    if not ids:
        return []
    values = []
    for part in parts:
        narrowed = replace(part, queryset=part.queryset.filter(**{f"{part.project_id}__in": ids}))
        values.extend(_row_values(narrowed, first, day))
    values.sort(key=lambda row: row["project__code"])
    return [_row(row, day) for row in values]


def movement_items(month, *, offset: int, limit: int, user=None, filters=None) -> list[dict]:
    """One slice of the month's movements: standing events effective within the month (the
    same events pipeline.ledger counts), in date order."""
    first = as_month(month)
    day = as_of_day(first)
    projects, _stages, _overdue = _filtered(user, filters)
    events = StageEvent.objects.filter(voided_at__isnull=True, date__gte=first, date__lte=day)
    if projects.query.has_filters():
        events = events.filter(project__in=projects.values("pk"))
    rows = events.order_by("date", "id").values(
        "project_id",
        "project__code",
        "project__name",
        "project__unit__name",
        "from_stage",
        "stage",
        "date",
        "contract_investment",
    )[offset : offset + limit]
    return [
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
        for row in rows
    ]
