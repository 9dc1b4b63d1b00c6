"""The ledger, statistics and dashboard pages: thin views over pipeline.ledger, pipeline.stats,
pipeline.publishing, pipeline.exports and pipeline.charts (the code the API uses too)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.dates import add_months, format_month, local_today, month_end, month_start, parse_month
from core.errors import ServiceError
from monthend.publication import month_publish
from monthend.selectors import publication_of
from pipeline import charts
from pipeline.districts import ledger_summary_by_district
from pipeline.exports import XLSX_CONTENT_TYPE, ledger_heading, stats_heading
from pipeline.filters import GROUP_LABELS, LedgerFilter, StatsFilter
from pipeline.ledger import ledger_summary
from pipeline.ledger_pages import PAGE_SIZE, add_section_totals, movement_items, paged, section_rows
from pipeline.reports import (
    ledger_filters,
    ledger_request,
    ledger_workbook,
    report_area,
    stats_area,
    stats_request,
    stats_workbook,
)
from pipeline.sections import ledger_sections, section_table
from pipeline.selectors import filed_months
from pipeline.stats import (
    DECIMAL_FIGURES,
    FIGURES,
    LOWER_IS_BETTER,
    MONEY_FIGURES,
    RATES,
    compare,
    statistics,
)
from projects.lifecycle import LEDGER_COLUMNS, PIPELINE_STAGES, Stage
from projects.models import District
from web.pages.forms import scope_filter_form

LEDGER_PAGE_SIZE = PAGE_SIZE  # rows of a ledger column (and movements) per page
LEDGER_FILTERS = ("search", "district", "unit", "park", "industry", "stage", "is_overdue")
STATS_FILTER_FIELDS = ("district", "unit", "park", "industry")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _filter_form(request, filterset_class, names):
    """The report's filterset form (pipeline.filters), limited to `names`, its choices what the
    reader may see (web.pages.forms.scope_filter_form: the district only for city-wide readers)."""
    form = filterset_class(request.GET or None, queryset=None).form
    for name in list(form.fields):
        if name not in names:
            del form.fields[name]
    scope_filter_form(form, request.user)
    return form


@login_required
def ledger_latest(request):
    """/ledger/ → the last complete month."""
    month = add_months(month_start(local_today()), -1)
    return redirect("ledger-month", month=format_month(month))


def _month_or_none(value: str):
    try:
        return parse_month(value)
    except ValueError:
        return None


@login_required
def ledger_month(request, month: str):
    first = _month_or_none(month)
    form = _filter_form(request, LedgerFilter, LEDGER_FILTERS)
    # The filters (and version) for the month links and the Excel; a page number stays here.
    query = request.GET.copy()
    for name in [name for name in query if name.startswith("page_")]:
        del query[name]
    context = {"form": form, "month": month, "query": query.urlencode()}
    if first is None:
        context["error"] = _("月份格式应为 YYYY-MM，收到“%(month)s”。") % {"month": month[:16]}
        return render(request, "web/reports/ledger.html", context, status=404)
    try:
        data = ledger_request(first, request.GET, user=request.user, rows=False)
    except ServiceError as error:
        context["error"] = error.message
        context.update(_month_nav(first))
        return render(request, "web/reports/ledger.html", context, status=400)
    filters = ledger_filters(request.GET)
    context.update(
        data=data,
        sections=_paged_sections(request, data, first, filters),
        movement_page=_movement_page(request, data, first, filters),
        area=report_area(data.get("district"), request.user),
        heading=ledger_heading(
            report_area(data.get("district"), request.user), data["month"], data.get("published")
        ),
        month_label=_("%(year)s年%(month)s月") % {"year": first.year, "month": first.month},
        stage_labels=dict(Stage.choices),
        # The month under way is read as of today (pipeline.asof.as_of_day), not its last day.
        month_under_way=data["as_of"] < month_end(first),
        **_month_nav(first),
        **_month_end(data, first, request.user),
        **_districts(data, first, request),
    )
    return render(request, "web/reports/ledger.html", context)


def _districts(data: dict, first, request) -> dict:
    """For a reader of several districts (no single district chosen): a 区县 column and each
    district's subtotals per ledger column (pipeline.districts, one query)."""
    if data.get("district") or not roles.sees_several_districts(request.user):
        return {"several_districts": False}
    filters = {name: request.GET.getlist(name) for name in LEDGER_FILTERS if any(request.GET.getlist(name))}
    by_code = ledger_summary_by_district(first, user=request.user, filters=filters)
    names = dict(District.objects.filter(code__in=list(by_code)).values_list("code", "name"))
    subtotals = [
        {"code": code, "name": names.get(code, code), **entry} for code, entry in sorted(by_code.items())
    ]
    return {"several_districts": True, "district_subtotals": subtotals}


def _page_link(request, name: str, number: int) -> str:
    """The request's query with page `name` set to `number`."""
    query = request.GET.copy() if request.GET else QueryDict(mutable=True)
    query[name] = str(number)
    return "?" + query.urlencode()


def _paged_sections(request, data: dict, first, filters) -> list[dict]:
    """The ledger's sections (pipeline.ledger.ledger_sections), each with one page of its rows
    (?page_<stage>=N, pipeline.ledger_pages): the count and the totals stay the whole
    column's, the full list is in the Excel."""
    if "rows" not in data:
        add_section_totals(data, first, user=request.user, filters=filters)
    sections = ledger_sections(data, page=True, cells=False)
    for section in sections:
        name = f"page_{section['stage']}"
        page = paged(section["count"], request.GET.get(name), LEDGER_PAGE_SIZE)
        if "rows" in data:  # a published version holds its rows
            rows = section["rows"][page["offset"] : page["offset"] + LEDGER_PAGE_SIZE]
        elif section["count"]:
            rows = section_rows(
                first,
                stage=section["stage"],
                offset=page["offset"],
                limit=LEDGER_PAGE_SIZE,
                user=request.user,
                filters=filters,
            )
        else:
            rows = []
        section["rows"] = rows
        section["table"] = section_table(section, rows)
        for key in ("previous", "next"):
            page[f"{key}_url"] = _page_link(request, name, page[key]) if page[key] else None
        section["paging"] = page
    return sections


def _movement_page(request, data: dict, first, filters) -> dict:
    """One page of the month's movement items (?page_moves=N)."""
    movements = data["movements"]
    count = len(movements["items"]) if "items" in movements else sum(movements["by_stage"].values())
    page = paged(count, request.GET.get("page_moves"), LEDGER_PAGE_SIZE)
    if "items" in movements:
        items = movements["items"][page["offset"] : page["offset"] + LEDGER_PAGE_SIZE]
    elif count:
        items = movement_items(
            first, offset=page["offset"], limit=LEDGER_PAGE_SIZE, user=request.user, filters=filters
        )
    else:
        items = []
    for key in ("previous", "next"):
        page[f"{key}_url"] = _page_link(request, "page_moves", page[key]) if page[key] else None
    return {"items": items, "paging": page}


def _month_end(data: dict, first, user) -> dict:
    """The month end beside the ledger (monthend): the gaps a published version was published
    with, and whether the reader may download the district's 专项报告."""
    district = data.get("district")
    record = District.objects.filter(code=district["code"]).first() if district else None
    if record is None:
        return {"publication": None, "has_report": False}
    published = data.get("published")
    return {
        "publication": publication_of(record, first, published["version"]) if published else None,
        "has_report": roles.sees_whole_district(user, record.pk),
    }


def _month_nav(first: dt.date) -> dict:
    current = month_start(local_today())
    # Only a month before this one has a next month to link to (and 9999-12 has none at all).
    following = add_months(first, 1) if first < current else None
    return {
        "previous_month": format_month(add_months(first, -1)),
        "next_month": format_month(following) if following else None,
        "this_month": format_month(first),
    }


@login_required
def ledger_export(request, month: str):
    """The ledger being viewed — its filters and its version — as a workbook."""
    try:
        data = ledger_request(month, request.GET, user=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("ledger")
    return _xlsx(*ledger_workbook(data, user=request.user))


@login_required
@require_POST
def ledger_publish_view(request, month: str):
    district_id = request.user.home_district_id
    district = District.objects.filter(pk=district_id).first() if district_id else None
    target = reverse("ledger-month", kwargs={"month": month})
    if district is None:
        messages.error(request, _("只有本区招商投资局管理人员可以发布月度台账。"))
        return redirect(target)
    try:
        record = month_publish(
            district=district,
            month=month,
            by=request.user,
            note=request.POST.get("note", ""),
            confirm_gaps=request.POST.get("confirm_gaps") == "on",
        ).ledger
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(target)
    messages.success(
        request,
        _("已发布%(district)s %(month)s 台账（第%(version)s版）。")
        % {"district": district.name, "month": month, "version": record.version},
    )
    return redirect(target)


# --- statistics -----------------------------------------------------------------------------


def _figure_rows(result, previous) -> list[dict]:
    comparison = compare(result["figures"], previous["figures"])
    rows = []
    for name, label in FIGURES.items():
        entry = comparison[name]
        tone = _tone(name, entry)
        rows.append({"name": name, "label": label, "money": name in MONEY_FIGURES, "tone": tone, **entry})
    return rows


def _cells(figures: dict) -> list:
    """A group's figures in the order of the table's headings (FIGURES): (value, has decimals)."""
    return [(figures.get(name), name in DECIMAL_FIGURES) for name in FIGURES]


def _tone(name: str, entry: dict) -> str:
    """How a change reads: "same" (shown as 持平, not ▲ 0.0%), "good" or "bad" — a fall is good
    news for the figures where lower is better (逾期)."""
    change = entry.get("change")
    if change is None:
        return ""
    if change == 0:
        return "same"
    return "good" if (change > 0) != (name in LOWER_IS_BETTER) else "bad"


def _rate_rows(result, previous) -> list[dict]:
    comparison = compare(result["rates"], previous["rates"], names=RATES)
    return [{"name": name, "label": label, **comparison[name]} for name, (_num, _den, label) in RATES.items()]


def _this_year_so_far() -> tuple[dt.date, dt.date]:
    today = local_today()
    return dt.date(today.year, 1, 1), today


@login_required
def stats_page(request):
    default_from, default_to = _this_year_so_far()
    context = {
        "form": _filter_form(request, StatsFilter, STATS_FILTER_FIELDS),
        "date_from": default_from,
        "date_to": default_to,
        "group_by": request.GET.get("group_by") or None,
        "group_choices": list(GROUP_LABELS.items()),
        "query": request.GET.urlencode(),
    }
    try:
        report = stats_request(request.GET, user=request.user, default_period=_this_year_so_far())
    except ServiceError as failure:
        context["error"] = failure.message
        return render(request, "web/reports/stats.html", context, status=400)
    result, previous = report["result"], report["previous"]
    context.update(
        heading=stats_heading(stats_area(request.GET, user=request.user), result["from"], result["to"]),
        date_from=result["from"],
        date_to=result["to"],
        group_by=result["group_by"],
        result=result,
        previous_from=previous["from"],
        previous_to=previous["to"],
        figure_rows=_figure_rows(result, previous),
        rate_rows=_rate_rows(result, previous),
        group_label=GROUP_LABELS.get(result["group_by"], ""),
        figure_labels=list(FIGURES.values()),
        group_rows=[(entry["name"], _cells(entry["figures"])) for entry in result.get("results") or ()],
        group_total=_cells(result["figures"]),
    )
    return render(request, "web/reports/stats.html", context)


@login_required
def stats_export(request):
    try:
        report = stats_request(request.GET, user=request.user, default_period=_this_year_so_far())
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("stats")
    return _xlsx(*stats_workbook(report, user=request.user, params=request.GET))


# --- dashboard ------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """Charts people would rather look at than read: the stage funnel today, the last twelve
    months of signings / starts / funds in place, and this year's contract investment by
    industry. Four queries for the figures, whatever the number of projects."""
    today = local_today()
    this_month = month_start(today)
    summary = ledger_summary(this_month, user=request.user)
    first = add_months(this_month, -11)
    trend = statistics(first, month_end(this_month), user=request.user, group_by="month")
    year = statistics(dt.date(today.year, 1, 1), today, user=request.user, group_by="industry")
    months = [entry["group"] for entry in trend["results"]]
    industries = sorted(
        (entry for entry in year["results"] if entry["figures"]["contract_investment"]),
        key=lambda entry: entry["figures"]["contract_investment"],
        reverse=True,
    )[:10]
    context = {
        "today": today,
        "area": stats_area(QueryDict(), user=request.user),
        "summary": summary,
        "year": year,
        "trend": trend,
        "funnel": charts.funnel(
            [
                (str(LEDGER_COLUMNS[stage]), summary[stage]["count"], summary[stage]["total_investment"])
                for stage in PIPELINE_STAGES
            ],
            title=_("项目阶段漏斗"),
        ),
        "monthly": charts.monthly_trend(
            months,
            [
                (_("签约"), [entry["figures"]["signed_count"] for entry in trend["results"]]),
                (_("开工"), [entry["figures"]["started_count"] for entry in trend["results"]]),
            ],
            (_("资金到位"), [entry["figures"]["funds_in_place"] for entry in trend["results"]]),
            title=_("近12个月签约、开工与资金到位"),
            unfiled=set(months) - filed_months(request.user, first, this_month),
        ),
        "by_industry": charts.hbars(
            [(entry["name"], entry["figures"]["contract_investment"]) for entry in industries],
            title=_("本年签约合同投资额（按产业）"),
        ),
        "overdue_total": sum(entry["overdue"] for entry in summary.values()),
    }
    return render(request, "web/reports/dashboard.html", context)
