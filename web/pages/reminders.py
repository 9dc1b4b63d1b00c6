"""提示函: the month's reminders (managers issue them), a unit's reminders (its staff sign for
them), and the printable letter. Thin views over pipeline.reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.dates import add_months, format_month, local_today, parse_month
from core.errors import Forbidden, ServiceError
from pipeline.models import Reminder
from pipeline.reminders import last_complete_month, reminder_acknowledge, reminder_letter, reminder_queryset
from projects.models import District, Project
from supervision.letters import letters_issue as issue_service
from supervision.models import Letter
from web.pages.access import deny_unless

PAGE_SIZE = 20
SHOWN_PROJECTS = 3


def _issuing_district(user):
    """The district `user` may issue reminders for (their own, as its manager), or None."""
    district_id = user.home_district_id
    if district_id and roles.can_issue_reminders(user, district_id):
        return District.objects.filter(pk=district_id).first()
    return None


def _month(raw):
    try:
        return parse_month(raw) if raw else None
    except ValueError:
        return None


def _with_projects(queryset):
    projects = Project.objects.only("id", "code", "name").order_by("code")
    return queryset.prefetch_related(Prefetch("projects", queryset=projects))


@login_required
def reminder_list(request):
    """Managers and city users: one month's letters (the last complete month by default).
    Unit staff: their unit's letters, every month unless one is picked, with 签收."""
    user = request.user
    raw = request.GET.get("month", "")
    month = _month(raw)
    if raw and month is None:
        messages.error(request, _("月份格式应为 YYYY-MM，收到“%(month)s”。") % {"month": raw[:16]})
    if month is None and not roles.is_unit_staff(user):
        month = last_complete_month()
    queryset = reminder_queryset(user)
    if month is not None:
        queryset = queryset.filter(month=month)
    totals = queryset.aggregate(
        total=Count("pk"),
        urging=Count("pk", filter=Q(kind=Reminder.Kind.URGING)),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
    )
    totals["pending"] = totals["total"] - totals["acknowledged"]
    page = Paginator(
        _with_projects(queryset.order_by("-month", "unit__district__code", "unit__code", "id")), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for item in page:
        item.can_acknowledge = item.acknowledged_at is None and roles.can_acknowledge_reminder(user, item)
        item.shown_projects = list(item.projects.all())[:SHOWN_PROJECTS]
    district = _issuing_district(user)
    context = {
        "page": page,
        "month": month,
        "month_value": format_month(month) if month else "",
        "previous_month": format_month(add_months(month, -1)) if month else None,
        "next_month": (
            format_month(add_months(month, 1))
            if month and add_months(month, 1) <= last_complete_month()
            else None
        ),
        "totals": totals,
        "issuing_district": district,
        "issue_month": format_month(month or last_complete_month()),
        "default_month": format_month(last_complete_month()),
        "is_unit_staff": roles.is_unit_staff(user),
        "shown_projects": SHOWN_PROJECTS,
    }
    return render(request, "web/pages/reminder_list.html", context)


@login_required
@require_POST
def reminders_issue(request):
    """「生成本月提示函」: the manager's own district, the posted month."""
    user = request.user
    district = _issuing_district(user)
    deny_unless(district is not None)
    month = request.POST.get("month", "")
    target = reverse("reminders")
    try:
        result = issue_service(district=district, month=month, by=user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(f"{target}?month={month}" if _month(month) else target)
    label = format_month(result.month)
    if result.created or result.extended:
        messages.success(
            request,
            _(
                "已生成%(district)s %(month)s 的提示函 %(created)s 份（工作提示函 %(notices)s 份、"
                "催办函 %(urgings)s 份），补充 %(extended)s 份；此前已发 %(already)s 份。"
            )
            % {
                "district": district.name,
                "month": label,
                "created": len(result.created),
                "notices": result.notices,
                "urgings": result.urgings,
                "extended": len(result.extended),
                "already": len(result.already_issued),
            },
        )
    elif result.already_issued:
        messages.info(
            request,
            _("%(month)s 的提示函此前已全部发出（%(already)s 份：%(units)s），没有新的逾期项目。")
            % {
                "month": label,
                "already": len(result.already_issued),
                "units": "、".join(r.unit.name for r in result.already_issued),
            },
        )
    else:
        messages.info(request, _("%(month)s 末没有逾期项目，无需发函。") % {"month": label})
    return redirect(f"{target}?month={label}")


@login_required
def reminder_detail(request, pk):
    """The letter itself, formatted for printing."""
    reminder = get_object_or_404(reminder_queryset(request.user), pk=pk)
    letter = reminder_letter(reminder)
    letter["can_acknowledge"] = reminder.acknowledged_at is None and roles.can_acknowledge_reminder(
        request.user, reminder
    )
    numbered = Letter.objects.filter(reminder=reminder).select_related("replied_by").first()
    letter["letter"] = numbered
    if numbered is not None:
        letter["reply_items"] = list(numbered.items.select_related("project"))
        letter["reply_overdue"] = numbered.replied_on is None and numbered.reply_due < local_today()
        letter["can_reply"] = numbered.replied_on is None and roles.can_reply_letter(request.user, reminder)
    return render(request, "web/pages/reminder_letter.html", letter)


@login_required
@require_POST
def reminder_acknowledge_view(request, pk):
    user = request.user
    reminder = get_object_or_404(reminder_queryset(user), pk=pk)
    try:
        reminder_acknowledge(reminder=reminder, by=user)
    except Forbidden:
        deny_unless(False)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已签收%(unit)s %(month)s 的%(kind)s。")
            % {
                "unit": reminder.unit.name,
                "month": format_month(reminder.month),
                "kind": reminder.get_kind_display(),
            },
        )
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reminder-detail", pk=reminder.pk)
