"""What the pages may show to whom: thin wrappers over accounts.roles and the selectors."""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.shortcuts import get_object_or_404

from accounts import roles
from pipeline.models import Request
from projects.lifecycle import STEPS, TRANSITIONS
from projects.selectors import project_queryset


def deny_unless(allowed: bool) -> None:
    """A refusal the page never offered: 403, whatever was posted."""
    if not allowed:
        raise PermissionDenied


def visible_project(user, pk, queryset=None):
    """The project if `user` may see it; 404 otherwise (its existence is not disclosed)."""
    return get_object_or_404(project_queryset(user) if queryset is None else queryset, pk=pk)


def recordable_stages(user, project) -> list[str]:
    """Target stages `user` may record for `project` now (in the transition table's order)."""
    allowed = TRANSITIONS.get(project.stage, frozenset())
    return [stage for stage in allowed if roles.can_record_step(user, project, STEPS[stage])]


def visible_requests(user):
    """诉求 of projects `user` sees, plus those assigned to its unit; `project_visible` says
    whether the project itself may be opened (a unit assigned another unit's request sees the
    request, not the project), so pages link to it only then."""
    project_scope = roles.project_scope(user, "project__")
    project_visible = (
        Case(When(project_scope, then=Value(True)), default=Value(False), output_field=BooleanField())
        if project_scope
        else Value(True)
    )
    return (
        Request.objects.filter(roles.request_scope(user))
        .annotate(project_visible=project_visible)
        .select_related("project", "project__unit", "assigned_unit", "raised_by", "resolved_by")
    )
