"""What the pages may show to whom: thin wrappers over accounts.roles and the selectors."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import roles
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
