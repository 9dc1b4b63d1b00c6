"""The checked publication: gaps need a confirmation and stay on record; re-publishing says
what changed; the report of a published month never changes."""

import datetime as dt

import pytest

from core.errors import Forbidden, GapsNotConfirmed
from exits.services import exit_review_open
from monthend.models import Publication, Scorecard
from monthend.publication import month_publish
from monthend.report.files import report_file
from pipeline.models import PublishedLedger
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests.factories import advance

D = dt.date


def test_publishing_with_gaps_needs_a_confirmation(month_end_year, district, manager):
    with pytest.raises(GapsNotConfirmed) as refused:
        month_publish(district=district, month="2025-10", by=manager)
    assert (refused.value.code, refused.value.field) == ("gaps_not_confirmed", "confirm_gaps")
    assert "1 个项目未填报月度进展、3 个逾期项目" in refused.value.message
    assert not PublishedLedger.objects.exists() and not Publication.objects.exists()

    publication = month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    assert (publication.gaps, publication.gaps_confirmed, publication.changes) == (4, True, None)
    assert publication.preflight["missing"] == 1
    assert [p["name"] for p in publication.preflight["units"][0]["missing"]] == ["乙项目"]
    assert Scorecard.objects.get(publication=publication).date_to == D(2025, 10, 31)


def test_without_gaps_no_confirmation_is_asked(month_end_year, district, manager, staff):
    progress_save(project=month_end_year["B"], by=manager, month=D(2025, 10, 1))
    for project in (month_end_year["A"], month_end_year["B"], month_end_year["C"]):
        exit_review_open(project=project, by=manager, proposal="exit", reason="长期停滞", date="2025-11-03")
    publication = month_publish(district=district, month="2025-10", by=manager)
    assert (publication.gaps, publication.gaps_confirmed) == (0, False)


def test_republishing_says_what_changed_since_the_last_version(month_end_year, district, manager):
    month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    advance(month_end_year["B"], (Stage.STARTED, D(2025, 10, 25)), by=manager)
    second = month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    assert second.ledger.version == 2
    assert second.changes["previous_version"] == 1
    changed = {
        row["name"]: {c["field"]: (c["published"], c["current"]) for c in row["changes"]}
        for row in second.changes["changed"]
    }
    assert changed["乙项目"]["stage"] == ("signed", "started")
    assert {entry["stage"] for entry in second.changes["summary"]} == {"signed", "started"}


def test_only_a_manager_publishes(month_end_year, district, staff):
    with pytest.raises(Forbidden):
        month_publish(district=district, month="2025-10", by=staff, confirm_gaps=True)


def test_a_published_months_report_is_the_same_on_every_download(month_end_year, district, manager):
    month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    first, name = report_file(district=district, month="2025-10")
    assert name == "report-jiulongpo-2025-10-v1.docx"
    advance(month_end_year["B"], (Stage.STARTED, D(2025, 10, 25)), by=manager)  # the month changes since
    progress_save(project=month_end_year["B"], by=manager, month=D(2025, 10, 1), funds_in_place="999")
    again, _name = report_file(district=district, month="2025-10")
    assert again == first
    Publication.objects.update(report_docx=None)  # even rebuilt from the frozen content
    assert report_file(district=district, month="2025-10")[0] == first
