"""The month-end screening list (mechanism 5): every project stuck as of a month's last day —
谈而未定、定而未落 and 逾期未投产 by the stale rule (projects.overdue), and 投而未达, producing
for more than N months without reaching capacity (N = settings.UNDERPERFORM_MONTHS, 24) — with
how long it has been stuck and what was decided about it before.

A project kept by an exit review (decision `keep`) leaves the list until its keep-until date
and returns after it; it is listed under `kept` meanwhile. It still counts as overdue in every
figure: the list is the work queue of the reviews, not a figure.

    screening(month, *, user=None, filters=None) -> dict
        {"month", "as_of", "underperform_months", "results", "kept", "counts"}; three queries
        (the two as-of parts of pipeline.ledger, and the reviews of the listed projects).
    screening_q(part, day) -> Q   the condition on an as-of part (pipeline.ledger.AsOf)
    kept_until(project, day=None) -> date | None
"""

import datetime as dt

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from core.dates import add_months, full_months_between, local_today, month_start
from core.errors import InvalidValue
from core.money import money
from exits.models import Choice, ExitReview
from pipeline.asof import as_of_day, as_of_parts
from pipeline.filters import as_month, report_projects
from projects.lifecycle import OVERDUE_REASONS, Stage, months_in_stage

# Why a project is on the list, by its as-of stage.
KINDS = {
    "negotiation_stalled": OVERDUE_REASONS[Stage.NEGOTIATING],  # 谈而未定
    "not_started": OVERDUE_REASONS[Stage.SIGNED],  # 定而未落
    "production_late": OVERDUE_REASONS[Stage.STARTED],  # 逾期未投产
    "not_at_capacity": _("投而未达"),
}
KIND_OF_STAGE = {
    Stage.NEGOTIATING: "negotiation_stalled",
    Stage.APPROVED: "negotiation_stalled",
    Stage.SIGNED: "not_started",
    Stage.STARTED: "production_late",
    Stage.PRODUCING: "not_at_capacity",
}

FIELDS = (
    "code",
    "name",
    "unit__code",
    "unit__name",
    "district__code",
    "industry__name",
    "total_investment",
    "land_area_mu",
    "building_area_m2",
    "planned_production_date",
)


def underperform_cutoff(day: dt.date) -> dt.date:
    """A project producing since before this date has gone N months without reaching capacity."""
    return add_months(day, -settings.UNDERPERFORM_MONTHS)


def screening_q(part, day: dt.date) -> Q:
    """Overdue by the stale rule, or 投而未达, on an as-of part of pipeline.ledger."""
    return part.overdue_q(day) | Q(
        **{part.stage: Stage.PRODUCING, f"{part.since}__lt": underperform_cutoff(day)}
    )


def _keep_covering(project_ref, day: dt.date):
    """Keep decisions taken by `day` that still hold on it (their date not passed)."""
    return ExitReview.objects.filter(
        project=project_ref, decision=Choice.KEEP, decided_on__lte=day, keep_until__gte=day
    )


def kept_until(project, day: dt.date | None = None) -> dt.date | None:
    """The date until which an exit review keeps `project` in the pool, if one does on `day`."""
    day = day or local_today()
    review = _keep_covering(project, day).order_by("-keep_until").first()
    return review.keep_until if review else None


def _rows(part, day: dt.date):
    """The part's projects on the list (or kept off it), as plain values named alike."""
    kept = _keep_covering(OuterRef(part.project_id), day).order_by("-keep_until").values("keep_until")[:1]
    return (
        part.queryset.filter(screening_q(part, day))
        .annotate(kept_until=Subquery(kept))
        .order_by()
        .values(
            "kept_until",
            row_id=F(part.project_id),
            row_stage=F(part.stage),
            row_since=F(part.since),
            **{f"p_{name}": F(part.field(name)) for name in FIELDS},
        )
    )


def _months_stuck(stage: str, since: dt.date, planned: dt.date | None, day: dt.date) -> int:
    if stage == Stage.STARTED and planned:
        return full_months_between(planned, day)  # months past the planned production date
    return months_in_stage(since, day)


def _review_brief(review: ExitReview, day: dt.date) -> dict:
    decided = bool(review.decision) and review.decided_on <= day
    return {
        "id": review.pk,
        "proposal": review.proposal,
        "opened_on": review.opened_on,
        "decision": review.decision if decided else None,
        "decided_on": review.decided_on if decided else None,
        "keep_until": review.keep_until if decided else None,
        "reclaimed_land_mu": review.reclaimed_land_mu if decided else None,
    }


def _latest_reviews(project_ids, day: dt.date) -> tuple[dict, dict]:
    """Each listed project's latest review opened by `day`, and how many it has had."""
    latest: dict[int, ExitReview] = {}
    counts: dict[int, int] = {}
    for review in ExitReview.objects.filter(project_id__in=project_ids, opened_on__lte=day).order_by(
        "project_id", "opened_on", "id"
    ):
        latest[review.project_id] = review
        counts[review.project_id] = counts.get(review.project_id, 0) + 1
    return latest, counts


def screening(month, *, user=None, filters=None) -> dict:
    """The screening list as of the month's last day (today while the month lasts)."""
    first = as_month(month)
    if first > month_start(local_today()):
        raise InvalidValue(
            _("%(month)s 尚未开始，没有筛查名单。") % {"month": f"{first:%Y-%m}"}, field="month"
        )
    day = as_of_day(first)
    projects, _data = report_projects(filters, user=user)
    values = []
    for part in as_of_parts(day, projects):
        values.extend(_rows(part, day))
    latest, counts = _latest_reviews([row["row_id"] for row in values], day)
    listed, kept = [], []
    tally = dict.fromkeys(KINDS, 0)
    for row in sorted(values, key=lambda r: r["p_code"]):
        kind = KIND_OF_STAGE[row["row_stage"]]
        review = latest.get(row["row_id"])
        entry = {
            "id": row["row_id"],
            "code": row["p_code"],
            "name": row["p_name"],
            "unit": row["p_unit__code"],
            "unit_name": row["p_unit__name"],
            "district": row["p_district__code"],
            "industry_name": row["p_industry__name"],
            "stage": row["row_stage"],
            "stage_since": row["row_since"],
            "kind": kind,
            "kind_label": str(KINDS[kind]),
            "months_stuck": _months_stuck(
                row["row_stage"], row["row_since"], row["p_planned_production_date"], day
            ),
            "planned_production_date": row["p_planned_production_date"],
            "total_investment": money(row["p_total_investment"]),
            "land_area_mu": row["p_land_area_mu"],
            "building_area_m2": row["p_building_area_m2"],
            "kept_until": row["kept_until"],
            "reviews": counts.get(row["row_id"], 0),
            "latest_review": _review_brief(review, day) if review else None,
        }
        if row["kept_until"]:
            kept.append(entry)
        else:
            listed.append(entry)
            tally[kind] += 1
    return {
        "month": f"{first:%Y-%m}",
        "as_of": day,
        "underperform_months": settings.UNDERPERFORM_MONTHS,
        "results": listed,
        "kept": kept,
        "counts": tally,
    }
