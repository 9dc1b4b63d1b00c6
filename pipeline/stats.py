"""The year's figures (docs/design.md, The figures): one definition, shared by the statistics
page, the dashboard, the Excel export and the API.

Entry point:

    statistics(date_from, date_to, *, user=None, filters=None, group_by=None) -> dict
        {"from", "to", "group_by", "figures": {...}, "rates": {...}} and, when grouped,
        "results": [{"group", "name", "figures", "rates"}, ...]. Four queries (the projects
        joined to their events, to their monthly progress, and the stocks as of `to` in two
        parts) plus one per registered record model and the filter's reference look-ups;
        grouped or not, however many projects.
    statistics_compared(date_from, date_to, ..., previous=True) -> (result, previous)
        The same, with the ungrouped figures of the same days a year before read by the same
        queries (a FILTER per period): the year-on-year columns of the page and the workbook.
    compare(current, previous) -> {figure: {"current", "previous", "change", "change_pct"}}

Definitions, for a period [from, to] (both inclusive) and a project filter:
- signed_count / contract_investment: standing `signed` events dated in the period; the sum
  of their contract investment. A project terminated later still counts for its signing.
- started_count / started_contract_investment: standing `started` events in the period; the
  sum of those projects' contract investment.
- producing_count: standing `producing` events in the period.
- high_tech_signed_count: signed in the period by a high-tech enterprise.
- signed_and_started_count / signed_and_producing_count: started (in production) in the
  period and signed in the period too (当年签约当年开工 / 当年投产).
- terminated_in_period_count: standing `terminated` events in the period (the period's exits).
- funds_in_place: monthly progress funds of every month that overlaps the period.
- reclaimed_land_mu / reclaimed_building_m2: the land (亩) and buildings (m²) reclaimed by the
  exits of the period (their standing `terminated` events).
- record counts registered by an app above pipeline (register_record_counts): records of its
  own about projects, dated in the period (exits counts the exit reviews decided each way).
- terminated_count, overdue_count: stocks as of `to` — projects terminated, and projects
  overdue (the stale rule), by their stage that day. A `to` still ahead is read as today:
  nobody is overdue on a day that has not come.
Voided events never count. A project has at most one standing event per stage, so counting
events counts projects.

Grouping: by the project's own industry node / unit / park / district, or by the month of
the event (cohort figures by the month of the start or production). Group figures add up to
the ungrouped figure; the stocks are left out of month groups.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import local_today, month_range, month_start
from core.errors import InvalidValue
from core.money import money
from pipeline.asof import as_of_parts
from pipeline.filters import GROUP_CHOICES, StatsFilter, report_projects
from pipeline.periods import MAX_MONTH_GROUPS, MAX_PERIOD_YEARS, Period, check_period  # noqa: F401
from projects.lifecycle import Stage

FIGURES = {
    "signed_count": gettext_lazy("新签约项目（个）"),
    "contract_investment": gettext_lazy("签约合同投资额（万元）"),
    "started_count": gettext_lazy("新开工项目（个）"),
    "started_contract_investment": gettext_lazy("开工项目合同投资额（万元）"),
    "producing_count": gettext_lazy("新投产项目（个）"),
    "funds_in_place": gettext_lazy("资金到位额（万元）"),
    "high_tech_signed_count": gettext_lazy("高新技术企业签约项目（个）"),
    "signed_and_started_count": gettext_lazy("当期签约当期开工（个）"),
    "signed_and_producing_count": gettext_lazy("当期签约当期投产（个）"),
    "terminated_in_period_count": gettext_lazy("当期终止项目（个）"),
    "reclaimed_land_mu": gettext_lazy("退出收回土地（亩）"),
    "reclaimed_building_m2": gettext_lazy("退出收回厂房（平方米）"),
    "terminated_count": gettext_lazy("已终止项目（个，截至期末）"),
    "overdue_count": gettext_lazy("逾期项目（个，截至期末）"),
}
# Figures where a fall is good news (pages colour a change by it).
LOWER_IS_BETTER = frozenset({"overdue_count"})
MONEY_FIGURES = ("contract_investment", "started_contract_investment", "funds_in_place")
AREA_FIGURES = ("reclaimed_land_mu", "reclaimed_building_m2")
# Figures that are Decimals with two decimals (万元, 亩, m²); the others are counts.
DECIMAL_FIGURES = (*MONEY_FIGURES, *AREA_FIGURES)


@dataclass(frozen=True)
class RecordCounts:
    """Counts of another app's dated records about projects (`model`, "app.Model", with a
    `project` foreign key): each figure counts the records dated in the period that match its
    condition. An app above pipeline registers them at start-up (its AppConfig.ready), so they
    are filtered, scoped and grouped exactly as the figures here, and reach the page, the
    workbook and the API with them; pipeline itself never imports that app."""

    model: str
    date_field: str
    figures: dict  # figure name → (label, Q over the record)


RECORD_COUNTS: list[RecordCounts] = []


def register_record_counts(counts: RecordCounts) -> None:
    """Add `counts` to the figures (once; a second registration of the same names is ignored)."""
    if any(set(counts.figures) <= set(known.figures) for known in RECORD_COUNTS):
        return
    RECORD_COUNTS.append(counts)
    for name, (label, _condition) in counts.figures.items():
        FIGURES[name] = label


# rate: (numerator, denominator, label)
RATES = {
    "signed_started_rate": (
        "signed_and_started_count",
        "signed_count",
        gettext_lazy("当期签约当期开工率"),
    ),
    "signed_producing_rate": (
        "signed_and_producing_count",
        "signed_count",
        gettext_lazy("当期签约当期投产率"),
    ),
    "started_signed_share": (
        "signed_and_started_count",
        "started_count",
        gettext_lazy("开工项目中当期签约占比"),
    ),
    "high_tech_share": ("high_tech_signed_count", "signed_count", gettext_lazy("高新技术企业项目占比")),
}

# group_by → the project's field it groups by (its code and name are the group's)
GROUPS = {
    "industry": "industry",
    "unit": "unit",
    "park": "park",
    "district": "district",
}
HUNDRED = Decimal("100")


def _empty_figures(with_overdue: bool = True) -> dict:
    figures = {name: 0 for name in FIGURES}
    for name in DECIMAL_FIGURES:
        figures[name] = Decimal("0.00")
    if not with_overdue:  # month groups: the stocks are not split by month
        figures["overdue_count"] = None
        figures["terminated_count"] = None
    return figures


def rates(figures: dict) -> dict:
    """Percentages with two decimals; None when the denominator is zero."""
    result = {}
    for name, (numerator, denominator, _label) in RATES.items():
        if figures.get(denominator):
            value = Decimal(figures[numerator]) * HUNDRED / Decimal(figures[denominator])
            result[name] = value.quantize(Decimal("0.01"))
        else:
            result[name] = None
    return result


def _narrow(queryset, projects):
    if projects.query.has_filters():
        return queryset.filter(project__in=projects.values("pk"))
    return queryset


def _group_exprs(group_by: str | None, prefix: str, date_field: str) -> dict:
    """The GROUP BY columns, named alike whatever the query starts from: `group_code` and
    `group_name` (the project's industry / unit / park / district), or `group_month`."""
    if group_by is None:
        return {}
    if group_by == "month":
        return {"group_month": TruncMonth(date_field)}
    path = f"{prefix}{GROUPS[group_by]}"
    exprs = {"group_code": F(f"{path}__code"), "group_name": F(f"{path}__name")}
    if group_by in DISTRICT_BOUND:
        exprs["group_district"] = F(f"{path}__district__name")
    return exprs


# Groups that belong to a district: the same name (区招商投资局) recurs in every district, so
# a result spanning several districts names each group with its district.
DISTRICT_BOUND = ("unit", "park")


def _grouped(queryset, exprs: dict, aggregates: dict) -> list[dict]:
    """One GROUP BY query (or one plain aggregate when ungrouped)."""
    if not exprs:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.order_by().values(**exprs).annotate(**aggregates))


def _key(row: dict, group_by: str | None):
    if group_by is None:
        return None
    if group_by == "month":
        value = row["group_month"]
        if isinstance(value, dt.datetime):
            value = value.date()
        return f"{value:%Y-%m}"
    return row["group_code"] or ""


def _name(row: dict, group_by: str):
    if group_by == "month":
        return _key(row, group_by)
    return row["group_name"] or _("未指定")


FLOW_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.TERMINATED)
FLOW_NAMES = (
    "signed_count",
    "contract_investment",
    "started_count",
    "started_contract_investment",
    "producing_count",
    "high_tech_signed_count",
    "signed_and_started_count",
    "signed_and_producing_count",
    "terminated_in_period_count",
    *AREA_FIGURES,
)


def _flow_aggregates(period: Period, n: int) -> dict:
    """The flows of one period, over projects joined to their standing events of the span."""
    in_period = period.q("events__date")
    stage = {name: in_period & Q(events__stage=name) for name in FLOW_STAGES}
    # The cohort (signed in the period too): the project's `signed_on`, the date of its
    # standing `signed` event (derived with it), read from the project row.
    cohort = period.q("signed_on")
    terminated = stage[Stage.TERMINATED]
    return {
        f"n_{n}": Count("events", filter=in_period),
        f"signed_count_{n}": Count("events", filter=stage[Stage.SIGNED]),
        f"contract_investment_{n}": Sum("events__contract_investment", filter=stage[Stage.SIGNED]),
        f"started_count_{n}": Count("events", filter=stage[Stage.STARTED]),
        f"started_contract_investment_{n}": Sum("contract_investment", filter=stage[Stage.STARTED]),
        f"producing_count_{n}": Count("events", filter=stage[Stage.PRODUCING]),
        f"high_tech_signed_count_{n}": Count(
            "events", filter=stage[Stage.SIGNED] & Q(investor__is_high_tech=True)
        ),
        f"signed_and_started_count_{n}": Count("events", filter=stage[Stage.STARTED] & cohort),
        f"signed_and_producing_count_{n}": Count("events", filter=stage[Stage.PRODUCING] & cohort),
        f"terminated_in_period_count_{n}": Count("events", filter=terminated),
        f"reclaimed_land_mu_{n}": Sum("events__reclaimed_land_mu", filter=terminated),
        f"reclaimed_building_m2_{n}": Sum("events__reclaimed_building_m2", filter=terminated),
    }


class _Figures:
    """The figures of several periods, each by group, filled query by query."""

    def __init__(self, periods: list[Period], group_by: str | None):
        self.periods = periods
        self.group_by = group_by
        self.groups: list[dict] = [{} for _ in periods]
        self.names: dict = {}
        self.districts: dict = {}
        # The stocks of the periods after the first, counted in total (never by group).
        self.stock_totals = [{"terminated_count": 0, "overdue_count": 0} for _ in periods]

    def of(self, n: int, row: dict) -> dict:
        key = _key(row, self.group_by)
        groups = self.groups[n]
        if key not in groups:
            groups[key] = _empty_figures(with_overdue=self.group_by != "month")
            if self.group_by is not None:
                self.names[key] = _name(row, self.group_by)
                self.districts[key] = row.get("group_district")
        return groups[key]

    def add_rows(self, rows, names) -> None:
        """Rows of a query whose aggregates are suffixed by period (`signed_count_0`, …) and
        counted by `n_<period>`: a group appears in a period only when it had rows in it."""
        for row in rows:
            for n in range(len(self.periods)):
                if not row[f"n_{n}"]:
                    continue
                target = self.of(n, row)
                for name in names:
                    value = row[f"{name}_{n}"]
                    target[name] = money(value) if name in DECIMAL_FIGURES else value


def _compute(periods: list[Period], projects, group_by: str | None) -> _Figures:
    """The flows, records and funds of every period in one query each (a FILTER per period),
    so a year and the year before cost one scan, not two; then the stocks of each period."""
    figures = _Figures(periods, group_by)
    span = Period(min(p.start for p in periods), max(p.end for p in periods))

    # 1. Flows: the projects joined to their standing events of the span (the projects' filters
    # apply to their own rows: no second pass over the projects to narrow the events).
    flows = projects.filter(
        events__voided_at__isnull=True,
        events__stage__in=FLOW_STAGES,
        events__date__gte=span.start,
        events__date__lte=span.end,
    )
    aggregates = {}
    for n, period in enumerate(periods):
        aggregates.update(_flow_aggregates(period, n))
    figures.add_rows(_grouped(flows, _group_exprs(group_by, "", "events__date"), aggregates), FLOW_NAMES)

    # 1b. Records of the apps above, dated in the period (one query per registered model).
    for counts in RECORD_COUNTS:
        records = _narrow(apps.get_model(counts.model).objects.filter(span.q(counts.date_field)), projects)
        aggregates = {}
        for n, period in enumerate(periods):
            in_period = period.q(counts.date_field)
            aggregates[f"n_{n}"] = Count("pk", filter=in_period)
            for name, (_label, condition) in counts.figures.items():
                aggregates[f"{name}_{n}"] = Count("pk", filter=in_period & condition)
        rows = _grouped(records, _group_exprs(group_by, "project__", counts.date_field), aggregates)
        figures.add_rows(rows, counts.figures)

    # 2. Funds in place: every month overlapping the period.
    funds = projects.filter(progress__month__gte=month_start(span.start), progress__month__lte=span.end)
    aggregates = {}
    for n, period in enumerate(periods):
        in_period = Period(month_start(period.start), period.end).q("progress__month")
        aggregates[f"n_{n}"] = Count("progress", filter=in_period)
        aggregates[f"funds_in_place_{n}"] = Sum("progress__funds_in_place", filter=in_period)
    rows = _grouped(funds, _group_exprs(group_by, "", "progress__month"), aggregates)
    figures.add_rows(rows, ["funds_in_place"])

    # 3. Stocks as of each period's end: terminated and overdue projects, by the first
    # period's groups (never by month); the other periods' in total.
    for n, period in enumerate(periods):
        by = group_by if n == 0 else None
        if by == "month":
            continue
        as_of = min(period.end, local_today())
        for part in as_of_parts(as_of, projects):
            terminated = Q(**{part.stage: Stage.TERMINATED})
            stock = part.queryset.filter(terminated | part.overdue_q(as_of))
            aggregates = {
                "n_terminated": Count(part.project_id, filter=terminated),
                "n_overdue": Count(part.project_id, filter=part.overdue_q(as_of)),
            }
            for row in _grouped(stock, _group_exprs(by, part.project, ""), aggregates):
                target = figures.of(n, row) if by == group_by else figures.stock_totals[n]
                target["terminated_count"] += row["n_terminated"]
                target["overdue_count"] += row["n_overdue"]
    return figures


def _with_district(name, district) -> str:
    return _("%(name)s（%(district)s）") % {"name": name, "district": district} if district else name


def _result(figures: _Figures, n: int) -> dict:
    period, group_by = figures.periods[n], figures.group_by
    groups, names = figures.groups[n], figures.names
    result = {"from": period.start, "to": period.end, "group_by": group_by}
    if group_by is None:
        found = groups.get(None, _empty_figures())
        result.update(figures=found, rates=rates(found))
        return result
    if group_by == "month":
        for first in month_range(period.start, period.end):
            key = f"{first:%Y-%m}"
            if key not in groups:
                groups[key] = _empty_figures(with_overdue=False)
                names[key] = key
    if len({figures.districts.get(key) for key in groups} - {None}) > 1:
        names = {key: _with_district(names[key], figures.districts.get(key)) for key in groups}
    ordered = sorted(groups) if group_by == "month" else sorted(groups, key=lambda k: (names[k], k))
    result["results"] = [
        {"group": key, "name": str(names[key]), "figures": groups[key], "rates": rates(groups[key])}
        for key in ordered
    ]
    total = _empty_figures(with_overdue=group_by != "month")
    for entry in result["results"]:
        for name, value in entry["figures"].items():
            if value is not None:
                total[name] += value
    result["figures"] = total
    result["rates"] = rates(total)
    return result


def _checked_group(group_by):
    if group_by in ("", None):
        return None
    if group_by not in GROUP_CHOICES:
        raise InvalidValue(
            _("分组方式“%(value)s”无效，可选：%(choices)s。")
            % {"value": group_by, "choices": "、".join(GROUP_CHOICES)},
            field="group_by",
        )
    return group_by


def statistics(date_from: dt.date, date_to: dt.date, *, user=None, filters=None, group_by=None) -> dict:
    """The figures for [date_from, date_to], optionally grouped (see module doc)."""
    result, _before = statistics_compared(
        date_from, date_to, user=user, filters=filters, group_by=group_by, previous=False
    )
    return result


def statistics_compared(
    date_from: dt.date, date_to: dt.date, *, user=None, filters=None, group_by=None, previous: bool = True
) -> tuple[dict, dict | None]:
    """statistics() of the period and, when `previous`, the ungrouped figures of the same days a
    year before (the year-on-year columns), read by the same queries."""
    check_period(date_from, date_to, group_by)
    group_by = _checked_group(group_by)
    projects, _data = report_projects(filters, user=user, filterset=StatsFilter)
    periods = [Period(date_from, date_to)]
    if previous:
        periods.append(Period(shift_year(date_from), shift_year(date_to)))
    figures = _compute(periods, projects, group_by)
    current = _result(figures, 0)
    if not previous:
        return current, None
    before = _result(figures, 1)["figures"]
    if group_by is not None:  # its stocks were counted in total, not by group
        before.update(figures.stock_totals[1])
    return current, {
        "from": periods[1].start,
        "to": periods[1].end,
        "group_by": None,
        "figures": before,
        "rates": rates(before),
    }


def shift_year(day: dt.date, years: int = -1) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def compare(current: dict, previous: dict, names=FIGURES) -> dict:
    """Each figure (or, with names=RATES, each rate) beside the same one of another period
    (e.g. a year before): the change, and the change in per cent of the earlier value."""
    comparison = {}
    for name in names:
        now, before = current.get(name), previous.get(name)
        if now is None or before is None:
            comparison[name] = {"current": now, "previous": before, "change": None, "change_pct": None}
            continue
        change = now - before
        pct = (Decimal(change) * HUNDRED / Decimal(before)).quantize(Decimal("0.1")) if before else None
        comparison[name] = {"current": now, "previous": before, "change": change, "change_pct": pct}
    return comparison
