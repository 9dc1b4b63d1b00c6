"""Exit reviews (终止项目审议退出): the writes.

    exit_review_open(*, project, by, proposal, reason, opinions=(), date=None) -> ExitReview
        Its unit proposes (提请退出 / 申请保留) or a manager opens the review; opinions may come
        with it. Refused: a project already at capacity or terminated (illegal_transition), a
        review already under way (duplicate), no reason (missing_field), someone who may not
        edit the project (forbidden).
    exit_review_add_opinion(*, review, by, source, text) -> ExitOpinion
        Another opinion (the industry department's, …) while the review is under way.
    exit_review_decide(*, review, by, decision, date, reason, reclaimed_land_mu=None,
                       reclaimed_building_m2=None, keep_until=None, exit_reason=None) -> ExitReview
        A manager of the district decides. `exit` records the 终止 milestone through
        pipeline.transitions.milestone_record in the same transaction, with the reason, the
        decision date and the land (亩, required: 0 when none) and buildings (m²) reclaimed;
        `keep` needs a date after the decision until which the project stays in the pool.
        Refused: anyone but a manager (forbidden), deciding twice (duplicate), an exit without
        land data or a keep without a date (missing_field).
        Every field's problem is found before refusing: the refusal names the first field and
        carries each field's message in params["errors"], so the page shows them all at once.

Each runs in one transaction with the project row locked (projects.locking), so two managers
deciding the same review at once get one decision and one refusal; a refusal writes nothing.
Each records its change (changes.recording): exit_review.proposed, exit_review.opinion_added,
exit_review.decided (an exit also records the 终止 milestone's event.recorded).
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, diff, record, snapshot
from core.dates import clean_date, local_today
from core.errors import DateInFuture, Duplicate, IllegalTransition, InvalidValue, MissingField, ServiceError
from core.money import clean_money
from exits.models import Choice, ExitOpinion, ExitReview
from pipeline.models import ExitReason
from pipeline.transitions import milestone_record
from projects.lifecycle import Stage, can_transition
from projects.locking import lock_project

OPENED_FIELDS = ("project", "origin", "proposal", "reason", "opened_on")
DECIDED_FIELDS = (
    "decision",
    "decided_on",
    "decision_reason",
    "reclaimed_land_mu",
    "reclaimed_building_m2",
    "keep_until",
    "event",
)
SOURCE_MAX = ExitOpinion._meta.get_field("source").max_length

# The 终止 event's category when the decision names none: what stalls a project at its stage.
DEFAULT_EXIT_REASON = {
    Stage.NEGOTIATING: ExitReason.NEGOTIATION_FAILED,
    Stage.APPROVED: ExitReason.NEGOTIATION_FAILED,
    Stage.SIGNED: ExitReason.LONG_UNSTARTED,
    Stage.STARTED: ExitReason.OTHER,
    Stage.PRODUCING: ExitReason.BELOW_EXPECTATION,
}


def _text(value, field: str, label) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidValue(_("%(label)s应为文本。") % {"label": label}, field=field)
    text = (value or "").strip()
    if not text:
        raise MissingField(_("请填写%(label)s。") % {"label": label}, field=field)
    if "\x00" in text:
        raise InvalidValue(_("%(label)s含有非法字符。") % {"label": label}, field=field)
    return text


def _choice(value, field: str) -> str:
    if value not in Choice.values:
        raise InvalidValue(
            _("“%(value)s”无效，可选：exit（退出）、keep（保留）。") % {"value": str(value)[:32]}, field=field
        )
    return value


def _day(value, field: str) -> dt.date:
    day = clean_date(value, field)
    if day > local_today():
        raise DateInFuture(_("日期 %(date)s 晚于今天。") % {"date": day.isoformat()}, field=field)
    return day


def _clean_opinions(opinions) -> list[tuple[str, str]]:
    if opinions is None:
        return []
    if not isinstance(opinions, list | tuple):
        raise InvalidValue(_('opinions 应为列表：[{"from": …, "text": …}]。'), field="opinions")
    cleaned = []
    for index, item in enumerate(opinions):
        if not isinstance(item, dict) or set(item) - {"from", "text"}:
            raise InvalidValue(
                _('第 %(n)s 条意见应为 {"from": 意见来源, "text": 意见}。') % {"n": index + 1},
                field="opinions",
            )
        source = _text(item.get("from"), "opinions", _("意见来源"))
        if len(source) > SOURCE_MAX:
            raise InvalidValue(_("意见来源不能超过%(n)d个字符。") % {"n": SOURCE_MAX}, field="opinions")
        cleaned.append((source, _text(item.get("text"), "opinions", _("意见"))))
    return cleaned


@atomic
def exit_review_open(*, project, by, proposal: str, reason: str, opinions=(), date=None) -> ExitReview:
    """Open an exit review of `project` (see the module docstring for the rules)."""
    project = lock_project(project.pk)
    roles.require(roles.can_propose_exit(by, project), _("您只能为本单位（本区）的项目提请退出审议。"))
    proposal = _choice(proposal, "proposal")
    reason = _text(reason, "reason", _("提请理由"))
    cleaned = _clean_opinions(opinions)
    opened_on = _day(date, "date") if date is not None else local_today()
    if not can_transition(project.stage, Stage.TERMINATED):
        raise IllegalTransition(
            _("项目当前为“%(stage)s”，不能进行退出审议。") % {"stage": project.get_stage_display()},
            field="proposal",
        )
    if ExitReview.objects.filter(project=project, decision="").exists():
        raise Duplicate(_("该项目已有一项正在进行的退出审议，请在其中补充意见。"), field="proposal")
    review = ExitReview.objects.create(
        project=project,
        origin=ExitReview.Origin.BUREAU if roles.can_decide_exit(by, project) else ExitReview.Origin.UNIT,
        proposal=proposal,
        reason=reason,
        opened_on=opened_on,
        opened_by=by,
    )
    ExitOpinion.objects.bulk_create(
        ExitOpinion(review=review, source=source, text=text, recorded_by=by) for source, text in cleaned
    )
    changes = created(snapshot(review, OPENED_FIELDS))
    if cleaned:
        changes["opinions"] = [None, [{"from": source, "text": text} for source, text in cleaned]]
    record("exit_review.proposed", review, by=by, project=project, changes=changes)
    return review


def _lock_review(review: ExitReview) -> tuple[ExitReview, object]:
    project = lock_project(review.project_id)
    return ExitReview.objects.select_for_update().get(pk=review.pk), project


@atomic
def exit_review_add_opinion(*, review: ExitReview, by, source: str, text: str) -> ExitOpinion:
    """Record one more opinion on a review still under way."""
    review, project = _lock_review(review)
    roles.require(roles.can_propose_exit(by, project), _("您只能为本单位（本区）项目的退出审议录入意见。"))
    ((source, text),) = _clean_opinions([{"from": source, "text": text}])
    if review.decision:
        raise IllegalTransition(
            _("该退出审议已于 %(date)s 作出决定，不能再录入意见。") % {"date": review.decided_on.isoformat()},
            field="text",
        )
    opinion = ExitOpinion.objects.create(review=review, source=source, text=text, recorded_by=by)
    record(
        "exit_review.opinion_added",
        review,
        by=by,
        project=project,
        changes={"opinion": [None, {"from": source, "text": text}]},
    )
    return opinion


def _area(value, field: str, label, *, required: bool):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise MissingField(_("决定退出须填写%(label)s（未供地填 0）。") % {"label": label}, field=field)
        return None
    return clean_money(field, value, label=label)


@atomic
def exit_review_decide(
    *,
    review: ExitReview,
    by,
    decision: str,
    date,
    reason: str,
    reclaimed_land_mu=None,
    reclaimed_building_m2=None,
    keep_until=None,
    exit_reason: str | None = None,
) -> ExitReview:
    """A manager's decision on the review (see the module docstring for the rules)."""
    review, project = _lock_review(review)
    before = snapshot(review, DECIDED_FIELDS)
    roles.require(roles.can_decide_exit(by, project), _("只有本区招商投资局管理人员可以作出退出审议决定。"))
    if review.decision:
        raise Duplicate(
            _("该退出审议已于 %(date)s 决定“%(decision)s”，不能再次决定。")
            % {"date": review.decided_on.isoformat(), "decision": review.get_decision_display()},
            field="decision",
        )
    errors: dict[str, ServiceError] = {}

    def check(field: str, clean):
        """Run one field's check; a refusal is kept so that every field's is reported at once."""
        try:
            return clean()
        except ServiceError as error:
            errors.setdefault(field, error)
            return None

    decision = check("decision", lambda: _choice(decision, "decision"))
    day = check("date", lambda: _day(date, "date"))
    if day is not None and day < review.opened_on:
        errors["date"] = InvalidValue(
            _("决定日期 %(date)s 早于提请日期 %(opened)s。")
            % {"date": day.isoformat(), "opened": review.opened_on.isoformat()},
            field="date",
        )
    reason = check("reason", lambda: _text(reason, "reason", _("决定理由")))
    if decision == Choice.KEEP:
        for field, value in (
            ("reclaimed_land_mu", reclaimed_land_mu),
            ("reclaimed_building_m2", reclaimed_building_m2),
        ):
            if value not in (None, ""):
                errors[field] = InvalidValue(_("决定保留的项目不收回土地和厂房。"), field=field)
        until = None
        if keep_until in (None, ""):
            errors["keep_until"] = MissingField(
                _("决定保留须填写保留期限（保留至哪一天）。"), field="keep_until"
            )
        else:
            until = check("keep_until", lambda: clean_date(keep_until, "keep_until"))
        if until is not None and day is not None and until <= day:
            errors["keep_until"] = InvalidValue(
                _("保留期限 %(until)s 应晚于决定日期 %(date)s。")
                % {"until": until.isoformat(), "date": day.isoformat()},
                field="keep_until",
            )
    elif decision == Choice.EXIT:
        if keep_until not in (None, ""):
            errors["keep_until"] = InvalidValue(_("决定退出的项目没有保留期限。"), field="keep_until")
        land = check(
            "reclaimed_land_mu",
            lambda: _area(reclaimed_land_mu, "reclaimed_land_mu", _("收回土地面积（亩）"), required=True),
        )
        building = check(
            "reclaimed_building_m2",
            lambda: _area(
                reclaimed_building_m2, "reclaimed_building_m2", _("收回厂房面积（平方米）"), required=False
            ),
        )
    if errors:
        first = next(iter(errors.values()))
        first.params["errors"] = {field: [str(error.message)] for field, error in errors.items()}
        raise first
    review.decision, review.decided_on, review.decision_reason = decision, day, reason
    review.decided_by, review.decided_at = by, timezone.now()
    if decision == Choice.KEEP:
        review.keep_until = until
    else:
        review.reclaimed_land_mu, review.reclaimed_building_m2 = land, building
        review.event = milestone_record(
            project=project,
            by=by,
            stage=Stage.TERMINATED,
            date=day,
            note=reason,
            reason=exit_reason or DEFAULT_EXIT_REASON.get(project.stage, ExitReason.OTHER),
            reclaimed_land_mu=review.reclaimed_land_mu,
            reclaimed_building_m2=review.reclaimed_building_m2,
        )
    review.save()
    record(
        "exit_review.decided",
        review,
        by=by,
        project=project,
        changes=diff(before, snapshot(review, DECIDED_FIELDS)),
    )
    return review
