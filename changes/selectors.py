"""Reads of the change log: the changes feed (what a consumer has not seen yet, in seq order)
and a project's history, scoped by role (accounts.roles.change_scope)."""

from accounts.roles import change_scope
from changes.models import Change


def changes_after(user, after: int, *, limit: int, types=(), project_id=None):
    """Up to `limit` changes `user` may see with seq above `after`, oldest first. Seq order is
    commit order with no gaps (changes.recording), so asking again with the last seq returned
    never misses a change committed meanwhile."""
    queryset = Change.objects.filter(change_scope(user), seq__gt=after)
    if types:
        queryset = queryset.filter(type__in=list(types))
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    return list(queryset.order_by("seq")[:limit])
