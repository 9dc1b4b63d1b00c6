"""One row on its own: every cell read and checked, the stage and the milestones it implies.

No database here except the reference lookups handed in. A row's milestones are the forward
path to its stage (termination after the last dated stage); a milestone the sheet gives no date
for is dated on the next later one's and marked `date_unknown`; a 在谈 row with no date at all
is dated on the workbook month's last day (today while that month lasts), also marked. What a
stage requires and the sheet lacks (a signed row without 合同投资额) is an error naming it."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.dates import local_today, month_end
from imports.columns import FIELD_BY_KEY
from imports.references import References
from imports.rows import RawRow
from imports.values import CellError, read_amount, read_date, read_stage, text
from projects.credit_code import normalize_credit_code, validate_credit_code
from projects.lifecycle import DATE_FIELDS, FORWARD, Stage, stages_up_to

TEXT_LIMITS = {"name": 200, "investor": 128, "lead_official": 64, "contract_no": 64, "code": 32}
FACT_FIELDS = (
    "industry",
    "unit",
    "park",
    "total_investment",
    "lead_official",
    "planned_sign_date",
    "planned_start_date",
    "planned_production_date",
)
PROGRESS_FIELDS = ("funds_in_place", "investment_completed", "progress", "problems")
UNKNOWN_TEXT = "（台账未载明）"


@dataclass
class Milestone:
    stage: str
    date: dt.date
    data: dict = field(default_factory=dict)
    date_unknown: bool = False
    explicit: bool = True  # the sheet gave this date itself


@dataclass
class CleanRow:
    raw: RawRow
    errors: list[dict] = field(default_factory=list)
    code: str = ""
    name: str = ""
    investor: str = ""
    credit_code: str = ""
    stage: str = Stage.NEGOTIATING
    facts: dict = field(default_factory=dict)
    milestones: list[Milestone] = field(default_factory=list)
    progress: dict[dt.date, dict] = field(default_factory=dict)

    def error(self, key: str, code: str, message: str) -> None:
        column = self.raw.layout.columns.get(key)
        value = self.raw.cells.get(key)
        self.errors.append(
            {
                "field": key,
                "code": code,
                "message": message,
                "column": column.header if column else "",
                "value": text(value) if value is not None else "",
            }
        )

    @property
    def ok(self) -> bool:
        return not self.errors


def _label(key: str) -> str:
    return str(FIELD_BY_KEY[key].label) if key in FIELD_BY_KEY else key


def _read(row: CleanRow, key: str, reader):
    if key not in row.raw.cells:
        return None
    try:
        return reader(row.raw.cells[key])
    except CellError as error:
        row.error(key, error.code, f"{_label(key)}：{error.message}")
        return None


def _text(row: CleanRow, key: str) -> str:
    value = text(row.raw.cells.get(key))
    limit = TEXT_LIMITS.get(key)
    if limit and len(value) > limit:
        row.error(
            key, "invalid_value", _("%(label)s超过%(limit)d个字符。") % {"label": _label(key), "limit": limit}
        )
        return value[:limit]
    return value


def _amount(row: CleanRow, key: str) -> Decimal | None:
    column = row.raw.layout.columns.get(key)
    if column is None or key not in row.raw.cells or column.factor is None:
        return None
    return _read(row, key, lambda value: read_amount(value, factor=column.factor))


def check_row(
    raw: RawRow, refs: References, *, month: dt.date | None, today: dt.date | None = None
) -> CleanRow:
    today = today or local_today()
    row = CleanRow(raw)
    row.code = _text(row, "code")
    row.name = _text(row, "name")
    if not row.name:
        row.error("name", "missing_field", _("项目名称未填写。"))
    row.investor = _text(row, "investor")
    row.credit_code = normalize_credit_code(_text(row, "credit_code"))
    if row.credit_code:
        try:
            validate_credit_code(row.credit_code)
        except Exception as error:  # django ValidationError
            row.error(
                "credit_code",
                "invalid_credit_code",
                _("统一社会信用代码“%(value)s”无效：%(reason)s")
                % {"value": row.credit_code, "reason": " ".join(getattr(error, "messages", [str(error)]))},
            )
        if not row.investor:
            row.error("investor", "missing_field", _("填写了统一社会信用代码，但未填写投资主体名称。"))
    for kind in ("unit", "industry", "park"):
        value = _text(row, kind)
        if not value:
            if kind != "park":
                row.error(kind, "missing_field", _("%(label)s未填写。") % {"label": _label(kind)})
            continue
        try:
            row.facts[kind] = refs.resolve(kind, value)
        except CellError as error:
            row.error(kind, error.code, error.message)
    total = _amount(row, "total_investment")
    if total is not None:
        row.facts["total_investment"] = total
    if "lead_official" in raw.cells:
        row.facts["lead_official"] = _text(row, "lead_official")
    for key in ("planned_sign_date", "planned_start_date", "planned_production_date"):
        value = _read(row, key, read_date)
        if value is not None:
            row.facts[key] = value
    _check_layout(row)
    _milestones(row, month=month, today=today)
    _progress(row, month=month, today=today)
    return row


def _check_layout(row: CleanRow) -> None:
    for key, code, message in row.raw.layout.problems:
        if key in row.raw.cells:
            row.error(key, code, message)


def _stage(row: CleanRow, dates: dict) -> str | None:
    if "stage" in row.raw.cells:
        return _read(row, "stage", read_stage)
    if row.raw.sheet_stage:
        return row.raw.sheet_stage
    reached = [stage for stage in (*FORWARD, Stage.TERMINATED) if dates.get(stage)]
    return reached[-1] if reached else Stage.NEGOTIATING


def _milestones(row: CleanRow, *, month: dt.date | None, today: dt.date) -> None:
    dates = {stage: _read(row, DATE_FIELDS[stage], read_date) for stage in DATE_FIELDS}
    since = _read(row, "stage_since", read_date)
    stage = _stage(row, dates)
    if stage is None:
        return
    row.stage = stage
    if since and not dates.get(stage):
        dates[stage] = since
    elif since and dates[stage] != since:
        row.error(
            "stage_since",
            "date_mismatch",
            _("进入本阶段日期 %(since)s 与%(label)s %(date)s 不一致。")
            % {"since": since, "label": _label(DATE_FIELDS[stage]), "date": dates[stage]},
        )
    if stage == Stage.TERMINATED:
        before = [s for s in FORWARD[:-1] if dates.get(s)] or [Stage.NEGOTIATING]
        path = [*stages_up_to(before[-1]), Stage.TERMINATED]
    else:
        path = list(stages_up_to(stage))
    for later in (s for s in (*FORWARD, Stage.TERMINATED) if s not in path and dates.get(s)):
        row.error(
            DATE_FIELDS[later],
            "stage_mismatch",
            _("项目阶段为“%(stage)s”，却填写了%(label)s。")
            % {"stage": Stage(stage).label, "label": _label(DATE_FIELDS[later])},
        )
    if not dates.get(stage):
        if stage == Stage.NEGOTIATING and month is not None:
            when = min(month_end(month), today)
            row.milestones = [Milestone(stage, when, date_unknown=True, explicit=False)]
            return _checked_path(row, today)
        key = DATE_FIELDS[stage]
        row.error(
            key,
            "missing_field",
            _("项目阶段为“%(stage)s”，须填写%(label)s。")
            % {"stage": Stage(stage).label, "label": _label(key)},
        )
        return None
    known_later = None
    milestones = []
    for step in reversed(path):
        if dates.get(step):
            known_later = dates[step]
            milestones.append(Milestone(step, dates[step]))
        else:
            milestones.append(Milestone(step, known_later, date_unknown=True, explicit=False))
    row.milestones = list(reversed(milestones))
    _checked_path(row, today)


def _checked_path(row: CleanRow, today: dt.date) -> None:
    previous = None  # the last milestone the sheet dated itself
    for milestone in row.milestones:
        key = DATE_FIELDS[milestone.stage]
        milestone.data = _stage_data(row, milestone.stage)
        if not milestone.explicit:
            continue
        if milestone.date > today:
            row.error(
                key,
                "date_in_future",
                _("%(label)s %(date)s 晚于今天。") % {"label": _label(key), "date": milestone.date},
            )
        if previous and milestone.date < previous.date:
            row.error(
                key,
                "date_out_of_order",
                _("%(label)s %(date)s 早于%(previous)s %(before)s。")
                % {
                    "label": _label(key),
                    "date": milestone.date,
                    "previous": _label(DATE_FIELDS[previous.stage]),
                    "before": previous.date,
                },
            )
        previous = milestone


def _stage_data(row: CleanRow, stage: str) -> dict:
    if stage == Stage.APPROVED:
        return dict.fromkeys(("industry_opinion", "expert_opinion", "department_opinion"), UNKNOWN_TEXT)
    if stage == Stage.SIGNED:
        amount = _amount(row, "contract_investment")
        if amount is None and "contract_investment" not in {e["field"] for e in row.errors}:
            row.error("contract_investment", "missing_field", _("已签约项目须填写合同投资额。"))
        elif amount is not None and amount <= 0:
            row.error("contract_investment", "invalid_value", _("合同投资额应大于0。"))
        return {"contract_no": _text(row, "contract_no") or UNKNOWN_TEXT, "contract_investment": amount}
    if stage == Stage.AT_CAPACITY:
        output = _amount(row, "actual_output")
        if output is None and "actual_output" not in {e["field"] for e in row.errors}:
            row.error("actual_output", "missing_field", _("已达产项目须填写实际年产值。"))
        return {"actual_output": output}
    if stage == Stage.TERMINATED:
        land = (
            _read(row, "reclaimed_land_mu", lambda value: read_amount(value))
            if "reclaimed_land_mu" in row.raw.cells
            else None
        )
        return {"reason": "other", "reclaimed_land_mu": land if land is not None else Decimal("0")}
    return {}


def _progress(row: CleanRow, *, month: dt.date | None, today: dt.date) -> None:
    for key in row.raw.cells:
        if not key.startswith("funds:"):
            continue
        when = dt.date(int(key[6:10]), int(key[11:13]), 1)
        amount = _amount(row, key)
        if amount is not None:
            row.progress.setdefault(when, {})["funds_in_place"] = amount
    values = {}
    for key in PROGRESS_FIELDS:
        if key in row.raw.cells:
            values[key] = (
                _amount(row, key) if key in ("funds_in_place", "investment_completed") else _text(row, key)
            )
    values = {key: value for key, value in values.items() if value is not None}
    if values:
        if month is None:
            row.error(
                next(iter(values)),
                "missing_month",
                _("未能确定台账所属月份（标题中写明“2025年3月”，或导入时指定月份），无法登记月度进展。"),
            )
        else:
            row.progress.setdefault(month, {}).update(values)
    first = row.milestones[0].date if row.milestones else None
    terminated = next((m.date for m in row.milestones if m.stage == Stage.TERMINATED), None)
    for when in row.progress:
        if when > today.replace(day=1):
            row.error(
                "funds_in_place",
                "date_in_future",
                _("不能登记未来月份（%(month)s）的进展。") % {"month": f"{when:%Y-%m}"},
            )
        elif first and when < first.replace(day=1):
            row.error(
                "funds_in_place",
                "date_out_of_order",
                _("进展月份 %(month)s 早于项目开始洽谈的月份。") % {"month": f"{when:%Y-%m}"},
            )
        elif terminated and when > terminated.replace(day=1):
            row.error(
                "funds_in_place",
                "date_out_of_order",
                _("项目已于 %(date)s 终止，不能登记 %(month)s 的进展。")
                % {"date": terminated, "month": f"{when:%Y-%m}"},
            )
