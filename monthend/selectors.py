"""Reads of the checked publications.

publication_of(district, month, version=None) -> Publication | None
    The month's latest (or given) checked publication.
with_publication_check(data) -> data
    A published ledger (pipeline.publishing.ledger_for_reader) with the gaps its version was
    published with.
closing_month(district, today) -> date
    The month being closed: the previous month until it is published, then the current one.
"""

import datetime as dt

from core.dates import add_months, local_today, month_start
from monthend.models import Publication
from pipeline.filters import as_month
from pipeline.models import PublishedLedger


def published_districts(month) -> set[int]:
    """The ids of the districts whose ledger of `month` is published (any version)."""
    return set(PublishedLedger.objects.filter(month=as_month(month)).values_list("district_id", flat=True))


def closing_month(district, today: dt.date | None = None) -> dt.date:
    """The month a district is closing on `today`: the previous month until its ledger is
    published, then the current month. What the home pages and the progress sheet ask about
    (on 3 December, November until November is published; December after)."""
    current = month_start(today or local_today())
    previous = add_months(current, -1)
    if district is None:
        return previous
    published = PublishedLedger.objects.filter(district=district, month=previous).exists()
    return current if published else previous


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
