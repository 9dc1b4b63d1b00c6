"""The 督办 pages: the board (by unit, colour, source; a unit's own tasks first; one click to
report, one to verify), a task with its history and actions, assigning a task or raising a 诉求,
the printable task list of a unit. Thin views over supervision."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.dates import local_today
from projects.models import District, Unit
from supervision.models import Task
from supervision.rates import task_rates
from supervision.selectors import (
    board_order,
    counts_by_colour,
    late_steps,
    letter_queryset,
    task_filter,
    task_queryset,
    with_steps,
)
from web.pages.access import deny_unless, visible_project
from web.supervision.forms import ReassignForm, RejectForm, ReportForm, TaskForm, VerifyForm

PAGE_SIZE = 30
STATUSES = ("active", "open", "reported", "closed", "all")


def _back(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def units_in_scope(user):
    return Unit.objects.filter(roles.district_scope(user)).order_by("district__code", "code")


def manager_district(user):
    """The district a manager assigns tasks and records meetings in (None: may not)."""
    district_id = getattr(user, "home_district_id", None)
    if district_id and roles.can_manage_tasks(user, district_id):
        return District.objects.get(pk=district_id)
    return None


def _decorate(tasks, user):
    for task in tasks:
        task.can_report = task.status == Task.Status.OPEN and roles.can_report_task(user, task)
        task.can_verify = task.status == Task.Status.REPORTED and roles.can_manage_tasks(
            user, task.district_id
        )
    return tasks


@login_required
def board(request):
    user = request.user
    params = request.GET
    units = list(units_in_scope(user))
    unit = next((u for u in units if u.code == params.get("unit")), None)  # never a query with user text
    source = params.get("source") if params.get("source") in Task.Source.values else ""
    colour = params.get("colour") if params.get("colour") in ("red", "yellow", "green") else ""
    status = params.get("status") if params.get("status") in STATUSES else "active"
    base = task_filter(task_queryset(user), unit=unit, source=source)
    if status == "active":
        base = base.exclude(status=Task.Status.CLOSED)
    elif status != "all":
        base = base.filter(status=status)
    counts = counts_by_colour(base)
    rows = board_order(task_filter(base, colour=colour), user)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    _decorate(page.object_list, user)
    year = local_today().year
    rates = task_rates(
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        tasks=task_queryset(user),
        letters=letter_queryset(user),
        group_by="unit",
    )
    names = {u.pk: u.name for u in Unit.objects.filter(pk__in=list(rates))}
    context = {
        "page": page,
        "counts": counts,
        "unit": unit,
        "units": units,
        "source": source,
        "sources": Task.Source.choices,
        "colour": colour,
        "status": status,
        "statuses": [
            ("active", _("未销号")),
            ("open", _("办理中")),
            ("reported", _("待验收")),
            ("closed", _("已销号")),
            ("all", _("全部")),
        ],
        "rates": [{"name": names.get(pk, ""), **row} for pk, row in rates.items()],
        "year": year,
        "late_steps": list(late_steps(user)[:50]),
        "can_assign": manager_district(user) is not None,
        "printing": params.get("print") == "1",
        "report_form": ReportForm(),
    }
    return render(request, "web/supervision/board.html", context)


@login_required
def task_detail(request, pk):
    user = request.user
    task = get_object_or_404(with_steps(task_queryset(user)), pk=pk)
    _decorate([task], user)
    manager = roles.can_manage_tasks(user, task.district_id) and task.status != Task.Status.CLOSED
    context = {
        "task": task,
        "report_form": ReportForm(),
        "verify_form": VerifyForm(),
        "reject_form": RejectForm(),
        "reassign_form": ReassignForm(district_id=task.district_id) if manager else None,
        "project_visible": bool(task.project_id)
        and task_queryset(user).filter(pk=task.pk).filter(roles.project_scope(user, "project__")).exists(),
    }
    return render(request, "web/supervision/task_detail.html", context)


def _task_action(request, pk, form_class, done_message, form_kwargs=None, *, manager=True):
    """A step posted from the board or the task page; the outcome is a message on the page it
    came from (a refusal names the problem, and nothing was written)."""
    user = request.user
    task = get_object_or_404(task_queryset(user), pk=pk)
    deny_unless(
        roles.can_manage_tasks(user, task.district_id) if manager else roles.can_report_task(user, task)
    )
    form = form_class(request.POST, **(form_kwargs(task) if form_kwargs else {}))
    if form.is_valid() and form.save(task, user) is not None:
        messages.success(request, done_message)
    else:
        errors = "；".join(
            f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
            for name, errs in form.errors.items()
            for error in errs
        )
        messages.error(request, errors or _("操作未完成。"))
    return _back(request, reverse("task-detail", args=[task.pk]))


@login_required
@require_POST
def task_report_view(request, pk):
    return _task_action(request, pk, ReportForm, _("办理情况已报送，等待验收。"), manager=False)


@login_required
@require_POST
def task_verify_view(request, pk):
    return _task_action(request, pk, VerifyForm, _("已验收销号。"))


@login_required
@require_POST
def task_reject_view(request, pk):
    return _task_action(request, pk, RejectForm, _("已退回承办单位重办。"))


@login_required
@require_POST
def task_reassign_view(request, pk):
    return _task_action(
        request, pk, ReassignForm, _("已改派。"), form_kwargs=lambda task: {"district_id": task.district_id}
    )


@login_required
def task_create_view(request):
    user = request.user
    district = manager_district(user)
    deny_unless(district is not None)
    form = TaskForm(request.POST or None, district_id=district.pk)
    if request.method == "POST" and form.is_valid():
        task = form.save(user)
        if task is not None:
            messages.success(request, _("已交办：%(unit)s。") % {"unit": task.unit.name})
            return redirect("task-detail", pk=task.pk)
    return render(request, "web/supervision/task_form.html", {"form": form, "project": None})


@login_required
def request_create(request, pk):
    """诉求: raised for a project by whoever may edit it, as a task with source `request`."""
    user = request.user
    project = visible_project(user, pk)
    deny_unless(roles.can_raise_request(user, project))
    form = TaskForm(
        request.POST or None,
        district_id=project.district_id,
        project=project,
        request=True,
        initial={"unit": project.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        task = form.save(user)
        if task is not None:
            messages.success(request, _("诉求已提交，承办单位：%(unit)s。") % {"unit": task.unit.name})
            return redirect("project-detail", pk=project.pk)
    return render(request, "web/supervision/task_form.html", {"form": form, "project": project})
