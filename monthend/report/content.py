"""The 专项报告's content, as data (JSON-able): built from the month's ledger — the published
version when there is one — and the figures of pipeline.stats, the screening list, the exit
reviews, the 督办事项 (诉求 among them) with their rates, and the scorecard. A publication
freezes it (freeze_report), so the report of a published month never changes; the .docx
(monthend.report.docx) and the printable page render this data and nothing else.

    build_report(*, district, month, ledger_data=None, published=None) -> dict
    freeze_report(publication) -> None
    report_for(*, district, month, version=None) -> (data, Publication | None)
"""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import add_months, month_end
from exits.models import ExitReview
from exits.screening import screening
from monthend.models import Publication
from monthend.scorecard import scorecard as compute_scorecard
from monthend.scorecard import scorecard_store
from monthend.selectors import publication_of
from pipeline.asof import as_of_day
from pipeline.filters import as_month
from pipeline.ledger import ledger
from pipeline.ledger_json import ledger_from_json, ledger_json
from pipeline.publishing import district_filters, published_ledger
from pipeline.stats import compare, statistics, statistics_compared
from projects.lifecycle import LEDGER_COLUMNS, PIPELINE_STAGES, Stage
from projects.models import Unit
from supervision.models import Letter, Task
from supervision.rates import task_rates

KEY_PROJECTS = 10
OVERVIEW_FIGURES = (
    "signed_count",
    "contract_investment",
    "started_count",
    "producing_count",
    "funds_in_place",
    "high_tech_signed_count",
    "terminated_in_period_count",
    "reclaimed_land_mu",
    "reclaimed_building_m2",
    "exit_decided_count",
    "keep_decided_count",
)


def _pick(figures: dict) -> dict:
    return {name: figures.get(name) for name in OVERVIEW_FIGURES}


def _overview(district, first: dt.date, day: dt.date, data: dict) -> dict:
    filters = district_filters(district)
    month = statistics(first, day, filters=filters)["figures"]
    year_start = dt.date(day.year, 1, 1)
    ytd, before = (result["figures"] for result in statistics_compared(year_start, day, filters=filters))
    return {
        "month": _pick(month),
        "ytd": _pick(ytd),
        "ytd_compare": {name: value for name, value in compare(ytd, before, names=OVERVIEW_FIGURES).items()},
        "columns": [
            {
                "stage": stage,
                "label": str(LEDGER_COLUMNS[stage]),
                "count": data["summary"][stage]["count"],
                "total_investment": data["summary"][stage]["total_investment"],
                "overdue": data["summary"][stage]["overdue"],
            }
            for stage in PIPELINE_STAGES
        ],
        "totals": data["totals"],
        "movements": {
            key: data["movements"][key] for key in ("new", "advanced", "reached_capacity", "terminated")
        },
    }


def _key_projects(data: dict) -> list[dict]:
    rows = sorted(data.get("rows", ()), key=lambda row: (-row["total_investment"], row["code"]))[
        :KEY_PROJECTS
    ]
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "unit_name": row["unit_name"],
            "stage": row["stage"],
            "stage_label": str(Stage(row["stage"]).label),
            "total_investment": row["total_investment"],
            "funds_in_place_total": row["funds_in_place_total"],
            "is_overdue": row["is_overdue"],
            "progress": row["progress"],
            "problems": row["problems"],
        }
        for row in rows
    ]


def _problems(district, first: dt.date, day: dt.date) -> dict:
    """三、存在问题: the 督办事项 (诉求 among them) still open on the month's last day by the unit
    that must act, those past their due date; and the month's rates by unit from
    supervision.rates (the one definition): tasks due in the month closed on time (按期办结率),
    letters whose reply was due in the month replied on time."""
    tasks = Task.objects.filter(district=district, assigned_on__lte=day)
    still_open = ~Q(status=Task.Status.CLOSED) | Q(closed_on__gt=day)
    by_unit = {
        row["unit_id"]: row
        for row in tasks.filter(still_open)
        .values("unit_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=day)),
            open_requests=Count("pk", filter=Q(source=Task.Source.REQUEST)),
        )
        .order_by()
    }
    scope = {
        "tasks": Task.objects.filter(district=district),
        "letters": Letter.objects.filter(district=district),
    }
    rates = task_rates(start=first, end=day, group_by="unit", **scope)
    units = Unit.objects.in_bulk(list(set(by_unit) | set(rates)))
    rows = []
    for unit_id, unit in units.items():
        counts, month = by_unit.get(unit_id, {}), rates.get(unit_id, {})
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "open": counts.get("open", 0),
                "overdue": counts.get("overdue", 0),
                "open_requests": counts.get("open_requests", 0),
                "due": month.get("due_count", 0),
                "closed_on_time": month.get("closed_on_time_count", 0),
                "on_time_rate": month.get("on_time_rate"),
                "letters": month.get("letter_count", 0),
                "letters_on_time": month.get("replied_on_time_count", 0),
            }
        )
    rows.sort(key=lambda row: (-row["overdue"], -row["open"], row["unit"]))
    overdue = tasks.filter(still_open, due_date__lt=day).select_related("project", "unit")
    return {
        "tasks_by_unit": rows,
        "month_rates": task_rates(start=first, end=day, **scope),
        "overdue_tasks": [
            {
                "project": item.project.name if item.project_id else "",
                "unit_name": item.unit.name,
                "source": str(item.get_source_display()),
                "content": item.content,
                "due_date": item.due_date,
            }
            for item in overdue.order_by("due_date", "id")[:20]
        ],
    }


def _exits(district, first: dt.date, day: dt.date) -> dict:
    listed = screening(first, filters=district_filters(district))
    decided = (
        ExitReview.objects.filter(project__district=district, decided_on__gte=first, decided_on__lte=day)
        .select_related("project__unit")
        .order_by("decided_on", "id")
    )
    return {
        "counts": listed["counts"],
        "results": [
            {
                key: row[key]
                for key in ("code", "name", "unit_name", "kind_label", "months_stuck", "stage_since")
            }
            | {"latest_decision": (row["latest_review"] or {}).get("decision")}
            for row in listed["results"]
        ],
        "kept": [
            {"code": row["code"], "name": row["name"], "kept_until": row["kept_until"]}
            for row in listed["kept"]
        ],
        "decisions": [
            {
                "code": review.project.code,
                "name": review.project.name,
                "unit_name": review.project.unit.name,
                "decision": review.decision,
                "decided_on": review.decided_on,
                "reason": review.decision_reason,
                "reclaimed_land_mu": review.reclaimed_land_mu,
                "reclaimed_building_m2": review.reclaimed_building_m2,
                "keep_until": review.keep_until,
            }
            for review in decided
        ],
    }


def _trend(district, first: dt.date) -> dict:
    start = add_months(first, -11)
    result = statistics(start, month_end(first), filters=district_filters(district), group_by="month")
    return {
        "months": [entry["group"] for entry in result["results"]],
        "signed": [entry["figures"]["signed_count"] for entry in result["results"]],
        "started": [entry["figures"]["started_count"] for entry in result["results"]],
        "funds": [entry["figures"]["funds_in_place"] for entry in result["results"]],
    }


def build_report(*, district, month, ledger_data=None, published=None, scorecard=None) -> dict:
    """Everything the report says, as of the month's last day (see the module docstring)."""
    first = as_month(month)
    day = as_of_day(first)
    data = ledger_data if ledger_data is not None else ledger(first, filters=district_filters(district))
    if scorecard is None:
        scorecard = ledger_json(
            compute_scorecard(district=district, date_from=dt.date(day.year, 1, 1), date_to=day)
        )
    bureau = _("%(district)s招商投资局") % {"district": district.name}
    return ledger_json(
        {
            "title": _("%(district)s招商引资项目专项报告") % {"district": district.name},
            "period": _("%(year)s年%(month)s月") % {"year": first.year, "month": first.month},
            "prepared_by": bureau,
            "district": {"code": district.code, "name": district.name},
            "month": f"{first:%Y-%m}",
            "as_of": day,
            "published": published,
            "generated_at": timezone.localtime(),
            "overview": _overview(district, first, day, data),
            "key_projects": _key_projects(data),
            "problems": _problems(district, first, day),
            "exits": _exits(district, first, day),
            "scorecard": scorecard,
            "trend": _trend(district, first),
        }
    )


def _published_info(publication) -> dict:
    record = publication.ledger
    by = record.published_by
    return {
        "version": record.version,
        "published_at": timezone.localtime(record.published_at),
        "published_by": (by.get_full_name() or by.username) if by else "",
        "gaps": publication.gaps,
    }


def freeze_report(publication) -> None:
    """Freeze the report of a publication: its ledger as published, the year-to-date scorecard
    stored with it, everything else as of now."""
    record = publication.ledger
    day = as_of_day(record.month)
    stored = scorecard_store(
        district=record.district, date_from=dt.date(day.year, 1, 1), date_to=day, publication=publication
    )
    publication.report = build_report(
        district=record.district,
        month=record.month,
        ledger_data=ledger_from_json(record.data),
        published=_published_info(publication),
        scorecard=stored.data,
    )
    publication.report_docx = None
    publication.save(update_fields=["report", "report_docx"])


def report_for(*, district, month, version=None):
    """(data, publication): the frozen report of the month's latest (or given) publication —
    frozen now if it was published before reports were — or, unpublished, a draft built now."""
    publication = publication_of(district, month, version)
    if publication is None:
        # A month published before publications were checked: its ledger is frozen all the same.
        record = published_ledger(district, month, version)
        if record is not None:
            publication = Publication.objects.get_or_create(ledger=record, defaults={"preflight": {}})[0]
    if publication is not None:
        if publication.report is None:
            freeze_report(publication)
        return publication.report, publication
    return build_report(district=district, month=month), None
