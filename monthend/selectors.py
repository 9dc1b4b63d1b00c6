"""Reads of the checked publications.

publication_of(district, month, version=None) -> Publication | None
    The month's latest (or given) checked publication.
with_publication_check(data) -> data
    A published ledger (pipeline.publishing.ledger_for_reader) with the gaps its version was
    published with.
"""

from monthend.models import Publication
from pipeline.filters import as_month


def publication_of(district, month, version: int | None = None) -> Publication | None:
    queryset = Publication.objects.filter(
        ledger__district=district, ledger__month=as_month(month)
    ).select_related("ledger__published_by")
    if version is not None:
        return queryset.filter(ledger__version=version).first()
    return queryset.order_by("-ledger__version").first()


def with_publication_check(data: dict) -> dict:
    """Add to a published ledger (pipeline.publishing.ledger_for_reader) the gaps its version was
    published with and their pre-flight (None for a version published before the checks)."""
    published, district = data.get("published"), data.get("district")
    if published and district:
        publication = Publication.objects.filter(
            ledger__district__code=district["code"],
            ledger__month=as_month(data["month"]),
            ledger__version=published["version"],
        ).first()
        published["gaps"] = publication.gaps if publication else None
        published["preflight"] = publication.preflight if publication else None
    return data
