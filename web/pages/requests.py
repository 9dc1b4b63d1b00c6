"""诉求: the list with each unit's resolution rate, raising one for a project, resolving one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import roles
from core.dates import local_today
from pipeline.models import Request
from pipeline.requests import unit_resolution_rates
from web.pages.access import deny_unless, visible_project, visible_requests
from web.pages.forms import RequestForm, ResolveForm

PAGE_SIZE = 20


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


@login_required
def request_list(request):
    user = request.user
    today = local_today()
    status = request.GET.get("status", "open")
    queryset = visible_requests(user)
    if status == "open":
        queryset = queryset.filter(status=Request.Status.OPEN)
    elif status == "late":
        queryset = queryset.filter(status=Request.Status.OPEN, due_date__lt=today)
    elif status == "resolved":
        queryset = queryset.filter(status=Request.Status.RESOLVED)
    else:
        status = "all"
    page = Paginator(queryset.order_by("status", "due_date", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for item in page:
        item.can_resolve = item.status == Request.Status.OPEN and roles.can_resolve_request(user, item)
        item.is_late = item.status == Request.Status.OPEN and item.due_date < today
    rates = list(
        unit_resolution_rates(
            Request.objects.filter(roles.district_scope(user, "assigned_unit__district_id"))
        )
    )
    for rate in rates:
        rate["rate"] = _percent(rate["resolved"], rate["total"])
        rate["on_time_rate"] = _percent(rate["resolved_on_time"], rate["total"])
    statuses = [
        ("open", _("办理中")),
        ("late", _("已超期")),
        ("resolved", _("已办结")),
        ("all", _("全部")),
    ]
    return render(
        request,
        "web/pages/request_list.html",
        {
            "page": page,
            "status": status,
            "statuses": statuses,
            "rates": rates,
            "several_districts": len({rate["assigned_unit__district__code"] for rate in rates}) > 1,
        },
    )


@login_required
def request_create(request, pk):
    user = request.user
    project = visible_project(user, pk)
    deny_unless(roles.can_change_project(user, project))
    form = RequestForm(request.POST or None, project=project, initial={"assigned_unit": project.unit_id})
    if request.method == "POST" and form.is_valid():
        created = form.save(user)
        if created is not None:
            messages.success(
                request, _("诉求已提交，承办单位：%(unit)s。") % {"unit": created.assigned_unit.name}
            )
            return redirect("project-detail", pk=project.pk)
    return render(request, "web/pages/request_form.html", {"project": project, "form": form})


@login_required
def request_resolve(request, pk):
    user = request.user
    request_obj = get_object_or_404(visible_requests(user), pk=pk)
    deny_unless(request_obj.status == Request.Status.OPEN and roles.can_resolve_request(user, request_obj))
    form = ResolveForm(request.POST or None, request_obj=request_obj)
    if request.method == "POST" and form.is_valid():
        resolved = form.save(user)
        if resolved is not None:
            messages.success(request, _("诉求已办结。"))
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
            return redirect(target if target and safe else "requests")
    return render(request, "web/pages/resolve_form.html", {"item": request_obj, "form": form})
