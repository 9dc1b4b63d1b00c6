"""The lifecycle of the 全生命周期管控体系, as data: the one module every other reads.

Each stage is a `Step`: the project field holding the date it was reached, the stage data a
milestone must (and may) carry, whether a manager decides it, the ledger column it stands in,
how the month's movements count it and why a project standing in it is overdue. Everything
else — the transition table, the next step, the ledger's columns — is derived from the steps
below, so a rule is changed in one place.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import full_months_between


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("在谈")
    APPROVED = "approved", _("已审定")
    SIGNED = "signed", _("已签约")
    STARTED = "started", _("已开工")
    PRODUCING = "producing", _("已投产")
    AT_CAPACITY = "at_capacity", _("已达产")
    TERMINATED = "terminated", _("已终止")


@dataclass(frozen=True)
class Step:
    stage: str
    date_field: str  # the Project field holding the date the stage was reached
    required: tuple[str, ...] = ()  # StageEvent fields a milestone of this stage must carry
    optional: tuple[str, ...] = ()  # and those it may carry
    decided_by_manager: bool = False  # reviews and exits are the bureau's decisions
    ledger_column: str | None = None  # the monthly ledger column (None: out of the pipeline)
    movement: str = "advanced"  # how the month's movements count reaching it
    planned_field: str | None = None  # the planned date a project here is heading for
    overdue_reason: str | None = None  # why a project standing here is overdue (谈而未定…)
    owes_progress: bool = False  # a project standing here on a month's last day owes that month's progress

    @property
    def data_fields(self) -> tuple[str, ...]:
        return self.required + self.optional


# Forward order: a project moves one step at a time along it.
FORWARD: tuple[str, ...] = (
    Stage.NEGOTIATING,
    Stage.APPROVED,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.PRODUCING,
    Stage.AT_CAPACITY,
)

STEPS: dict[str, Step] = {
    step.stage: step
    for step in (
        Step(
            Stage.NEGOTIATING,
            "negotiation_started_on",
            ledger_column=_("在谈"),
            movement="new",
            planned_field="planned_sign_date",
            overdue_reason=_("谈而未定"),
        ),
        Step(
            Stage.APPROVED,
            "approved_on",
            required=("industry_opinion", "expert_opinion", "department_opinion"),
            decided_by_manager=True,
            ledger_column=_("拟签约"),
            planned_field="planned_sign_date",
            overdue_reason=_("谈而未定"),
        ),
        Step(
            Stage.SIGNED,
            "signed_on",
            required=("contract_no", "contract_investment"),
            ledger_column=_("拟开工"),
            owes_progress=True,
            planned_field="planned_start_date",
            overdue_reason=_("定而未落"),
        ),
        Step(
            Stage.STARTED,
            "started_on",
            ledger_column=_("拟投产"),
            owes_progress=True,
            planned_field="planned_production_date",
            overdue_reason=_("逾期未投产"),
        ),
        Step(Stage.PRODUCING, "producing_on", ledger_column=_("投产未达产"), owes_progress=True),
        Step(Stage.AT_CAPACITY, "at_capacity_on", required=("actual_output",), movement="reached_capacity"),
        Step(
            Stage.TERMINATED,
            "terminated_on",
            # The land reclaimed is 0 when the project held none; the exit review records it.
            required=("reason", "reclaimed_land_mu"),
            optional=("reclaimed_building_m2",),
            decided_by_manager=True,
            movement="terminated",
        ),
    )
}


def _next(stage: str) -> str | None:
    index = FORWARD.index(stage) if stage in FORWARD else len(FORWARD)
    return FORWARD[index + 1] if index + 1 < len(FORWARD) else None


# The next forward step from each stage (what the "next step" button offers).
NEXT_STAGE: dict[str, str | None] = {stage: _next(stage) for stage in Stage.values}

# Forward one stage at a time; termination from any stage before full capacity. Nothing else.
TRANSITIONS: dict[str, frozenset[str]] = {
    stage: frozenset({NEXT_STAGE[stage], Stage.TERMINATED}) if NEXT_STAGE[stage] else frozenset()
    for stage in Stage.values
}

# The monthly ledger's columns (在谈 / 拟签约 / 拟开工 / 拟投产 / 投产未达产), keyed by stage.
LEDGER_COLUMNS: dict[str, str] = {s: step.ledger_column for s, step in STEPS.items() if step.ledger_column}
PIPELINE_STAGES: tuple[str, ...] = tuple(LEDGER_COLUMNS)

# Stage data, by stage: what a milestone must carry, and everything it may.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {s: step.required for s, step in STEPS.items()}
STAGE_DATA_FIELDS: dict[str, tuple[str, ...]] = {s: step.data_fields for s, step in STEPS.items()}

# Project field holding the date on which each stage was reached.
DATE_FIELDS: dict[str, str] = {s: step.date_field for s, step in STEPS.items()}

# The month's movements by kind: which stages reached within the month count as what.
MOVEMENT_KINDS: dict[str, tuple[str, ...]] = {
    kind: tuple(s for s, step in STEPS.items() if step.movement == kind)
    for kind in dict.fromkeys(step.movement for step in STEPS.values())
}

# The planned date a project is heading for, by its current stage.
NEXT_PLANNED: dict[str, str] = {s: step.planned_field for s, step in STEPS.items() if step.planned_field}

# Why a project is overdue, by its stage (谈而未定、定而未落、逾期未投产).
OVERDUE_REASONS: dict[str, str] = {s: step.overdue_reason for s, step in STEPS.items() if step.overdue_reason}


# The stages whose projects owe the month's progress (进度跟踪台账: 拟开工 / 拟投产 / 投产未达产);
# pipeline.selectors.progress_due reads them on a month's last day.
PROGRESS_STAGES: tuple[str, ...] = tuple(s for s, step in STEPS.items() if step.owes_progress)


def months_in_stage(since: dt.date, day: dt.date) -> int:
    """Whole months a project entering its stage on `since` has stood in it on `day` (0 in
    its first month): the ledger, the reminders, the API and the screening all count so."""
    return full_months_between(since, day)


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def stages_up_to(stage: str) -> tuple[str, ...]:
    """The forward stages a project passes through to reach `stage`, creation included."""
    return FORWARD[: FORWARD.index(stage) + 1]


# --- the ledger's tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerColumn:
    """A column of a ledger section's table: the ledger row fields it holds (the page shows
    them in one cell, the workbook one field to a column), how they read, the sections that
    show it and whether the section's totals row carries its total (summed in the database)."""

    key: str
    label: str  # the page's heading (the page states the unit of the amounts once: 万元)
    fields: tuple[str, ...]
    kind: str = "text"  # text | money | date | int | flag
    stages: tuple[str, ...] = PIPELINE_STAGES
    total: bool = False
    on_page: bool = True  # False: a column of the record the workbook carries beside the page's


# Each row field's heading where it has a column of its own (the workbook; a page column of one field).
LEDGER_FIELD_LABELS: dict[str, str] = {
    "code": _("项目编号"),
    "name": _("项目名称"),
    "investor_name": _("投资主体"),
    "industry_name": _("产业"),
    "unit_name": _("责任单位"),
    "park_name": _("园区"),
    "total_investment": _("总投资（万元）"),
    "contract_investment": _("合同投资额（万元）"),
    "signed_on": _("签约日期"),
    "started_on": _("开工日期"),
    "planned_production_date": _("计划投产日期"),
    "stage_since": _("进入本阶段日期"),
    "months_in_stage": _("本阶段月数"),
    "is_overdue": _("是否逾期"),
    "month_funds_in_place": _("当月资金到位（万元）"),
    "month_investment_completed": _("当月完成投资（万元）"),
    "funds_in_place_total": _("累计资金到位（万元）"),
    "progress": _("当月进展情况"),
    "problems": _("存在问题"),
    "lead_official": _("牵头领导"),
}

_SIGNED_ON = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)
_BUILDING = (Stage.STARTED, Stage.PRODUCING)


def _column(key: str, **options) -> LedgerColumn:
    return LedgerColumn(
        key, options.pop("label", LEDGER_FIELD_LABELS.get(key, "")), options.pop("fields", (key,)), **options
    )


# The sections' columns, in order. A milestone date is shown in the sections a project reaches
# it in (a 在谈 or 拟签约 project has signed on no day by the month's end), and the contract
# with it; the stage-since date where no milestone date already says it (the production date
# in 投产未达产); the planned production date in 拟投产 only, where passing it makes a project
# overdue; investment completed from the start of construction on.
LEDGER_TABLE: tuple[LedgerColumn, ...] = (
    _column("project", label=_("项目"), fields=("code", "name")),
    _column("investor_name", on_page=False),
    _column("industry_name"),
    _column("unit_name"),
    _column("park_name", on_page=False),
    _column("total_investment", label=_("总投资"), kind="money", total=True),
    _column("contract_investment", label=_("合同投资额"), kind="money", stages=_SIGNED_ON, total=True),
    _column("signed_on", kind="date", stages=_SIGNED_ON),
    _column("started_on", kind="date", stages=_BUILDING),
    _column("planned_production_date", kind="date", stages=(Stage.STARTED,)),
    _column("stage_since", kind="date", stages=(Stage.NEGOTIATING, Stage.APPROVED, Stage.PRODUCING)),
    _column("months_in_stage", kind="int"),
    _column("is_overdue", kind="flag", on_page=False),  # the page marks the row instead
    _column("month_funds_in_place", label=_("当月资金到位"), kind="money", total=True),
    _column(
        "month_investment_completed", label=_("当月完成投资"), kind="money", stages=_BUILDING, total=True
    ),
    _column("funds_in_place_total", label=_("累计资金到位"), kind="money", total=True),
    _column("progress", label=_("当月进展 / 问题"), fields=("progress", "problems")),
    # Last, where the bureau's 台账 puts the responsible leader.
    _column("lead_official", on_page=False),
)

# The row fields a section's totals row sums (pipeline.ledger sums them in the database).
LEDGER_TOTAL_FIELDS: tuple[str, ...] = tuple(column.key for column in LEDGER_TABLE if column.total)


def ledger_table(stage: str, *, page: bool = False) -> tuple[LedgerColumn, ...]:
    """The columns of the ledger section `stage` (the page's, or all: the workbook's)."""
    return tuple(column for column in LEDGER_TABLE if stage in column.stages and (column.on_page or not page))
