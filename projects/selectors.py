"""Reads of projects and investors, scoped by role and ready for lists (related rows joined)."""

from accounts.roles import scope_projects
from projects.models import Investor, Project
from projects.overdue import overdue_expression


def project_queryset(user, *, as_of=None):
    """Projects `user` may see, with what a list or detail shows joined in one query and
    `is_overdue` computed by the database."""
    queryset = Project.objects.select_related("district", "unit", "park", "industry", "investor").annotate(
        is_overdue=overdue_expression(as_of)
    )
    return scope_projects(user, queryset)


def investor_queryset():
    """Investors are shared reference records: everyone signed in may read them."""
    return Investor.objects.all()
