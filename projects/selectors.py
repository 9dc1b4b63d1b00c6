"""Reads of projects and investors, scoped by role and ready for lists (related rows joined)."""

from accounts.roles import scope_projects
from projects.models import Industry, Investor, Project
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


def industry_tree() -> list[tuple]:
    """Every industry as (industry, depth), depth first in code order: the tree 产业方向 → 产业集群
    as a filter lists it (one query)."""
    industries = list(Industry.objects.order_by("code"))
    children: dict = {}
    for industry in industries:
        children.setdefault(industry.parent_id, []).append(industry)
    ordered: list[tuple] = []

    def walk(parent_id, depth):
        for industry in children.get(parent_id, ()):
            ordered.append((industry, depth))
            walk(industry.pk, depth + 1)

    walk(None, 0)
    return ordered
