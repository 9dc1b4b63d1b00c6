"""The year's figures (docs/design.md, The figures): one definition, shared by the statistics
page, the dashboard, the Excel export and the API.

Entry point:

    statistics(date_from, date_to, *, user=None, filters=None, group_by=None) -> dict
        {"from", "to", "group_by", "figures": {...}, "rates": {...}} and, when grouped,
        "results": [{"group", "name", "figures", "rates"}, ...]. Four queries (events,
        monthly progress, and the stocks as of `to` in two parts) plus the filter's
        reference look-ups; grouped or not, however many projects.
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

from core.dates import EARLIEST_YEAR, local_today, month_range, month_start
from core.errors import InvalidValue
from core.money import money
from pipeline.asof import as_of_parts
from pipeline.filters import GROUP_CHOICES, StatsFilter, report_projects
from pipeline.models import MonthlyProgress, StageEvent
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

# group_by → (project path of the key, of its code, of its name)
GROUPS = {
    "industry": "project__industry",
    "unit": "project__unit",
    "park": "project__park",
    "district": "project__district",
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


# Bounds on the work one request may ask for: a period of 1901-9998 grouped by month built
# ~97,000 groups and held a web worker for 30 s (issue 12).
MAX_PERIOD_YEARS = 100
MAX_MONTH_GROUPS = 120


def _check_period(date_from, date_to, group_by=None) -> None:
    if not isinstance(date_from, dt.date) or not isinstance(date_to, dt.date):
        raise InvalidValue(_("请填写统计期间的起止日期。"), field="from")
    if date_to < date_from:
        raise InvalidValue(_("截止日期不能早于起始日期。"), field="to")
    if date_from.year < EARLIEST_YEAR:
        # The comparison period a year before could not even be written down.
        raise InvalidValue(_("起始日期不能早于 %(year)s 年。") % {"year": EARLIEST_YEAR}, field="from")
    if (date_to.year - date_from.year, date_to.month, date_to.day) > (
        MAX_PERIOD_YEARS,
        date_from.month,
        date_from.day,
    ):
        raise InvalidValue(_("统计期间不能超过 %(years)s 年。") % {"years": MAX_PERIOD_YEARS}, field="to")
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
    if group_by == "month" and months > MAX_MONTH_GROUPS:
        raise InvalidValue(
            _("按月分组时统计期间不能超过 %(months)s 个月（所选期间为 %(actual)s 个月）。")
            % {"months": MAX_MONTH_GROUPS, "actual": months},
            field="group_by",
        )


def _narrow(queryset, projects):
    if projects.query.has_filters():
        return queryset.filter(project__in=projects.values("pk"))
    return queryset


def _group_values(group_by: str | None) -> list[str]:
    if group_by is None:
        return []
    if group_by == "month":
        return ["group_month"]
    path = GROUPS[group_by]
    return [f"{path}__code", f"{path}__name"]


def _grouped(queryset, values: list[str], aggregates: dict) -> list[dict]:
    """One GROUP BY query (or one plain aggregate when ungrouped)."""
    if not values:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.order_by().values(*values).annotate(**aggregates))


def _key(row: dict, group_by: str | None):
    if group_by is None:
        return None
    if group_by == "month":
        value = row["group_month"]
        if isinstance(value, dt.datetime):
            value = value.date()
        return f"{value:%Y-%m}"
    return row[f"{GROUPS[group_by]}__code"] or ""


def _name(row: dict, group_by: str):
    if group_by == "month":
        return _key(row, group_by)
    return row[f"{GROUPS[group_by]}__name"] or _("未指定")


def statistics(date_from: dt.date, date_to: dt.date, *, user=None, filters=None, group_by=None) -> dict:
    """The figures for [date_from, date_to], optionally grouped (see module doc)."""
    _check_period(date_from, date_to, group_by)
    if group_by in ("", None):
        group_by = None
    elif group_by not in GROUP_CHOICES:
        raise InvalidValue(
            _("分组方式“%(value)s”无效，可选：%(choices)s。")
            % {"value": group_by, "choices": "、".join(GROUP_CHOICES)},
            field="group_by",
        )
    projects, _data = report_projects(filters, user=user, filterset=StatsFilter)
    groups: dict = {}
    names: dict = {}

    def figures_for(row):
        key = _key(row, group_by)
        if key not in groups:
            groups[key] = _empty_figures(with_overdue=group_by != "month")
            if group_by is not None:
                names[key] = _name(row, group_by)
        return groups[key]

    # 1. Flows: the standing events of the period.
    # The cohort (signed in the period too): an uncorrelated IN, which PostgreSQL hashes once,
    # rather than an EXISTS run for every event of the period (60 % of the query at 100k).
    signed_in_period = StageEvent.objects.filter(
        stage=Stage.SIGNED,
        voided_at__isnull=True,
        date__gte=date_from,
        date__lte=date_to,
    ).values("project_id")
    events = _narrow(
        StageEvent.objects.filter(
            voided_at__isnull=True,
            date__gte=date_from,
            date__lte=date_to,
            stage__in=(Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.TERMINATED),
        ),
        projects,
    )
    values = _group_values(group_by)
    if group_by == "month":
        events = events.annotate(group_month=TruncMonth("date"))
    flows = _grouped(
        events,
        values,
        dict(
            signed_count=Count("pk", filter=Q(stage=Stage.SIGNED)),
            contract_investment=Sum("contract_investment", filter=Q(stage=Stage.SIGNED)),
            started_count=Count("pk", filter=Q(stage=Stage.STARTED)),
            started_contract_investment=Sum("project__contract_investment", filter=Q(stage=Stage.STARTED)),
            producing_count=Count("pk", filter=Q(stage=Stage.PRODUCING)),
            high_tech_signed_count=Count(
                "pk", filter=Q(stage=Stage.SIGNED, project__investor__is_high_tech=True)
            ),
            signed_and_started_count=Count(
                "pk", filter=Q(stage=Stage.STARTED, project_id__in=signed_in_period)
            ),
            signed_and_producing_count=Count(
                "pk", filter=Q(stage=Stage.PRODUCING, project_id__in=signed_in_period)
            ),
            terminated_in_period_count=Count("pk", filter=Q(stage=Stage.TERMINATED)),
            reclaimed_land_mu=Sum("reclaimed_land_mu", filter=Q(stage=Stage.TERMINATED)),
            reclaimed_building_m2=Sum("reclaimed_building_m2", filter=Q(stage=Stage.TERMINATED)),
        ),
    )
    flow_names = (
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
    for row in flows:
        target = figures_for(row)
        for name in flow_names:
            target[name] = money(row[name]) if name in DECIMAL_FIGURES else row[name]

    # 1b. Records of the apps above, dated in the period (one query per registered model).
    for counts in RECORD_COUNTS:
        records = apps.get_model(counts.model).objects.filter(
            **{f"{counts.date_field}__gte": date_from, f"{counts.date_field}__lte": date_to}
        )
        records = _narrow(records, projects)
        if group_by == "month":
            records = records.annotate(group_month=TruncMonth(counts.date_field))
        aggregates = {name: Count("pk", filter=condition) for name, (_l, condition) in counts.figures.items()}
        for row in _grouped(records, _group_values(group_by), aggregates):
            target = figures_for(row)
            for name in counts.figures:
                target[name] = row[name]

    # 2. Funds in place: every month overlapping the period.
    progress = _narrow(
        MonthlyProgress.objects.filter(month__gte=month_start(date_from), month__lte=date_to), projects
    )
    values = _group_values(group_by)
    if group_by == "month":
        progress = progress.annotate(group_month=TruncMonth("month"))
    for row in _grouped(progress, values, {"total": Sum("funds_in_place")}):
        figures_for(row)["funds_in_place"] = money(row["total"])

    # 3. Stocks as of `to` (not split by month): terminated and overdue projects.
    if group_by != "month":
        as_of = min(date_to, local_today())
        values = _group_values(group_by)
        for part in as_of_parts(as_of, projects):
            terminated = Q(**{part.stage: Stage.TERMINATED})
            stock = part.queryset.filter(terminated | part.overdue_q(as_of))
            if part.project == "":  # a Project queryset: its own fields, named as the groups are
                stock = stock.annotate(**{name: F(name.removeprefix("project__")) for name in values})
            aggregates = {
                "n_terminated": Count(part.project_id, filter=terminated),
                "n_overdue": Count(part.project_id, filter=part.overdue_q(as_of)),
            }
            for row in _grouped(stock, values, aggregates):
                target = figures_for(row)
                target["terminated_count"] += row["n_terminated"]
                target["overdue_count"] += row["n_overdue"]

    result = {"from": date_from, "to": date_to, "group_by": group_by}
    if group_by is None:
        figures = groups.get(None, _empty_figures())
        result.update(figures=figures, rates=rates(figures))
        return result

    if group_by == "month":
        for first in month_range(date_from, date_to):
            key = f"{first:%Y-%m}"
            if key not in groups:
                groups[key] = _empty_figures(with_overdue=False)
                names[key] = key
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
