"""The city reader's home: a read-only overview of each district it sees, side by side.

The year's figures come from pipeline.stats grouped by district (the same query as the statistics
page); the pipeline and the late 诉求 are counted per district in one query each.
"""

import datetime as dt

from django.db.models import Count

from accounts import roles
from core.dates import add_months, month_start
from monthend.selectors import published_districts
from pipeline.stats import statistics
from projects.lifecycle import PIPELINE_STAGES
from projects.models import District, Project
from supervision.selectors import task_queryset


def district_overview(user, today: dt.date) -> list[dict]:
    """One row per district `user` sees: the month being closed and whether the previous month is
    published, the projects in the pipeline, and the year's figures so far."""
    districts = list(District.objects.filter(roles.district_scope(user, "pk")).order_by("code"))
    year = statistics(dt.date(today.year, 1, 1), today, user=user, group_by="district")
    figures = {entry["group"]: entry["figures"] for entry in year["results"]}
    pipeline = dict(
        Project.objects.filter(roles.project_scope(user), stage__in=PIPELINE_STAGES)
        .values_list("district__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late = dict(
        task_queryset(user)
        .filter(overdue=True)
        .values_list("district__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    previous = add_months(month_start(today), -1)
    published = published_districts(previous)
    rows = []
    for district in districts:
        shown = figures.get(district.code, {})
        rows.append(
            {
                "district": district,
                "previous_month": previous,
                "published": district.pk in published,
                "closing_month": month_start(today) if district.pk in published else previous,
                "pipeline": pipeline.get(district.code, 0),
                "late_requests": late.get(district.code, 0),
                **{name: shown.get(name, 0) for name in _FIGURES},
            }
        )
    return rows


_FIGURES = ("signed_count", "contract_investment", "started_count", "funds_in_place", "overdue_count")
