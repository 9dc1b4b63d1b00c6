"""Publishing a month: frozen as published, versions kept, corrections listed beside it."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import Forbidden, InvalidValue
from pipeline.models import PublishedLedger
from pipeline.publishing import ledger_for_reader, ledger_publish
from projects.lifecycle import Stage
from tests import factories
from tests.factories import advance, make_project

D = dt.date


def test_a_manager_publishes_and_republishing_adds_a_version(signed_in_february, district, manager):
    first = ledger_publish(district=district, month="2025-03", by=manager, note="三月台账")
    second = ledger_publish(district=district, month="2025-03", by=manager)
    assert (first.version, second.version) == (1, 2)
    assert first.published_by == manager
    assert first.data["month"] == "2025-03"
    assert first.data["summary"]["signed"] == {
        "label": "拟开工",
        "count": 1,
        "total_investment": "10000.00",
        "overdue": 0,
        "contract_investment": "520000.00",
        "month_funds_in_place": "0.00",
        "month_investment_completed": "0.00",
        "funds_in_place_total": "0.00",
    }
    assert [row["code"] for row in first.data["rows"]] == [signed_in_february.code]
    assert PublishedLedger.objects.filter(district=district).count() == 2


def test_only_a_manager_of_the_district_publishes(signed_in_february, district, staff, city, other_district):
    foreign_manager = factories.manager_of(other_district, username="jj-boss")
    for user in (staff, city, foreign_manager):
        with pytest.raises(Forbidden):
            ledger_publish(district=district, month="2025-03", by=user)
    assert not PublishedLedger.objects.exists()


def test_a_future_month_cannot_be_published(district, manager):
    with pytest.raises(InvalidValue) as refused:
        ledger_publish(district=district, month="2999-01", by=manager)
    assert refused.value.field == "month"


def test_the_month_under_way_is_published_from_its_last_day(district, manager, monkeypatch):
    """Published earlier, its ledger (read as of today) would later differ by the calendar
    alone and show 'corrections' nobody made."""
    import pipeline.publishing as publishing

    monkeypatch.setattr(publishing, "local_today", lambda: dt.date(2026, 3, 30))
    with pytest.raises(InvalidValue) as refused:
        ledger_publish(district=district, month="2026-03", by=manager)
    assert refused.value.field == "month" and "2026-03-31" in refused.value.message
    assert not PublishedLedger.objects.exists()
    monkeypatch.setattr(publishing, "local_today", lambda: dt.date(2026, 3, 31))
    assert ledger_publish(district=district, month="2026-03", by=manager).version == 1


def test_reading_a_published_month_shows_the_published_version_and_the_corrections(
    signed_in_february, district, manager, unit, industry
):
    ledger_publish(district=district, month="2025-03", by=manager)
    # Corrections after publishing: a back-dated start and a project back-dated into March.
    advance(signed_in_february, (Stage.STARTED, D(2025, 3, 10)), by=manager)
    late = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 3, 25), name="补录项目")
    data = ledger_for_reader("2025-03", user=manager)
    assert data["published"]["version"] == 1
    assert data["published"]["versions"] == [1]
    # The published figures stand ...
    assert data["summary"]["signed"]["count"] == 1
    assert data["summary"]["signed"]["total_investment"] == Decimal("10000.00")
    assert [row["stage"] for row in data["rows"]] == [Stage.SIGNED]
    # ... with what changed since listed beside them.
    corrections = data["corrections"]
    assert [row["code"] for row in corrections["added"]] == [late.code]
    assert corrections["removed"] == []
    [changed] = corrections["changed"]
    assert changed["code"] == signed_in_february.code
    stage_change = next(change for change in changed["changes"] if change["field"] == "stage")
    assert (stage_change["published"], stage_change["current"]) == (Stage.SIGNED, Stage.STARTED)
    assert corrections["count"] == 2


def test_an_unpublished_or_filtered_month_is_computed_live(signed_in_february, district, manager, staff):
    data = ledger_for_reader("2025-03", user=manager)
    assert data["published"] is None
    assert data["can_publish"] is True
    ledger_publish(district=district, month="2025-03", by=manager)
    filtered = ledger_for_reader("2025-03", user=manager, filters={"unit": "jlp-econ"})
    assert filtered["published"] is None
    # Unit staff see their unit's live ledger, never the whole district's frozen one.
    assert ledger_for_reader("2025-03", user=staff)["published"] is None
    assert ledger_for_reader("2025-03", user=staff)["can_publish"] is False


def test_an_earlier_version_can_be_read(signed_in_february, district, manager):
    ledger_publish(district=district, month="2025-03", by=manager)
    advance(signed_in_february, (Stage.STARTED, D(2025, 3, 10)), by=manager)
    ledger_publish(district=district, month="2025-03", by=manager)
    assert ledger_for_reader("2025-03", user=manager)["rows"][0]["stage"] == Stage.STARTED
    first = ledger_for_reader("2025-03", user=manager, version=1)
    assert first["rows"][0]["stage"] == Stage.SIGNED
    with pytest.raises(InvalidValue):
        ledger_for_reader("2025-03", user=manager, version=9)


def test_corrections_read_only_what_changed_and_equal_the_whole_month_compared(
    signed_in_february, district, manager, unit, other_unit, industry
):
    """The corrections of a published month re-read only the projects written since (or whose
    unit was renamed): the result must equal comparing the whole month's ledger of today."""
    from pipeline.ledger import ledger
    from pipeline.progress import progress_save
    from pipeline.publishing import corrections, district_filters, published_ledger
    from pipeline.transitions import event_void

    voided = make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 1, 10))
    advance(voided, (Stage.APPROVED, D(2025, 3, 3)), by=manager)
    funded = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 12))
    advance(
        funded,
        (Stage.APPROVED, D(2025, 1, 20)),
        (Stage.SIGNED, D(2025, 2, 2)),
        (Stage.STARTED, D(2025, 2, 9)),
        by=manager,
    )
    renamed = make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 2, 14))
    untouched = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 2, 15))
    ledger_publish(district=district, month="2025-03", by=manager)

    advance(signed_in_february, (Stage.STARTED, D(2025, 3, 10)), by=manager)  # a back-dated start
    event_void(project=voided, by=manager, reason="录入有误")  # back to 在谈
    progress_save(project=funded, by=manager, month=D(2025, 3, 1), funds_in_place=Decimal("88.00"))
    other_unit.name = "区经济信息委（更名）"
    other_unit.save()
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 3, 25), name="补录项目")

    record = published_ledger(district, "2025-03")
    data = ledger_for_reader("2025-03", user=manager)
    whole = corrections(data, ledger("2025-03", filters=district_filters(district)))
    assert data["corrections"] == whole
    changed = {entry["id"] for entry in whole["changed"]}
    assert {signed_in_february.pk, voided.pk, funded.pk, renamed.pk} <= changed
    assert untouched.pk not in changed and len(whole["added"]) == 1
    assert record.version == 1
