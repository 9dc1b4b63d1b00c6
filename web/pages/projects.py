"""Project pages: the filtered list (and its Excel download), a project's page, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from core.dates import local_today
from pipeline.models import Review
from pipeline.selectors import project_with_totals
from projects.lifecycle import NEXT_STAGE, Stage
from projects.overdue import is_overdue
from projects.selectors import project_queryset
from web.monthend.views import project_exit_context
from web.pages.access import deny_unless, recordable_stages, visible_project
from web.pages.duplicates import likely_duplicate_projects
from web.pages.exports import EXPORT_FIELDS, projects_workbook
from web.pages.forms import PageProjectFilter, ProjectForm
from web.pages.history import SHOWN, project_history_rows
from web.supervision.meetings import project_supervision_context

PAGE_SIZE = 20
EXPORT_LIMIT = 20000

# Sortable columns: the name in the URL → the ordering field.
SORTS = {
    "code": "code",
    "name": "name",
    "stage": "stage",
    "district": "district__code",
    "unit": "unit__name",
    "investment": "total_investment",
    "contract": "contract_investment",
    "since": "stage_since",
    "signed": "signed_on",
    "started": "started_on",
}


def filtered_projects(request):
    """The user's projects under the list's filters and sort order, and the filterset."""
    filterset = PageProjectFilter(
        request.GET or None, queryset=project_queryset(request.user), user=request.user
    )
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    sort = request.GET.get("sort", "")
    field = SORTS.get(sort.lstrip("-"))
    if field:
        queryset = queryset.order_by(f"-{field}" if sort.startswith("-") else field, "-id")
    else:
        sort = ""
        queryset = queryset.order_by("-id")
    return filterset, queryset, sort


@login_required
def project_list(request):
    filterset, queryset, sort = filtered_projects(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [
        ("code", _("编号")),
        ("name", _("项目名称")),
        ("unit", _("责任单位")),
        ("stage", _("阶段")),
        ("since", _("本阶段起")),
        ("investment", _("总投资（万元）")),
        ("contract", _("合同投资（万元）")),
        ("signed", _("签约日期")),
        ("started", _("开工日期")),
    ]
    several_districts = roles.sees_several_districts(request.user)
    if several_districts:  # a city reader tells the districts' units apart
        columns.insert(2, ("district", _("区县")))
    return render(
        request,
        "web/pages/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": sort,
            "columns": columns,
            "several_districts": several_districts,
            "can_create": roles.can_create_projects(request.user),
            "export_limit": EXPORT_LIMIT,
        },
    )


@login_required
def project_export(request):
    _filterset, queryset, _sort = filtered_projects(request)
    # Beyond the limit the file says it was cut (and the list page says so beside the button).
    total = queryset.count()
    rows = queryset.values(*EXPORT_FIELDS)[:EXPORT_LIMIT].iterator(chunk_size=2000)
    content = projects_workbook(rows, total=total)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"projects-{local_today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def project_detail(request, pk):
    user = request.user
    project = visible_project(user, pk, project_with_totals(user))
    events = list(project.events.select_related("recorded_by", "voided_by", "review").order_by("date", "id"))
    standing = [event for event in events if event.voided_at is None]
    latest = standing[-1] if standing else None
    can_void = roles.can_void(user, project) and latest is not None and latest.stage != Stage.NEGOTIATING
    stages = recordable_stages(user, project)
    next_stage = NEXT_STAGE.get(project.stage)
    context = {
        "project": project,
        "events": events,
        "latest": latest,
        "rejected_reviews": list(
            project.reviews.filter(decision=Review.Decision.REJECTED)
            .select_related("recorded_by")
            .order_by("date", "id")
        ),
        "progress": list(project.progress.select_related("updated_by").order_by("-month")),
        "next_stage": next_stage,
        "next_stage_label": Stage(next_stage).label if next_stage else "",
        "can_record_next": next_stage in stages,
        "other_stages": [(s, Stage(s).label) for s in stages if s != next_stage],
        "can_edit": roles.can_edit_project(user, project),
        "can_change": roles.can_change_project(user, project),  # not once terminated
        "can_void": can_void,
        "overdue": is_overdue(project),
        **project_exit_context(user, project),
        **project_supervision_context(user, project),
        "history": project_history_rows(project),
        "history_shown": SHOWN,
        "dates": [
            (_("签约"), project.planned_sign_date, project.signed_on),
            (_("开工"), project.planned_start_date, project.started_on),
            (_("投产"), project.planned_production_date, project.producing_on),
        ],
    }
    return render(request, "web/pages/project_detail.html", context)


@login_required
def project_create(request):
    user = request.user
    deny_unless(roles.can_create_projects(user))
    form = ProjectForm(request.POST or None, user=user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm_duplicate") != "1":
            duplicates = likely_duplicate_projects(
                user=user, name=form.cleaned_data["name"], investor=form.cleaned_data.get("investor")
            )
        if not duplicates:
            project = form.save()
            if project is not None:
                messages.success(request, _("已新建项目 %(code)s。") % {"code": project.code})
                return redirect("project-detail", pk=project.pk)
    return render(
        request,
        "web/pages/project_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


@login_required
def project_edit(request, pk):
    user = request.user
    project = visible_project(user, pk)
    deny_unless(roles.can_change_project(user, project))
    form = ProjectForm(request.POST or None, instance=project, user=user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, _("项目信息已保存。"))
            return redirect("project-detail", pk=project.pk)
    return render(
        request,
        "web/pages/project_form.html",
        {"form": form, "project": project, "creating": False},
    )
