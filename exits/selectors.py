"""Reads of the exit reviews, scoped by role (accounts.roles: a review is seen by whoever sees
its project), with the people, the 终止 event and the opinions joined: two queries a page."""

from django.db.models import Prefetch

from accounts.roles import project_scope
from exits.models import ExitOpinion, ExitReview


def exit_review_queryset(user):
    return (
        ExitReview.objects.filter(project_scope(user, "project__"))
        .select_related("project__unit", "project__district", "opened_by", "decided_by", "event")
        .prefetch_related(
            Prefetch("opinions", queryset=ExitOpinion.objects.select_related("recorded_by").order_by("id"))
        )
    )


def project_exit_reviews(user, project):
    """A project's reviews, oldest first (every one is kept, decided or not)."""
    return exit_review_queryset(user).filter(project=project).order_by("opened_on", "id")
