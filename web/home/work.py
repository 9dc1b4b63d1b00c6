"""The items of the clerk's and the manager's home pages (web.home.providers orders them).

Each provider reads through the selectors of the app that owns the work and returns HomeItems
linking to where the work is done; none loops over projects in Python beyond the rows it shows.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Case, DateField, Q, When
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from core.dates import format_month, month_start
from exits.selectors import exit_review_queryset
from monthend.preflight import progress_filing, unfiled_progress
from pipeline.reminders import reminder_queryset
from projects.lifecycle import NEXT_PLANNED, STEPS, Stage
from projects.models import Unit
from projects.selectors import project_queryset
from supervision.models import Task
from supervision.selectors import board_order, task_queryset
from web.home.items import SHOWN, Home, HomeItem, Row, shown

SOON_DAYS = 30


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _project_url(pk: int, anchor: str = "") -> str:
    return reverse("project-detail", args=[pk]) + anchor


def _month_label(first: dt.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": first.year, "month": first.month}


def _closing_hint(home: Home) -> str:
    if home.month < month_start(home.today):
        text = _("%(month)s台账尚未发布，仍在收尾：进展按%(month)s填报。")
    else:
        text = _("上月台账已发布，现填报%(month)s进展。")
    return text % {"month": _month_label(home.month)}


# --- the clerk's ---------------------------------------------------------------------------


def progress_owed(home: Home):
    """The unit's projects owing the closing month's progress (the pre-flight's rule)."""
    user = home.user
    if not roles.can_file_progress(user) or user.unit is None:
        return None
    month = format_month(home.month)
    rows = unfiled_progress(user.unit.district, home.month, unit_id=user.unit_id)
    sheet = _url("progress", unit=user.unit.code, month=month)
    return HomeItem(
        key="progress-owed",
        title=_("%(month)s 月度进展待填报") % {"month": month},
        count=len(rows),
        url=sheet,
        rows=[
            Row(row["name"], _project_url(row["id"]), row["code"], _("填报"), sheet) for row in rows[:SHOWN]
        ],
        hint=_closing_hint(home),
        empty=_("%(month)s 进展已全部填报。") % {"month": month},
        tone="danger",
        order=10,
    )


def _next_planned():
    return Case(
        *[When(stage=stage, then=field) for stage, field in NEXT_PLANNED.items()],
        output_field=DateField(),
    )


def milestones_due(home: Home):
    """Projects whose next planned milestone (signing, start, production) is past or within 30 days."""
    horizon = home.today + dt.timedelta(days=SOON_DAYS)
    due = Q(pk__in=[])
    for stage, field in NEXT_PLANNED.items():
        due |= Q(stage=stage, **{f"{field}__lte": horizon})
    queryset = project_queryset(home.user).filter(due).annotate(next_planned=_next_planned())
    queryset = queryset.order_by("next_planned", "id")
    projects, count = shown(queryset)
    rows = []
    for p in projects:
        when = _("已过计划日期 %(date)s") if p.next_planned < home.today else _("计划 %(date)s")
        meta = f"{p.code} · {p.get_stage_display()} · " + when % {"date": p.next_planned.isoformat()}
        rows.append(Row(p.name, _project_url(p.pk), meta, _("推进"), _project_url(p.pk, "#next-step")))
    return HomeItem(
        key="milestones-due",
        title=_("到期的计划节点"),
        count=count,
        url=_url("projects"),
        rows=rows,
        hint=_("计划签约、开工或投产日期已过或在今后30天内的项目：到期即在项目页登记节点。"),
        empty=_("近期没有到期的计划节点。"),
        tone="warn",
        order=20,
    )


def reminders_to_sign(home: Home):
    """提示函 / 催办函 waiting for the unit's 签收."""
    queryset = reminder_queryset(home.user).filter(acknowledged_at__isnull=True).order_by("-month", "id")
    letters, count = shown(queryset)
    if not count:
        return None
    rows = [
        Row(
            f"{r.get_kind_display()} · {r.month:%Y-%m}",
            reverse("reminder-detail", args=[r.pk]),
            r.unit.name,
            _("签收"),
            reverse("reminder-acknowledge", args=[r.pk]),
            action_posts=True,
        )
        for r in letters
    ]
    return HomeItem(
        key="reminders",
        title=_("待签收的提示函"),
        count=count,
        url=reverse("reminders"),
        rows=rows,
        tone="danger",
        order=5,
    )


# --- shared --------------------------------------------------------------------------------


def overdue_projects(home: Home):
    queryset = project_queryset(home.user).filter(is_overdue=True).order_by("stage_since", "id")
    projects, count = shown(queryset)
    rows = [
        Row(
            p.name,
            _project_url(p.pk),
            f"{p.code} · {p.unit.name} · {p.get_stage_display()} "
            + _("自 %(date)s") % {"date": p.stage_since.isoformat()},
            _("推进") if roles.can_edit_project(home.user, p) else "",
            _project_url(p.pk, "#next-step"),
        )
        for p in projects
    ]
    return HomeItem(
        key="overdue",
        title=_("逾期项目"),
        count=count,
        url=_url("projects", is_overdue="true"),
        rows=rows,
        hint=_(
            "在谈、审定超过规定月数未签约，签约超过规定月数未开工，或已过计划投产日期仍未投产（谈而未定、定而未落）。"
        ),
        empty=_("没有逾期项目。"),
        tone="danger",
        order=40,
    )


def late_tasks(home: Home):
    """督办事项 (诉求, 会议交办, 函件整改, 领导交办) past their due date and not closed."""
    queryset = board_order(task_queryset(home.user).filter(overdue=True), home.user)
    tasks, count = shown(queryset)
    rows = [
        Row(
            t.content[:40],
            reverse("task-detail", args=[t.pk]),
            f"{t.get_source_display()}"
            + (f" · {t.project.name}" if t.project else "")
            + f" · {t.unit.name} · "
            + _("时限 %(date)s") % {"date": t.due_date.isoformat()},
            _("办理"),
            reverse("task-detail", args=[t.pk]),
        )
        for t in tasks
    ]
    return HomeItem(
        key="late-tasks",
        title=_("逾期督办事项"),
        count=count,
        url=_url("supervision", colour="red"),
        rows=rows,
        empty=_("没有逾期的督办事项。"),
        tone="danger",
        order=45,
    )


def tasks_to_verify(home: Home):
    """督办事项 a unit has reported done (已报办结), waiting for the manager's 验收销号."""
    queryset = task_queryset(home.user).filter(status=Task.Status.REPORTED).order_by("due_date", "id")
    tasks, count = shown(queryset)
    rows = [
        Row(
            t.content[:40],
            reverse("task-detail", args=[t.pk]),
            f"{t.get_source_display()} · {t.unit.name}",
            _("验收"),
            reverse("task-detail", args=[t.pk]),
        )
        for t in tasks
    ]
    return HomeItem(
        key="tasks-to-verify",
        title=_("待验收销号的督办事项"),
        count=count,
        url=reverse("supervision"),
        rows=rows,
        empty=_("没有待验收的督办事项。"),
        tone="warn",
        order=35,
    )


# --- the manager's -------------------------------------------------------------------------


def month_to_publish(home: Home):
    """The closing month: unpublished (the previous month) with the units that have not filed,
    or, once published, the current month's filing so far."""
    district = home.district
    if district is None or not roles.can_publish(home.user, district.pk):
        return None
    month = format_month(home.month)
    filing = progress_filing(district=district, months=[home.month])
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(filing))}
    behind = sorted(
        ((units[pk], entry) for pk, entry in filing.items() if entry["on_time"] < entry["owed"]),
        key=lambda pair: pair[0].code,
    )
    rows = [
        Row(
            unit.name,
            _url("progress", unit=unit.code, month=month),
            _("已填报 %(filed)s / %(owed)s 个项目") % {"filed": entry["on_time"], "owed": entry["owed"]},
        )
        for unit, entry in behind[:SHOWN]
    ]
    unpublished = home.month < month_start(home.today)
    return HomeItem(
        key="month-end",
        title=(_("%(month)s 台账未发布") if unpublished else _("%(month)s 进展填报")) % {"month": month},
        count=len(behind),
        url=reverse("month-end", args=[month]),
        rows=rows,
        hint=_("未填报完的单位：")
        if behind
        else (_("各单位已全部填报，可以发布。") if unpublished else _("各单位本月进展已全部填报。")),
        empty=_("去月末工作台发布。") if unpublished else _("上月台账已发布。"),
        tone="danger" if unpublished else "info",
        order=10,
    )


def reviews_waiting(home: Home):
    """在谈 projects whose planned signing is past or within 30 days: they need 审议 first."""
    horizon = home.today + dt.timedelta(days=SOON_DAYS)
    queryset = (
        project_queryset(home.user)
        .filter(stage=Stage.NEGOTIATING, planned_sign_date__lte=horizon)
        .order_by("planned_sign_date", "id")
    )
    projects, count = shown(queryset)
    rows = [
        Row(
            p.name,
            _project_url(p.pk),
            f"{p.code} · {p.unit.name} · "
            + _("计划签约 %(date)s") % {"date": p.planned_sign_date.isoformat()},
            _("审议") if roles.can_record_step(home.user, p, STEPS[Stage.APPROVED]) else "",
            _project_url(p.pk, "#next-step"),
        )
        for p in projects
    ]
    return HomeItem(
        key="reviews",
        title=_("待审议的在谈项目"),
        count=count,
        url=_url("projects", stage=Stage.NEGOTIATING),
        rows=rows,
        hint=_("计划签约日期已过或在今后30天内、尚未审议通过的在谈项目：签约前须经审议。"),
        empty=_("没有待审议的项目。"),
        tone="warn",
        order=20,
    )


def exit_reviews_to_decide(home: Home):
    """Exit reviews proposed or opened and not decided yet."""
    queryset = exit_review_queryset(home.user).filter(decision="").order_by("opened_on", "id")
    reviews, count = shown(queryset)
    rows = [
        Row(
            r.project.name,
            reverse("exit-review", args=[r.pk]),
            f"{r.project.code} · {r.project.unit.name} · {r.get_proposal_display()} · "
            + _("%(date)s 提请") % {"date": r.opened_on.isoformat()},
            _("审议决定") if roles.can_decide_exit(home.user, r.project) else "",
            reverse("exit-review", args=[r.pk]),
        )
        for r in reviews
    ]
    return HomeItem(
        key="exit-reviews",
        title=_("待决定的退出审议"),
        count=count,
        url=reverse("month-end", args=[format_month(home.month)]),
        rows=rows,
        empty=_("没有待决定的退出审议。"),
        tone="warn",
        order=30,
    )
