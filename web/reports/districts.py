"""The districts side by side (/districts/?month=YYYY-MM): the month's ledger summary and the
year's figures per district, from pipeline.districts (the same queries as the ledger and the
statistics). For readers who see several districts; a district's own people see their row."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.dates import add_months, format_month, local_today, month_start, parse_month
from core.errors import ServiceError
from pipeline.districts import district_comparison
from pipeline.stats import FIGURES, RATES

SHOWN_FIGURES = (
    "signed_count",
    "contract_investment",
    "started_count",
    "started_contract_investment",
    "producing_count",
    "funds_in_place",
    "high_tech_signed_count",
    "overdue_count",
)
SHOWN_RATES = ("signed_started_rate", "high_tech_share")


@login_required
def district_compare(request):
    latest = add_months(month_start(local_today()), -1)
    try:
        first = parse_month(request.GET.get("month", ""))
    except ValueError:
        first = latest
    first = min(first, month_start(local_today()))
    context = {"month": format_month(first), "latest": format_month(latest)}
    try:
        data = district_comparison(first, user=request.user)
    except ServiceError as error:
        context["error"] = error.message
        return render(request, "web/reports/districts.html", context, status=400)
    rows = data["districts"]
    stages = [entry["label"] for entry in rows[0]["summary"].values()] if rows else []
    context.update(
        data=data,
        stages=stages,
        figures=[(name, FIGURES[name]) for name in SHOWN_FIGURES],
        rates=[(name, RATES[name][2]) for name in SHOWN_RATES],
        month_label=_("%(year)s年%(month)s月") % {"year": first.year, "month": first.month},
        previous_month=format_month(add_months(first, -1)),
        next_month=format_month(add_months(first, 1)) if first < latest else None,
    )
    return render(request, "web/reports/districts.html", context)
