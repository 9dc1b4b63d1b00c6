"""审议: three opinions and a decision. Approval is the `approved` milestone; a rejection is
kept on record and the project stays negotiating."""

import datetime as dt

import pytest

from core import errors
from core.dates import local_today
from pipeline.models import Review, StageEvent
from pipeline.transitions import review_record
from projects.lifecycle import Stage
from tests.factories import STAGE_DATA, reach, snapshot

OPINIONS = STAGE_DATA[Stage.APPROVED]


def review(project, by, decision, date=dt.date(2025, 3, 1), **overrides):
    return review_record(project=project, by=by, decision=decision, date=date, **{**OPINIONS, **overrides})


def test_a_rejection_is_kept_and_the_project_stays_negotiating(project, manager):
    version = project.version
    rejected = review(project, manager, Review.Decision.REJECTED, note="测算依据不足")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert project.stage_since == project.negotiation_started_on
    assert project.approved_on is None
    assert project.version == version + 1  # stale forms notice
    assert rejected.decision == Review.Decision.REJECTED
    assert rejected.event is None
    assert rejected.industry_opinion == OPINIONS["industry_opinion"]
    assert rejected.recorded_by == manager
    assert project.events.count() == 1  # no stage event for a rejection


def test_a_rejected_project_may_be_reviewed_again_and_approved(project, manager):
    review(project, manager, Review.Decision.REJECTED)
    approved = review(project, manager, Review.Decision.APPROVED, date=dt.date(2025, 5, 1))
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert project.approved_on == dt.date(2025, 5, 1)
    decisions = list(project.reviews.order_by("date").values_list("decision", flat=True))
    assert decisions == [Review.Decision.REJECTED, Review.Decision.APPROVED]
    assert approved.event.stage == Stage.APPROVED


def test_an_approval_records_the_milestone_with_its_review(project, manager):
    approved = review(project, manager, Review.Decision.APPROVED)
    event = StageEvent.objects.get(project=project, stage=Stage.APPROVED)
    assert approved.event == event
    assert approved.expert_opinion == OPINIONS["expert_opinion"]


@pytest.mark.parametrize("missing", list(OPINIONS))
@pytest.mark.parametrize("decision", [Review.Decision.APPROVED, Review.Decision.REJECTED])
def test_each_opinion_is_required(project, manager, missing, decision):
    before = snapshot(project)
    with pytest.raises(errors.MissingField) as refused:
        review(project, manager, decision, **{missing: ""})
    assert refused.value.field == missing
    assert snapshot(project) == before


def test_only_a_negotiating_project_can_be_rejected(project, manager):
    reach(project, Stage.SIGNED)
    before = snapshot(project)
    with pytest.raises(errors.IllegalTransition):
        review(project, manager, Review.Decision.REJECTED, date=dt.date(2025, 6, 1))
    assert snapshot(project) == before


def test_an_unknown_decision_is_an_invalid_value(project, manager):
    before = snapshot(project)
    with pytest.raises(errors.InvalidValue) as refused:
        review(project, manager, "maybe")
    assert refused.value.field == "decision"
    assert snapshot(project) == before


def test_a_rejection_obeys_the_date_rules(project, manager):
    before = snapshot(project)
    with pytest.raises(errors.DateOutOfOrder):
        review(project, manager, Review.Decision.REJECTED, date=dt.date(2024, 12, 31))
    with pytest.raises(errors.DateInFuture):
        review(project, manager, Review.Decision.REJECTED, date=local_today() + dt.timedelta(days=2))
    assert snapshot(project) == before


def test_a_rejection_against_a_stale_version_is_a_conflict(project, manager):
    review(project, manager, Review.Decision.REJECTED)
    before = snapshot(project)
    with pytest.raises(errors.Conflict):
        review_record(
            project=project,
            by=manager,
            decision=Review.Decision.REJECTED,
            date=dt.date(2025, 4, 1),
            expected_version=1,
            **OPINIONS,
        )
    assert snapshot(project) == before
