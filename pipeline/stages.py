"""The stages of the 全生命周期管控体系 and the transition table between them.

This module is pure data: models, services, forms and the API all read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("在谈")
    APPROVED = "approved", _("已审定")
    SIGNED = "signed", _("已签约")
    STARTED = "started", _("已开工")
    PRODUCING = "producing", _("已投产")
    AT_CAPACITY = "at_capacity", _("已达产")
    TERMINATED = "terminated", _("已终止")


# Forward one stage at a time; termination from any stage before full capacity. Nothing else.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.NEGOTIATING: frozenset({Stage.APPROVED, Stage.TERMINATED}),
    Stage.APPROVED: frozenset({Stage.SIGNED, Stage.TERMINATED}),
    Stage.SIGNED: frozenset({Stage.STARTED, Stage.TERMINATED}),
    Stage.STARTED: frozenset({Stage.PRODUCING, Stage.TERMINATED}),
    Stage.PRODUCING: frozenset({Stage.AT_CAPACITY, Stage.TERMINATED}),
    Stage.AT_CAPACITY: frozenset(),
    Stage.TERMINATED: frozenset(),
}

# The next forward step from each stage (what the "next step" button offers).
NEXT_STAGE: dict[str, str | None] = {
    Stage.NEGOTIATING: Stage.APPROVED,
    Stage.APPROVED: Stage.SIGNED,
    Stage.SIGNED: Stage.STARTED,
    Stage.STARTED: Stage.PRODUCING,
    Stage.PRODUCING: Stage.AT_CAPACITY,
    Stage.AT_CAPACITY: None,
    Stage.TERMINATED: None,
}

# The monthly ledger's columns (在谈 / 拟签约 / 拟开工 / 拟投产 / 投产未达产), keyed by stage.
LEDGER_COLUMNS: dict[str, str] = {
    Stage.NEGOTIATING: _("在谈"),
    Stage.APPROVED: _("拟签约"),
    Stage.SIGNED: _("拟开工"),
    Stage.STARTED: _("拟投产"),
    Stage.PRODUCING: _("投产未达产"),
}
PIPELINE_STAGES = tuple(LEDGER_COLUMNS)

# Stage-specific data that recording a milestone requires (field names of StageEvent).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    Stage.NEGOTIATING: (),
    Stage.APPROVED: ("industry_opinion", "expert_opinion", "department_opinion"),
    Stage.SIGNED: ("contract_no", "contract_investment"),
    Stage.STARTED: (),
    Stage.PRODUCING: (),
    Stage.AT_CAPACITY: ("actual_output",),
    Stage.TERMINATED: ("reason", "reclaimed_land_mu"),  # 0 when the project held no land
}

# Project field holding the date on which each stage was reached.
DATE_FIELDS: dict[str, str] = {
    Stage.NEGOTIATING: "negotiation_started_on",
    Stage.APPROVED: "approved_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.AT_CAPACITY: "at_capacity_on",
    Stage.TERMINATED: "terminated_on",
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
