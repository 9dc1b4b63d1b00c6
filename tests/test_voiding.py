"""Correcting a wrong entry: the latest standing event is voided with a reason, the project
falls back to the stage before, and the history keeps both entries."""

import datetime as dt
from decimal import Decimal

import pytest

from core import errors
from pipeline.models import Review, StageEvent
from pipeline.transitions import derive_state, event_void, milestone_record
from projects.lifecycle import Stage
from tests.factories import STAGE_DATA, advance, make_project, manager_of, snapshot, staff_of

SIGNED_ON = dt.date(2025, 3, 11)


def test_voiding_the_signing_falls_back_to_approved(signed, manager):
    version = signed.version
    voided = event_void(project=signed, by=manager, reason="合同编号录错")
    signed.refresh_from_db()
    assert signed.stage == Stage.APPROVED
    assert signed.stage_since == dt.date(2025, 3, 1)
    assert signed.signed_on is None
    assert signed.contract_investment is None
    assert signed.approved_on == dt.date(2025, 3, 1)
    assert signed.version == version + 1
    voided.refresh_from_db()
    assert voided.stage == Stage.SIGNED
    assert voided.voided_at is not None
    assert voided.voided_by == manager
    assert voided.void_reason == "合同编号录错"


def test_the_history_keeps_the_voided_and_the_corrected_entry(signed, manager):
    event_void(project=signed, by=manager, reason="签约日期录错")
    milestone_record(
        project=signed,
        by=manager,
        stage=Stage.SIGNED,
        date=dt.date(2025, 3, 20),
        contract_no="HT-2",
        contract_investment=Decimal("12000"),
    )
    signed.refresh_from_db()
    signings = StageEvent.objects.filter(project=signed, stage=Stage.SIGNED).order_by("id")
    assert [(e.date, e.is_voided) for e in signings] == [(SIGNED_ON, True), (dt.date(2025, 3, 20), False)]
    assert signed.signed_on == dt.date(2025, 3, 20)
    assert signed.contract_investment == Decimal("12000.00")
    assert signed.events.count() == 4


def test_voiding_twice_walks_back_two_stages(signed, manager):
    event_void(project=signed, by=manager, reason="误登记")
    event_void(project=signed, by=manager, reason="审议结论录错")
    signed.refresh_from_db()
    assert signed.stage == Stage.NEGOTIATING
    assert signed.stage_since == signed.negotiation_started_on
    assert signed.approved_on is None and signed.signed_on is None
    assert signed.events.standing().count() == 1


def test_voiding_a_termination_restores_the_stage_before(signed, manager):
    advance(signed, (Stage.TERMINATED, dt.date(2025, 6, 1)))
    event_void(project=signed, by=manager, reason="退出审议尚未通过")
    signed.refresh_from_db()
    assert signed.stage == Stage.SIGNED
    assert signed.terminated_on is None
    assert signed.stage_since == SIGNED_ON


def test_only_the_latest_standing_event_can_be_voided(signed, manager):
    approval = signed.events.get(stage=Stage.APPROVED)
    before = snapshot(signed)
    with pytest.raises(errors.NotVoidable) as refused:
        event_void(project=signed, by=manager, reason="误登记", event=approval)
    assert refused.value.code == "not_voidable"
    assert snapshot(signed) == before


def test_the_latest_standing_event_can_be_named(signed, manager):
    signing = signed.events.get(stage=Stage.SIGNED)
    assert event_void(project=signed, by=manager, reason="误登记", event=signing).pk == signing.pk


def test_a_voided_event_cannot_be_voided_again(signed, manager):
    signing = event_void(project=signed, by=manager, reason="误登记")
    before = snapshot(signed)
    with pytest.raises(errors.NotVoidable):
        event_void(project=signed, by=manager, reason="再次作废", event=signing)
    assert snapshot(signed) == before


def test_an_event_of_another_project_is_not_voidable_here(signed, manager, unit, industry):
    other = make_project(unit=unit, industry=industry, by=manager)
    foreign = advance(other, (Stage.APPROVED, dt.date(2025, 2, 1)))
    before = snapshot(signed)
    with pytest.raises(errors.NotVoidable):
        event_void(project=signed, by=manager, reason="误登记", event=foreign)
    assert snapshot(signed) == before


def test_the_creation_event_is_not_voidable(project, manager):
    before = snapshot(project)
    with pytest.raises(errors.NotVoidable):
        event_void(project=project, by=manager, reason="误建")
    assert snapshot(project) == before


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(signed, manager, reason):
    before = snapshot(signed)
    with pytest.raises(errors.MissingField) as refused:
        event_void(project=signed, by=manager, reason=reason)
    assert refused.value.field == "reason"
    assert snapshot(signed) == before


def test_staff_cannot_void(signed, unit):
    clerk = staff_of(unit, username="clerk2")
    before = snapshot(signed)
    with pytest.raises(errors.Forbidden):
        event_void(project=signed, by=clerk, reason="误登记")
    assert snapshot(signed) == before


def test_a_manager_of_another_district_cannot_void(signed, other_district):
    before = snapshot(signed)
    with pytest.raises(errors.Forbidden):
        event_void(project=signed, by=manager_of(other_district), reason="误登记")
    assert snapshot(signed) == before


def test_after_voiding_dates_are_checked_against_the_stage_before(signed, manager):
    milestone_record(project=signed, by=manager, stage=Stage.STARTED, date=dt.date(2025, 5, 1))
    event_void(project=signed, by=manager, reason="开工日期录错")
    # earlier than the voided start, still after the signing: accepted
    milestone_record(project=signed, by=manager, stage=Stage.STARTED, date=dt.date(2025, 4, 1))
    signed.refresh_from_db()
    assert signed.started_on == dt.date(2025, 4, 1)
    event_void(project=signed, by=manager, reason="开工日期仍有误")
    with pytest.raises(errors.DateOutOfOrder):  # before the signing: refused
        milestone_record(project=signed, by=manager, stage=Stage.STARTED, date=dt.date(2025, 3, 1))


def test_derived_fields_ignore_voided_events(signed, manager):
    event_void(project=signed, by=manager, reason="误登记")
    signed.refresh_from_db()
    state = derive_state(signed.events.order_by("date", "id"))
    assert state["stage"] == signed.stage == Stage.APPROVED
    assert state["signed_on"] is None


def test_voiding_an_approval_keeps_its_review_on_record(project, manager):
    advance(project, (Stage.APPROVED, dt.date(2025, 2, 1)))
    event = event_void(project=project, by=manager, reason="审议材料不全")
    review = Review.objects.get(project=project)
    assert review.event_id == event.pk
    assert review.event.is_voided
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    # and the project may be reviewed again
    milestone_record(
        project=project,
        by=manager,
        stage=Stage.APPROVED,
        date=dt.date(2025, 3, 1),
        **STAGE_DATA[Stage.APPROVED],
    )
    assert Review.objects.filter(project=project).count() == 2
