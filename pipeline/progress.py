"""Monthly progress (进度跟踪台账): one record per project and month, created or replaced."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, diff, record, snapshot
from core.dates import clean_date, local_today, month_start, parse_month
from core.errors import Conflict, InvalidValue
from core.money import clean_money
from pipeline.models import MonthlyProgress
from projects.lifecycle import Stage
from projects.models import Project


def clean_month(value) -> dt.date:
    """A month from a date (any day of it) or a 'YYYY-MM' / 'YYYY-MM-DD' string."""
    if isinstance(value, str) and len(value.strip()) == 7:
        try:
            return parse_month(value.strip())
        except ValueError:
            raise InvalidValue(
                _("月份“%(value)s”格式无效，应为 YYYY-MM。") % {"value": value}, field="month"
            ) from None
    return clean_date(value, "month")


def progress_stamp(record: MonthlyProgress) -> int:
    """The record's revision: its updated_at in microseconds (the API sends it as the ETag)."""
    return round(record.updated_at.timestamp() * 1_000_000)


@atomic
def progress_save(
    *,
    project: Project,
    by,
    month: dt.date,
    funds_in_place=Decimal("0"),
    investment_completed=Decimal("0"),
    progress: str = "",
    problems: str = "",
    expected_stamp: int | None = None,
) -> MonthlyProgress:
    """Create or replace the project's record for `month` (any day of it).

    Rules: the month is not after the current month and not before the month negotiations
    began; amounts are non-negative; a terminated project takes no months after its exit.
    With `expected_stamp` (the progress_stamp the caller last read), a record changed or
    created since, or one that is not there, is refused with Conflict and nothing is written.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    roles.require(roles.can_edit_project(by, project), _("您只能填报本单位项目的进展。"))
    month = month_start(clean_month(month))
    if month > month_start(local_today()):
        raise InvalidValue(_("不能填报未来月份的进展。"), field="month")
    if month < month_start(project.negotiation_started_on):
        raise InvalidValue(
            _("月份早于项目开始洽谈的月份（%(month)s）。")
            % {"month": f"{project.negotiation_started_on:%Y-%m}"},
            field="month",
        )
    if project.stage == Stage.TERMINATED and month > month_start(project.terminated_on):
        raise InvalidValue(
            _("项目已于 %(date)s 终止，不能填报之后的进展。") % {"date": project.terminated_on.isoformat()},
            field="month",
        )
    values = {
        "funds_in_place": clean_money("funds_in_place", funds_in_place, label=_("当月资金到位额")),
        "investment_completed": clean_money(
            "investment_completed", investment_completed, label=_("当月完成投资额")
        ),
        "progress": (progress or "").strip(),
        "problems": (problems or "").strip(),
        "updated_by": by,
    }
    facts = ("month", "funds_in_place", "investment_completed", "progress", "problems")
    previous = MonthlyProgress.objects.filter(project=project, month=month).first()
    if expected_stamp is not None and (previous is None or progress_stamp(previous) != expected_stamp):
        raise Conflict(_("该月进展已被他人修改或尚未填报，请刷新后重试。"))
    before = snapshot(previous, facts) if previous else {}
    saved, _created = MonthlyProgress.objects.update_or_create(project=project, month=month, defaults=values)
    # The project's cumulative funds changed: an incremental pull (?updated_since=) must see it.
    # Not its version: nobody's edit of the project's facts is made stale by a progress report.
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
    record("progress.saved", saved, by=by, project=project, changes=diff(before, snapshot(saved, facts)))
    return saved
