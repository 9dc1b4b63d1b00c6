"""The scorecard page (sortable, with a bar chart of completion against 序时进度) and its Excel
file: thin views over monthend.scorecard (the figures are pipeline.stats', by unit)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from core.dates import local_today
from core.errors import ServiceError
from monthend.exports import scorecard_xlsx_bytes
from monthend.scorecard import ITEMS, PENALTY, current_weights, scorecard_for, visible_rows, weights_set
from monthend.targets import targets_of, targets_set
from pipeline.exports import XLSX_CONTENT_TYPE
from pipeline.filters import year_period
from web.monthend.views import _district
from web.pages.access import deny_unless

WEIGHT_LABELS = {**ITEMS, PENALTY: gettext_lazy("每个期末逾期项目扣分")}
WEIGHT_ITEMS = tuple(WEIGHT_LABELS)

SORTS = {
    "rank": lambda row: (row["rank"] is None, row["rank"] or 0),
    "name": lambda row: row["name"],
    "signed": lambda row: -Decimal(row["completion"]["signed_count"] or -1),
    "contract": lambda row: -Decimal(row["completion"]["contract_investment"] or -1),
    "started": lambda row: -Decimal(row["completion"]["started_count"] or -1),
    "funds": lambda row: -Decimal(row["completion"]["funds_in_place"] or -1),
    "progress": lambda row: -Decimal(row["figures"]["progress_on_time_rate"] or -1),
    "tasks": lambda row: -Decimal(row["figures"].get("task_on_time_rate") or -1),
    "letters": lambda row: -Decimal(row["figures"].get("letter_on_time_rate") or -1),
    "overdue": lambda row: -row["figures"]["overdue_count"],
}


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 9999 else local_today().year


def _card(request):
    year = _year(request)
    district = _district(request, whole=False)
    date_from, date_to = year_period(year)  # the API's ?year= reads the same days
    data = scorecard_for(district=district, date_from=date_from, date_to=date_to)
    return year, district, visible_rows(data, request.user)


CHART_SERIES = (
    ("signed_count", "#1f5fa8", gettext_lazy("签约完成率")),
    ("contract_investment", "#2f855a", gettext_lazy("合同投资完成率")),
    ("funds_in_place", "#d97706", gettext_lazy("资金到位完成率")),
)


def completion_chart(rows, marker) -> str:
    """Each unit's completion of its signing, contract-investment and funds targets as bars,
    序时进度 as a line; units with no target are left out."""
    rows = [row for row in rows if any(row["completion"][key] is not None for key, _c, _l in CHART_SERIES)]
    width, row_h, label_w, top = 720, 40, 170, 30
    height = top + max(len(rows), 1) * row_h + 24
    scale = Decimal(150)  # the axis runs to 150 %
    plot = width - label_w - 60

    def x(value) -> float:
        return label_w + float(min(Decimal(str(value)), scale) / scale) * plot

    legend = "".join(
        f'<tspan fill="{colour}">■</tspan> {escape(str(label))} ' for _k, colour, label in CHART_SERIES
    )
    body = [
        f'<text x="{label_w}" y="16" font-size="12" fill="#1d2733">{legend}'
        f'<tspan fill="#be123c">┃</tspan> {escape(_("序时进度"))} {escape(str(marker))}%</text>'
    ]
    for index, row in enumerate(rows):
        y = top + index * row_h
        body.append(
            f'<text x="{label_w - 8}" y="{y + 22}" font-size="12" text-anchor="end" fill="#1d2733">'
            f"{escape(row['name'])}</text>"
        )
        for offset, (key, colour, _label) in enumerate(CHART_SERIES):
            value = row["completion"][key]
            if value is None:
                continue
            body.append(
                f'<rect x="{label_w}" y="{y + 4 + offset * 11}" '
                f'width="{max(x(value) - label_w, 1):.1f}" height="9" '
                f'fill="{colour}"><title>{escape(row["name"])} {escape(value)}%</title></rect>'
            )
    line = x(marker)
    body.append(
        f'<line x1="{line:.1f}" y1="{top - 4}" x2="{line:.1f}" y2="{height - 20}" '
        f'stroke="#be123c" stroke-width="2"/>'
    )
    for tick in (0, 50, 100, 150):
        body.append(
            f'<text x="{x(tick):.1f}" y="{height - 6}" font-size="11" fill="#5f6b7a" '
            f'text-anchor="middle">{tick}%</text>'
        )
    title = escape(_("完成率与序时进度"))
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{title}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>{"".join(body)}</svg>'
    )


@login_required
def scorecard_page(request):
    try:
        year, district, data = _card(request)
    except ServiceError as error:
        return render(request, "web/monthend/scorecard.html", {"error": error.message}, status=400)
    sort = request.GET.get("sort", "rank")
    rows = sorted(data["results"], key=SORTS.get(sort, SORTS["rank"]))
    marker = data["time_progress"]
    for row in rows:
        row["behind"] = {
            key: value is not None and Decimal(str(value)) < Decimal(str(marker))
            for key, value in row["completion"].items()
        }
    context = {
        "year": year,
        "district": district,
        "data": data,
        "rows": rows,
        "sort": sort,
        "chart": completion_chart(rows, marker),
        "query": request.GET.urlencode(),
    }
    return render(request, "web/monthend/scorecard.html", context)


@login_required
def scorecard_export(request):
    year, district, data = _card(request)
    content = scorecard_xlsx_bytes(data, area=district.name)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''scorecard-{district.code}-{year}.xlsx"
    return response


TARGET_INPUTS = ("signed_count", "contract_investment", "started_count", "funds_in_place")


@login_required
def targets_page(request):
    """A manager sets the year's targets per unit and for the district (a change needs a
    reason); the weights of the scorecard are set here too. Everyone who sees the district reads."""
    year = _year(request)
    district = _district(request, whole=False)
    may_set = roles.can_set_targets(request.user, district.pk)
    if request.method == "POST":
        deny_unless(may_set)
        post = request.POST
        try:
            if post.get("form") == "weights":
                weights_set(
                    district=district,
                    by=request.user,
                    weights={
                        name: post.get(f"weight-{name}")
                        for name in WEIGHT_ITEMS
                        if post.get(f"weight-{name}")
                    },
                )
                messages.success(request, _("已保存考核权重。"))
            else:
                # The page sets the four main figures; the subsets set over the API are kept.
                current = targets_of(district, year)
                kept = {row["unit"]: row for row in current["units"]}
                units = [
                    {
                        **{k: v for k, v in kept.get(code, {}).items() if k != "name"},
                        "unit": code,
                        **{name: post.get(f"{code}-{name}") or None for name in TARGET_INPUTS},
                    }
                    for code in post.getlist("unit")
                ]
                targets_set(
                    district=district,
                    year=year,
                    by=request.user,
                    units=units,
                    total={
                        **current["total"],
                        **{name: post.get(f"total-{name}") or None for name in TARGET_INPUTS},
                    },
                    reason=post.get("reason", ""),
                    advanced_industry=current["advanced_industry"],
                )
                messages.success(request, _("已保存%(year)s年目标任务。") % {"year": year})
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(f"{reverse('targets')}?year={year}")
    data = targets_of(district, year)
    weights = current_weights(district)
    context = {
        "year": year,
        "district": district,
        "data": data,
        "may_set": may_set,
        "inputs": TARGET_INPUTS,
        "weights": [(name, label, weights.get(name, "")) for name, label in WEIGHT_LABELS.items()],
    }
    return render(request, "web/monthend/targets.html", context)
