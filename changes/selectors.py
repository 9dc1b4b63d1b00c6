"""Reads of the change log: the changes feed (what a consumer has not seen yet, in seq order)
and a project's history, scoped by role (accounts.roles.change_scope)."""

from django.db.models import Q

from accounts.roles import change_scope
from changes.models import Change


def changes_after(user, after: int, *, limit: int, types=(), project_id=None):
    """Up to `limit` changes `user` may see with seq above `after`, oldest first. Seq order is
    commit order with no gaps (changes.recording), so asking again with the last seq returned
    never misses a change committed meanwhile. `types` may hold whole types (event.recorded)
    and families (project.* for every project.… type)."""
    queryset = Change.objects.filter(change_scope(user), seq__gt=after)
    if types:
        queryset = queryset.filter(types_query(types))
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    return list(queryset.order_by("seq")[:limit])


def types_query(types) -> Q:
    exact = [name for name in types if not name.endswith(".*")]
    query = Q(type__in=exact) if exact else Q(pk__in=[])
    for name in types:
        if name.endswith(".*"):
            query |= Q(type__startswith=name[:-1])
    return query


def project_history(project_id: int):
    """A project's changes, oldest first (its facts, events, reviews, progress, 诉求, exit
    reviews): the audit trail. The caller has checked that the user sees the project."""
    return Change.objects.filter(project_id=project_id).select_related("user").order_by("seq")
