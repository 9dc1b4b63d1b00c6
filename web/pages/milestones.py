"""Recording a project's next milestone and voiding its latest event (managers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from pipeline.forms import VoidForm
from pipeline.transitions import contract_above_total, latest_standing_event
from projects.lifecycle import STEPS, Stage
from web.pages.access import deny_unless, recordable_stages, visible_project
from web.pages.forms import StaffMilestoneForm


@login_required
def milestone_record(request, pk):
    user = request.user
    project = visible_project(user, pk)
    stages = recordable_stages(user, project)
    deny_unless(bool(stages))
    if request.method == "POST":
        posted = request.POST.get("stage")
        # A stage the user may not record is refused outright, as the page never offered it.
        deny_unless(posted not in Stage.values or roles.can_record_step(user, project, STEPS[posted]))
    requested = request.GET.get("stage")
    form = StaffMilestoneForm(
        request.POST or None,
        project=project,
        user=user,
        stage=requested if requested in stages else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(user)
        if saved is not None and not form.errors:
            messages.success(
                request,
                _("已登记“%(stage)s”。") % {"stage": Stage(form.cleaned_data["stage"]).label}
                if getattr(saved, "stage", None)
                else _("已登记审议意见（不同意），项目仍为在谈。"),
            )
            project.refresh_from_db()
            if contract_above_total(project):
                messages.warning(
                    request,
                    _("请核对：合同投资额 %(contract)s 万元大于项目总投资 %(total)s 万元。")
                    % {"contract": project.contract_investment, "total": project.total_investment}
                    + _("已照常登记；如有误，可修改项目总投资或作废本节点后重新登记。"),
                )
            return redirect("project-detail", pk=project.pk)
    return render(request, "web/pages/milestone_form.html", {"project": project, "form": form})


@login_required
def event_void(request, pk):
    user = request.user
    project = visible_project(user, pk)
    deny_unless(roles.can_void(user, project))
    latest = latest_standing_event(project)
    form = VoidForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        voided = form.save(user)
        if voided is not None and not form.errors:
            messages.success(
                request,
                _("已作废“%(stage)s”节点，项目退回上一阶段。") % {"stage": voided.get_stage_display()},
            )
            return redirect("project-detail", pk=project.pk)
    return render(
        request,
        "web/pages/void_form.html",
        {
            "project": project,
            "form": form,
            "latest": latest,
            "voidable": latest is not None and latest.stage != Stage.NEGOTIATING,
        },
    )
