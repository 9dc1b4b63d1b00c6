"""The meeting pages (record a meeting and hand out its tasks in one form; the printable 交办单),
the project's 专班 (its section on the project page and its form), and the reply to a letter.
Thin views over supervision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from pipeline.reminders import reminder_projects, reminder_queryset
from projects.selectors import project_queryset
from supervision.models import Letter, Meeting
from supervision.selectors import meeting_detail, meeting_queryset, project_supervision
from web.pages.access import deny_unless, visible_project
from web.supervision.forms import MeetingForm, MeetingTaskFormSet, ReplyForm, ReportForm, TaskForceForm
from web.supervision.views import manager_district


@login_required
def meeting_list(request):
    user = request.user
    page = Paginator(meeting_queryset(user).order_by("-date", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "web/supervision/meeting_list.html",
        {"page": page, "can_record": manager_district(user) is not None},
    )


@login_required
def meeting_create(request):
    user = request.user
    district = manager_district(user)
    deny_unless(district is not None)
    projects = project_queryset(user).filter(district=district).order_by("code")
    form = MeetingForm(request.POST or None, district=district, projects=projects)
    tasks = MeetingTaskFormSet(
        request.POST or None, prefix="tasks", form_kwargs={"district_id": district.pk, "projects": projects}
    )
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        items = [item for item in (row.item() for row in tasks) if item]
        meeting = form.save(user, items)
        if meeting is not None:
            messages.success(request, _("会议已记录，交办事项 %(n)d 项。") % {"n": len(items)})
            return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "web/supervision/meeting_form.html", {"form": form, "tasks": tasks})


@login_required
def meeting_detail_view(request, pk):
    try:
        meeting, tasks = meeting_detail(pk, request.user)
    except Meeting.DoesNotExist:
        from django.http import Http404

        raise Http404 from None
    return render(request, "web/supervision/meeting_detail.html", {"meeting": meeting, "tasks": tasks})


def project_supervision_context(user, project) -> dict:
    """The project page's 督办 section: its 专班, plan steps (late ones marked) and open tasks."""
    view = project_supervision(project, user)
    for task in view["open_tasks"]:
        task.can_report = task.status == "open" and roles.can_report_task(user, task)
        task.can_verify = task.status == "reported" and roles.can_manage_tasks(user, task.district_id)
    return {
        "supervision": view,
        "can_edit_task_force": roles.can_edit_task_force(user, project),
        "can_raise_request": roles.can_raise_request(user, project),
        "report_form": ReportForm(),
    }


def _lines(rows, keys) -> str:
    return "\n".join(" | ".join(str(getattr(row, key) or "") for key in keys).rstrip(" |") for row in rows)


@login_required
def task_force_edit(request, pk):
    user = request.user
    project = visible_project(user, pk)
    deny_unless(roles.can_edit_task_force(user, project))
    view = project_supervision(project, user)
    force = view["task_force"]
    initial = {}
    if force is not None:
        initial = {
            "leader": force.leader,
            "lead_unit": force.lead_unit_id,
            "plan": force.plan,
            "members": _lines(view["members"], ("name", "unit", "role", "phone")),
            "steps": _lines(view["steps"], ("name", "planned_on", "done_on")),
        }
    else:
        initial = {"lead_unit": project.unit_id}
    form = TaskForceForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid() and form.save(user) is not None:
        messages.success(request, _("专班与推进方案已保存。"))
        return redirect("project-detail", pk=project.pk)
    return render(request, "web/supervision/task_force_form.html", {"form": form, "project": project})


@login_required
def letter_reply_view(request, pk):
    user = request.user
    reminder = get_object_or_404(reminder_queryset(user), pk=pk)
    letter = get_object_or_404(Letter, reminder=reminder)
    deny_unless(letter.replied_on is None and roles.can_reply_letter(user, reminder))
    projects = reminder_projects(reminder)
    form = ReplyForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid() and form.save(letter, user) is not None:
        messages.success(request, _("已书面回复 %(number)s。") % {"number": letter.document_number})
        return redirect("reminder-detail", pk=reminder.pk)
    return render(
        request,
        "web/supervision/letter_reply.html",
        {"form": form, "letter": letter, "reminder": reminder, "projects": projects},
    )
