"""The units' scorecard (考核): for a district and a period within one year, one row per
responsible unit with its figures — every one from pipeline.stats.statistics, the definition
the ledger, the statistics and the API share, grouped by unit — beside its annual target
(monthend.targets), its completion rate and the share of the year elapsed (序时进度); the
progress filed on time (monthend.preflight.progress_filing); the 督办 rates (tasks due in the
period closed on time, letters replied on time: supervision.rates, the one definition); a score
and a rank.

    scorecard(*, district, date_from, date_to, weights=None) -> dict
        {"district", "from", "to", "year", "time_progress", "weights", "results", "total"}.
    completion(actual, target) -> Decimal | None     actual ÷ target in per cent, two decimals;
                                                      None when there is no target (or it is 0)
    time_progress(date_from, date_to) -> Decimal      days of the year elapsed by `to` (today
                                                      at most) ÷ days in the year, per cent
    score(row, weights) -> Decimal | None
        Each weighted item that has a value (a completion, the progress filed on time) counts
        its per cent, capped at 100, by its weight: Σ wᵢ·min(vᵢ, 100) ÷ Σ wᵢ over those items;
        minus `overdue_penalty` points per project overdue at the period's end, not below 0.
        None when no item has a value (nothing to score the unit on).
    weights_set(*, district, by, weights) / current_weights(district)
        A manager sets the district's weights; each stored scorecard keeps its own copy.
    scorecard_store(*, district, date_from, date_to, publication=None) -> Scorecard
    scorecard_for(*, district, date_from, date_to) -> dict   the stored one of exactly that
        period if any (the latest), else computed now with the current weights.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from changes.recording import atomic, record
from core.dates import local_today, month_range, month_start
from core.errors import InvalidValue
from core.money import money
from monthend.models import TARGET_FIGURES, Scorecard, ScoreWeights
from monthend.preflight import progress_filing
from monthend.targets import targets_map
from pipeline.ledger_json import ledger_json
from pipeline.stats import statistics
from projects.models import Unit
from supervision.models import Letter, Task
from supervision.rates import task_rates

HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# What a unit is scored on: completion of its targets, and the progress filed on time.
ITEMS = {
    "signed_count": gettext_lazy("新签约项目完成率"),
    "contract_investment": gettext_lazy("签约合同投资额完成率"),
    "started_count": gettext_lazy("新开工项目完成率"),
    "funds_in_place": gettext_lazy("资金到位额完成率"),
    "high_tech_signed_count": gettext_lazy("高新技术企业签约完成率"),
    "advanced_signed_count": gettext_lazy("先进制造签约完成率"),
    "advanced_contract_investment": gettext_lazy("先进制造合同投资额完成率"),
    "progress_on_time": gettext_lazy("进展按时填报率"),
    "task_on_time": gettext_lazy("督办事项按期办结率"),
    "letter_on_time": gettext_lazy("督办函按期回复率"),
}
PENALTY = "overdue_penalty"  # points off per project overdue at the period's end
DEFAULT_WEIGHTS = {
    "signed_count": Decimal("20"),
    "contract_investment": Decimal("25"),
    "started_count": Decimal("20"),
    "funds_in_place": Decimal("25"),
    "progress_on_time": Decimal("10"),
    "task_on_time": Decimal("10"),
    "letter_on_time": Decimal("5"),
    PENALTY: Decimal("1"),
}
# The figures each row carries (from pipeline.stats, by unit).
STAT_FIGURES = (
    "signed_count",
    "contract_investment",
    "started_count",
    "producing_count",
    "funds_in_place",
    "high_tech_signed_count",
    "overdue_count",
)
SUBSET = {"advanced_signed_count": "signed_count", "advanced_contract_investment": "contract_investment"}
TARGETED = (*TARGET_FIGURES, "high_tech_signed_count", *SUBSET)


def completion(actual, target) -> Decimal | None:
    if target in (None, 0) or Decimal(target) == 0:
        return None
    return (Decimal(actual) * HUNDRED / Decimal(target)).quantize(CENT)


def time_progress(date_from: dt.date, date_to: dt.date) -> Decimal:
    year = date_to.year
    end = min(date_to, local_today())
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    elapsed = max((end - dt.date(year, 1, 1)).days + 1, 0)
    return (Decimal(elapsed) * HUNDRED / Decimal(days)).quantize(CENT)


def _number(value) -> Decimal:
    return Decimal(str(value))


def score(row: dict, weights: dict) -> Decimal | None:
    total_weight, points = Decimal(0), Decimal(0)
    figures = row["figures"]
    values = {
        **row["completion"],
        "progress_on_time": figures["progress_on_time_rate"],
        "task_on_time": figures.get("task_on_time_rate"),
        "letter_on_time": figures.get("letter_on_time_rate"),
    }
    for item in ITEMS:
        weight = _number(weights.get(item, 0))
        value = values.get(item)
        if weight and value is not None:
            total_weight += weight
            points += weight * min(_number(value), HUNDRED)
    if not total_weight:
        return None
    result = points / total_weight - _number(weights.get(PENALTY, 0)) * row["figures"]["overdue_count"]
    return max(result, Decimal(0)).quantize(CENT)


def rank(rows: list[dict]) -> None:
    """Competition ranking by score, highest first (1, 2, 2, 4); no score, no rank."""
    scores = sorted((row["score"] for row in rows if row["score"] is not None), reverse=True)
    for row in rows:
        row["rank"] = scores.index(row["score"]) + 1 if row["score"] is not None else None


def current_weights(district) -> dict:
    latest = ScoreWeights.objects.filter(district=district).order_by("-id").first()
    if latest is None:
        return {name: str(value) for name, value in DEFAULT_WEIGHTS.items()}
    return dict(latest.weights)


@atomic
def weights_set(*, district, by, weights) -> ScoreWeights:
    """Set the district's weights: known items only, numbers from 0 to 100."""
    roles.require(roles.can_set_targets(by, district.pk), _("只有本区招商投资局管理人员可以设定考核权重。"))
    if not isinstance(weights, dict) or not weights:
        raise InvalidValue(_("weights 应为“考核项 → 权重”的对象。"), field="weights")
    cleaned = {}
    for name, value in weights.items():
        if name not in ITEMS and name != PENALTY:
            raise InvalidValue(
                _("考核项“%(name)s”无效，可选：%(choices)s。")
                % {"name": str(name)[:32], "choices": "、".join([*ITEMS, PENALTY])},
                field="weights",
            )
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            number = None
        if isinstance(value, bool) or number is None or not number.is_finite() or not 0 <= number <= 100:
            raise InvalidValue(_("权重应为 0 到 100 之间的数。"), field="weights")
        cleaned[name] = str(number.quantize(CENT))
    before = current_weights(district)
    saved = ScoreWeights.objects.create(district=district, weights=cleaned, set_by=by)
    record(
        "score_weights.updated", saved, by=by, district_id=district.pk, changes={"weights": [before, cleaned]}
    )
    return saved


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from.year != date_to.year:
        raise InvalidValue(_("考核期间应在同一年度内（年度目标按年设定）。"), field="to")


def _filing_months(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """The months of the period that have ended (the month under way owes nothing yet)."""
    last = min(date_to, local_today())
    return (
        [first for first in month_range(date_from, last) if first < month_start(local_today())]
        if last >= date_from
        else []
    )


def _supervision(rates: dict | None) -> dict:
    """The 督办 figures of a row, from supervision.rates (the one definition): tasks due in the
    period and closed on time (按期办结率), letters whose reply was due in the period and replied
    on time; a rate is none when nothing was due."""
    rates = rates or {}
    return {
        "task_due_count": rates.get("due_count", 0),
        "task_closed_on_time_count": rates.get("closed_on_time_count", 0),
        "task_on_time_rate": rates.get("on_time_rate"),
        "letter_count": rates.get("letter_count", 0),
        "letter_replied_on_time_count": rates.get("replied_on_time_count", 0),
        "letter_on_time_rate": rates.get("replied_on_time_rate"),
    }


def _row(unit_code, name, figures, filing, targets, supervision=None) -> dict:
    owed, on_time = filing.get("owed", 0), filing.get("on_time", 0)
    figures = {
        **figures,
        "progress_owed": owed,
        "progress_on_time": on_time,
        "progress_on_time_rate": completion(on_time, owed),
        **_supervision(supervision),
    }
    return {
        "unit": unit_code,
        "name": name,
        "figures": figures,
        "targets": {name: targets.get(name) for name in TARGETED},
        "completion": {name: completion(figures[name], targets.get(name)) for name in TARGETED},
    }


def scorecard(*, district, date_from: dt.date, date_to: dt.date, weights: dict | None = None) -> dict:
    """The district's scorecard for the period (see the module docstring)."""
    _check_period(date_from, date_to)
    weights = weights if weights is not None else current_weights(district)
    by_unit = {
        entry["group"]: entry["figures"]
        for entry in statistics(date_from, date_to, filters={"district": district.code}, group_by="unit")[
            "results"
        ]
    }
    unit_targets, district_targets, advanced = targets_map(district, date_to.year)
    subset = {}
    if advanced:
        filters = {"district": district.code, "industry": advanced}
        subset = {
            entry["group"]: entry["figures"]
            for entry in statistics(date_from, date_to, filters=filters, group_by="unit")["results"]
        }
    filing = progress_filing(district=district, months=_filing_months(date_from, date_to))
    scope = {
        "tasks": Task.objects.filter(district=district),
        "letters": Letter.objects.filter(district=district),
    }
    supervision = task_rates(start=date_from, end=date_to, group_by="unit", **scope)
    rows, totals = (
        [],
        {
            name: Decimal(0) if name in ("contract_investment", "funds_in_place") else 0
            for name in (*STAT_FIGURES, *SUBSET)
        },
    )
    total_filing = {"owed": 0, "on_time": 0}
    for unit in Unit.objects.filter(district=district).order_by("code"):
        stats = by_unit.get(unit.code, {})
        figures = {name: stats.get(name, 0) or 0 for name in STAT_FIGURES}
        for name in ("contract_investment", "funds_in_place"):
            figures[name] = money(figures[name])
        for name, source in SUBSET.items():
            value = subset.get(unit.code, {}).get(source, 0) or 0
            figures[name] = money(value) if source == "contract_investment" else value
        for name in totals:
            totals[name] += figures[name]
        unit_filing = filing.get(unit.pk, {})
        total_filing["owed"] += unit_filing.get("owed", 0)
        total_filing["on_time"] += unit_filing.get("on_time", 0)
        row = _row(
            unit.code,
            unit.name,
            figures,
            unit_filing,
            unit_targets.get(unit.pk, {}),
            supervision.get(unit.pk),
        )
        row["score"] = score(row, weights)
        rows.append(row)
    rank(rows)
    total = _row(
        district.code,
        district.name,
        totals,
        total_filing,
        district_targets,
        task_rates(start=date_from, end=date_to, **scope),
    )
    return {
        "district": district.code,
        "from": date_from,
        "to": date_to,
        "year": date_to.year,
        "time_progress": time_progress(date_from, date_to),
        "weights": weights,
        "results": rows,
        "total": total,
    }


def scorecard_store(*, district, date_from, date_to, publication=None) -> Scorecard:
    data = ledger_json(scorecard(district=district, date_from=date_from, date_to=date_to))
    return Scorecard.objects.create(
        district=district, date_from=date_from, date_to=date_to, publication=publication, data=data
    )


def scorecard_for(*, district, date_from, date_to) -> dict:
    stored = (
        Scorecard.objects.filter(district=district, date_from=date_from, date_to=date_to)
        .order_by("-id")
        .first()
    )
    if stored is not None:
        return {**stored.data, "stored_at": stored.stored_at}
    return {
        **ledger_json(scorecard(district=district, date_from=date_from, date_to=date_to)),
        "stored_at": None,
    }


def visible_rows(data: dict, user) -> dict:
    """A clerk sees the scorecard of the unit's own row (with its rank); others the district's."""
    if roles.is_unit_staff(user) and not roles.sees_whole_district(user, None):
        unit_code = user.unit.code if user.unit_id else None
        return {**data, "results": [row for row in data["results"] if row["unit"] == unit_code]}
    return data
