"""The month's progress sheet: every project of a unit on one page, saved in one transaction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Role
from core.dates import format_month, local_today, month_end, month_start, parse_month
from monthend.selectors import closing_month
from pipeline.models import MonthlyProgress
from projects.lifecycle import PIPELINE_STAGES
from projects.models import District
from projects.selectors import project_queryset
from web.pages.access import deny_unless
from web.pages.forms import ProgressFormSet, units_for


def _month(request, user):
    """The month asked for, or the month being closed (the previous month until the user's
    district publishes it)."""
    try:
        return parse_month(request.GET.get("month", ""))
    except ValueError:
        district = user.unit.district if user.unit_id else None
        if district is None and user.home_district_id:
            district = District.objects.filter(pk=user.home_district_id).first()
        return closing_month(district, local_today()) if district else month_start(local_today())


def _unit(request, user):
    """A clerk files for its unit; a manager picks one of its district's units."""
    if user.role == Role.UNIT_STAFF and not user.is_superuser:
        return user.unit, None
    units = list(units_for(user))
    code = request.GET.get("unit")
    chosen = next((unit for unit in units if unit.code == code), None)
    return chosen, units


def sheet_projects(user, unit, month):
    """The unit's projects that take a record for `month`: in the pipeline, or left it that month."""
    return (
        project_queryset(user)
        .filter(unit=unit, negotiation_started_on__lte=month_end(month))
        .filter(Q(stage__in=PIPELINE_STAGES) | Q(terminated_on__gte=month) | Q(at_capacity_on__gte=month))
        .order_by("code")
    )


@login_required
def progress_sheet(request):
    user = request.user
    deny_unless(roles.can_file_progress(user))
    month = _month(request, user)
    unit, units = _unit(request, user)
    context = {
        "month": month,
        "month_value": format_month(month),
        "max_month": format_month(local_today()),
        "unit": unit,
        "units": units,
    }
    if unit is None:
        return render(request, "web/pages/progress_sheet.html", context)
    deny_unless(roles.can_create_in_unit(user, unit))

    projects = list(sheet_projects(user, unit, month))
    by_id = {project.pk: project for project in projects}
    records = {
        record.project_id: record
        for record in MonthlyProgress.objects.filter(project_id__in=list(by_id), month=month)
    }
    initial = [ProgressFormSet.form.initial_for(project, records.get(project.pk)) for project in projects]
    formset = ProgressFormSet(request.POST or None, initial=initial)

    if request.method == "POST" and formset.is_valid():
        saved, failed = 0, False
        with transaction.atomic():
            for form in formset:
                if not form.has_changed():
                    continue
                project = by_id.get(form.cleaned_data["project"])
                if project is None:
                    form.add_error(None, _("该项目不在本单位本月的填报范围内。"))
                    failed = True
                elif form.save(project=project, by=user, month=month) is None:
                    failed = True
                else:
                    saved += 1
            if failed:
                transaction.set_rollback(True)
        if not failed:
            messages.success(
                request,
                _("已保存 %(count)s 个项目 %(month)s 的进展。")
                % {"count": saved, "month": format_month(month)},
            )
            url = reverse("progress")
            query = f"?month={format_month(month)}"
            if units is not None:
                query += f"&unit={unit.code}"
            return redirect(url + query)
        messages.error(request, _("有项目未能保存，请按提示修改后重新提交；本次未保存任何记录。"))

    rows = []
    for form in formset:
        try:
            project = by_id.get(int(form["project"].value()))
        except (TypeError, ValueError):
            project = None
        rows.append((form, project, records.get(project.pk) if project else None))
    context.update({"formset": formset, "rows": rows})
    return render(request, "web/pages/progress_sheet.html", context)
