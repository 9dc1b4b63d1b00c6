"""Recording and voiding milestones: the lifecycle engine.

Every write here runs in one transaction with the project row locked, checks the transition
table (projects.lifecycle), the dates and the stage's required data, writes the event and
re-derives the project's stage and dates from its standing events. A refusal raises a
ServiceError and writes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from changes.recording import atomic, created, record, snapshot
from core.dates import clean_date, local_today
from core.errors import (
    DateInFuture,
    DateOutOfOrder,
    IllegalTransition,
    InvalidValue,
    MissingField,
    NotVoidable,
)
from core.money import clean_money
from pipeline.models import ExitReason, Review, StageEvent
from projects.lifecycle import DATE_FIELDS, REQUIRED_FIELDS, STAGE_DATA_FIELDS, STEPS, Stage, can_transition
from projects.locking import lock_project
from projects.models import Project

DECIMAL_FIELDS = {
    "contract_investment": (gettext_lazy("合同投资额"), True),
    "actual_output": (gettext_lazy("实际年产值"), False),
    "reclaimed_land_mu": (gettext_lazy("收回土地面积"), False),
    "reclaimed_building_m2": (gettext_lazy("收回厂房面积"), False),
}
FIELD_LABELS = {
    "industry_opinion": gettext_lazy("行业评估意见"),
    "expert_opinion": gettext_lazy("专家论证意见"),
    "department_opinion": gettext_lazy("部门联动意见"),
    "contract_no": gettext_lazy("合同编号"),
    "contract_investment": gettext_lazy("合同投资额"),
    "actual_output": gettext_lazy("实际年产值"),
    "reason": gettext_lazy("退出原因"),
    "reclaimed_land_mu": gettext_lazy("收回土地面积（亩，未供地填 0）"),
    "date": gettext_lazy("日期"),
}
# Short text columns of StageEvent (a longer value would fail in PostgreSQL, not here).
TEXT_LIMITS = {"contract_no": StageEvent._meta.get_field("contract_no").max_length}


REVIEW_FACTS = ("decision", "date", "industry_opinion", "expert_opinion", "department_opinion", "note")


def event_changes(event: StageEvent) -> dict:
    """What recording `event` changed, for the change log: the stage it moved from and to, its
    date, note and stage data."""
    data = [field for field in STAGE_DATA_FIELDS[event.stage] if field not in REVIEW_FACTS]
    return created(snapshot(event, ("from_stage", "stage", "date", "note", *data)))


def derive_state(events) -> dict:
    """The project's derived fields as its standing events (oldest first) say."""
    state = dict.fromkeys(DATE_FIELDS.values())
    state["contract_investment"] = None
    standing = [event for event in events if event.voided_at is None]
    for event in standing:
        state[DATE_FIELDS[event.stage]] = event.date
        if event.stage == Stage.SIGNED:
            state["contract_investment"] = event.contract_investment
    state["stage"] = standing[-1].stage
    state["stage_since"] = standing[-1].date
    return state


def refresh_derived(project: Project) -> Project:
    """Re-derive stage and dates from the events and bump the version (inside the lock)."""
    state = derive_state(project.events.order_by("date", "id"))
    for field, value in state.items():
        setattr(project, field, value)
    project.version += 1
    project.save(update_fields=[*state, "version", "updated_at"])
    return project


def latest_standing_event(project: Project) -> StageEvent | None:
    return project.events.standing().order_by("-date", "-id").first()


def _check_date(project: Project, date: dt.date) -> None:
    if date > local_today():
        raise DateInFuture(
            _("日期 %(date)s 晚于今天，不能登记尚未发生的节点。") % {"date": date.isoformat()},
            field="date",
        )
    previous = latest_standing_event(project)
    if previous and date < previous.date:
        raise DateOutOfOrder(
            _("日期 %(date)s 早于上一节点“%(stage)s”的日期 %(previous)s。")
            % {
                "date": date.isoformat(),
                "stage": previous.get_stage_display(),
                "previous": previous.date.isoformat(),
            },
            field="date",
        )


def _clean_decimal(field: str, value, *, positive: bool) -> Decimal:
    return clean_money(field, value, label=DECIMAL_FIELDS[field][0], positive=positive)


def clean_stage_data(stage: str, data: dict) -> dict:
    """Check the stage-specific data: required fields present, values valid, nothing foreign."""
    allowed = STAGE_DATA_FIELDS[stage]
    cleaned = {}
    for field, value in data.items():
        empty = value is None or (isinstance(value, str) and not value.strip())
        if field not in allowed:
            if empty:
                continue
            raise InvalidValue(
                _("“%(stage)s”节点不接受字段 %(field)s。") % {"stage": Stage(stage).label, "field": field},
                field=field,
            )
        if empty:
            continue
        if field in DECIMAL_FIELDS:
            cleaned[field] = _clean_decimal(field, value, positive=DECIMAL_FIELDS[field][1])
        elif field == "reason":
            if value not in ExitReason.values:
                raise InvalidValue(
                    _("退出原因“%(value)s”无效，可选：%(choices)s。")
                    % {"value": value, "choices": "、".join(ExitReason.values)},
                    field=field,
                )
            cleaned[field] = value
        else:
            text = str(value).strip()
            limit = TEXT_LIMITS.get(field)
            if limit and len(text) > limit:
                raise InvalidValue(
                    _("%(label)s不能超过%(limit)d个字符。")
                    % {"label": FIELD_LABELS.get(field, field), "limit": limit},
                    field=field,
                )
            cleaned[field] = text
    for field in REQUIRED_FIELDS[stage]:
        if field not in cleaned:
            raise MissingField(
                _("登记“%(stage)s”须填写%(label)s。")
                % {"stage": Stage(stage).label, "label": FIELD_LABELS.get(field, field)},
                field=field,
            )
    return cleaned


def _check_transition(project: Project, stage: str) -> None:
    if stage not in Stage.values:
        raise InvalidValue(_("阶段“%(stage)s”不存在。") % {"stage": stage}, field="stage")
    if not can_transition(project.stage, stage):
        raise IllegalTransition(
            _("项目当前为“%(current)s”，不能登记为“%(target)s”。")
            % {"current": project.get_stage_display(), "target": Stage(stage).label},
            field="stage",
        )


@atomic
def milestone_record(
    *,
    project: Project,
    by,
    stage: str,
    date: dt.date,
    note: str = "",
    expected_version: int | None = None,
    **data,
) -> StageEvent:
    """Record the project's next milestone.

    Rules: forward one stage at a time, or termination before full capacity; the date is not
    in the future and not before the previous standing event; the stage's required data is
    present. Approving reviews are recorded with their three opinions (a Review row).
    Of two callers racing for the same step, the second finds the stage moved on and is
    refused with illegal_transition.
    """
    project = lock_project(project.pk, expected_version)
    roles.require(roles.can_edit_project(by, project), _("您只能登记本单位（本区）项目的节点。"))
    _check_transition(project, stage)
    roles.require(
        roles.can_record_step(by, project, STEPS[stage]),
        _("只有本区招商投资局管理人员可以登记审议和退出。")
        if STEPS[stage].decided_by_manager
        else _("您只能登记本单位项目的节点。"),
    )
    date = clean_date(date)
    _check_date(project, date)
    cleaned = clean_stage_data(stage, data)
    opinions = {key: cleaned.pop(key) for key in STAGE_DATA_FIELDS[Stage.APPROVED] if key in cleaned}

    event = StageEvent.objects.create(
        project=project,
        stage=stage,
        from_stage=project.stage,
        date=date,
        note=note or "",
        recorded_by=by,
        **cleaned,
    )
    if stage == Stage.APPROVED:
        review = Review.objects.create(
            project=project,
            date=date,
            decision=Review.Decision.APPROVED,
            event=event,
            note=note or "",
            recorded_by=by,
            **opinions,
        )
        record("review.recorded", review, by=by, project=project, changes=_review_changes(review))
    refresh_derived(project)
    record("event.recorded", event, by=by, project=project, changes=event_changes(event))
    return event


def _review_changes(review: Review) -> dict:
    return created(snapshot(review, REVIEW_FACTS))


@atomic
def review_record(
    *,
    project: Project,
    by,
    decision: str,
    date: dt.date,
    industry_opinion: str = "",
    expert_opinion: str = "",
    department_opinion: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Review:
    """Record a 审议. Approval is the `approved` milestone; rejection is kept on record and
    leaves the project negotiating (its version still moves, so stale forms notice)."""
    opinions = {
        "industry_opinion": industry_opinion,
        "expert_opinion": expert_opinion,
        "department_opinion": department_opinion,
    }
    if decision == Review.Decision.APPROVED:
        event = milestone_record(
            project=project,
            by=by,
            stage=Stage.APPROVED,
            date=date,
            note=note,
            expected_version=expected_version,
            **opinions,
        )
        return event.review
    if decision != Review.Decision.REJECTED:
        raise InvalidValue(_("审议结论应为 approved（同意）或 rejected（不同意）。"), field="decision")
    project = lock_project(project.pk, expected_version)
    roles.require(roles.can_edit_project(by, project), _("只有本区招商投资局管理人员可以登记审议。"))
    if project.stage != Stage.NEGOTIATING:
        raise IllegalTransition(
            _("只有在谈项目可以审议，该项目当前为“%(current)s”。") % {"current": project.get_stage_display()},
            field="decision",
        )
    roles.require(
        roles.can_record_step(by, project, STEPS[Stage.APPROVED]),
        _("只有本区招商投资局管理人员可以登记审议。"),
    )
    date = clean_date(date)
    _check_date(project, date)
    cleaned = clean_stage_data(Stage.APPROVED, opinions)
    review = Review.objects.create(
        project=project, date=date, decision=decision, note=note or "", recorded_by=by, **cleaned
    )
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
    record("review.recorded", review, by=by, project=project, changes=_review_changes(review))
    return review


def _void_review(event: StageEvent, *, by, project: Project) -> None:
    """The review that was the voided approval no longer stands: its decision becomes voided
    (and its updated_at moves on), so a reader of the reviews, or a pull by updated_since, sees it."""
    review = Review.objects.filter(event=event, decision=Review.Decision.APPROVED).first()
    if review is None:
        return
    review.decision = Review.Decision.VOIDED
    review.save(update_fields=["decision", "updated_at"])
    record(
        "review.voided",
        review,
        by=by,
        project=project,
        changes={"decision": [Review.Decision.APPROVED.value, Review.Decision.VOIDED.value]},
    )


@atomic
def event_void(
    *,
    project: Project,
    by,
    reason: str,
    event: StageEvent | None = None,
    expected_version: int | None = None,
) -> StageEvent:
    """Void the latest standing event with a reason; the project falls back to the stage
    before. The creation (negotiating) event cannot be voided. Nothing is deleted."""
    project = lock_project(project.pk, expected_version)
    roles.require(roles.can_void(by, project), _("只有本区招商投资局管理人员可以作废节点。"))
    if not (reason or "").strip():
        raise MissingField(_("请填写作废原因。"), field="reason")
    latest = latest_standing_event(project)
    if event is not None and (event.project_id != project.pk or event.pk != latest.pk):
        if event.project_id == project.pk and event.voided_at is not None:
            raise NotVoidable(_("该节点已经作废。"))
        raise NotVoidable(_("只能作废最近一个有效节点（%(event)s）。") % {"event": latest})
    if latest.stage == Stage.NEGOTIATING:
        raise NotVoidable(_("项目的起始节点（在谈）不能作废。"))
    latest.voided_at = timezone.now()
    latest.voided_by = by
    latest.void_reason = reason.strip()
    latest.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    _void_review(latest, by=by, project=project)
    refresh_derived(project)
    record(
        "event.voided",
        latest,
        by=by,
        project=project,
        changes={"void_reason": [None, latest.void_reason], "project_stage": [latest.stage, project.stage]},
    )
    return latest
