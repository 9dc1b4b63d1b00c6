"""The exit reviews' figures, counted by pipeline.stats with the others (see RecordCounts there):
the reviews decided `exit` and decided `keep` in the period, by their decision date."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pipeline.stats import RecordCounts, register_record_counts

EXIT_REVIEW_COUNTS = RecordCounts(
    model="exits.ExitReview",
    date_field="decided_on",
    figures={
        "exit_decided_count": (_("审议决定退出（个）"), Q(decision="exit")),
        "keep_decided_count": (_("审议决定保留（个）"), Q(decision="keep")),
    },
)


def register_figures() -> None:
    register_record_counts(EXIT_REVIEW_COUNTS)
