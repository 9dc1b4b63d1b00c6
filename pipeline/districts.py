"""The districts side by side, for readers who see several (city users): the ledger's summary per
district and the year's figures per district, each computed once in the database by the same
code as the single-district views (pipeline.ledger's as-of parts, pipeline.stats grouped by
district).

    ledger_summary_by_district(month, *, user, filters) -> {district_code: {"summary", "totals"}}
        One query: both as-of parts grouped by district and ledger column (UNION ALL).
    district_comparison(month, *, user, filters) -> {"month", "from", "to", "districts": [...]}
        Each district the user sees: its name, the month's ledger summary and totals, and the
        figures of the year up to the month's end (pipeline.stats.statistics).
"""

import datetime as dt

from django.db.models import Count, Sum

from accounts import roles
from core.dates import month_end
from pipeline.filters import as_month, report_projects
from pipeline.ledger import ZERO, as_of_day, as_of_parts, money, summary_totals
from pipeline.stats import rates, statistics
from projects.lifecycle import LEDGER_COLUMNS, PIPELINE_STAGES
from projects.models import District


def _empty() -> dict:
    return {
        stage: {"label": str(LEDGER_COLUMNS[stage]), "count": 0, "total_investment": ZERO, "overdue": 0}
        for stage in PIPELINE_STAGES
    }


def ledger_summary_by_district(month, *, user=None, filters=None) -> dict:
    first = as_month(month)
    day = as_of_day(first)
    projects, data = report_projects(filters or {}, user=user)
    stages, overdue = data.get("stage") or [], data.get("is_overdue")
    current, earlier = (
        part.narrowed(day, stages, overdue)
        .queryset.order_by()
        .values(part.field("district__code"), part.stage)
        .annotate(
            n=Count(part.project_id),
            investment=Sum(part.field("total_investment")),
            n_overdue=Count(part.project_id, filter=part.overdue_q(day)),
        )
        .values_list(part.field("district__code"), part.stage, "n", "investment", "n_overdue")
        for part in as_of_parts(day, projects)
    )
    summaries: dict[str, dict] = {}
    for code, stage, count, investment, n_overdue in current.union(earlier, all=True):
        entry = summaries.setdefault(code, _empty()).get(stage)
        if entry is not None:
            entry["count"] += count
            entry["total_investment"] += money(investment)
            entry["overdue"] += n_overdue
    return {
        code: {"summary": summary, "totals": summary_totals(summary)} for code, summary in summaries.items()
    }


def district_comparison(month, *, user=None, filters=None) -> dict:
    first = as_month(month)
    date_from, date_to = dt.date(first.year, 1, 1), min(month_end(first), as_of_day(first))
    ledgers = ledger_summary_by_district(first, user=user, filters=filters)
    year = statistics(date_from, date_to, user=user, filters=filters, group_by="district")
    figures = {entry["group"]: entry["figures"] for entry in year["results"]}
    districts = District.objects.order_by("code")
    if user is not None:
        districts = districts.filter(roles.district_scope(user, "pk"))
    rows = []
    for district in districts:
        ledger = ledgers.get(district.code) or {"summary": _empty(), "totals": summary_totals(_empty())}
        shown = figures.get(district.code) or {name: 0 for name in year["figures"]}
        rows.append(
            {
                "code": district.code,
                "name": district.name,
                "summary": ledger["summary"],
                "totals": ledger["totals"],
                "figures": shown,
                "rates": rates(shown),
            }
        )
    return {"month": f"{first:%Y-%m}", "from": date_from, "to": date_to, "districts": rows}
