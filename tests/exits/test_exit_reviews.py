"""Exit reviews: proposed by the unit or opened by a manager, opinions recorded, decided exit (the
终止 milestone, land and buildings reclaimed) or keep until a date; every refusal writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import DateOutOfOrder, Duplicate, Forbidden, IllegalTransition, InvalidValue, MissingField
from exits.models import ExitOpinion, ExitReview
from exits.services import exit_review_add_opinion, exit_review_decide, exit_review_open
from pipeline.models import StageEvent
from projects.lifecycle import Stage
from tests.factories import reach, snapshot

D = dt.date
OPINIONS = [
    {"from": "区经济信息委", "text": "投资方资金链断裂，无法开工。"},
    {"from": "规划自然资源局", "text": "同意收回土地。"},
]


def _open(project, by, proposal="exit", **kwargs):
    kwargs.setdefault("date", "2025-07-01")
    return exit_review_open(project=project, by=by, proposal=proposal, reason="长期未开工", **kwargs)


def _state(project):
    return {
        **snapshot(project),
        "reviews": list(ExitReview.objects.filter(project=project).order_by("id").values()),
        "opinions": list(ExitOpinion.objects.filter(review__project=project).order_by("id").values()),
    }


def test_the_unit_proposes_an_exit_with_its_opinions(signed_stale, staff):
    review = _open(signed_stale, staff, opinions=OPINIONS, date="2025-07-01")
    assert review.origin == ExitReview.Origin.UNIT
    assert review.proposal == "exit" and review.opened_on == D(2025, 7, 1) and review.opened_by == staff
    assert [(o.source, o.text) for o in review.opinions.all()] == [(o["from"], o["text"]) for o in OPINIONS]
    assert review.decision == ""


def test_a_manager_opens_a_review_and_others_add_opinions(signed_stale, manager, staff):
    review = _open(signed_stale, manager, proposal="keep")
    assert review.origin == ExitReview.Origin.BUREAU
    exit_review_add_opinion(review=review, by=staff, source="区经济信息委", text="企业承诺年内开工。")
    assert review.opinions.get().recorded_by == staff


def test_deciding_exit_records_the_termination_with_the_land_and_buildings(signed_stale, manager, staff):
    review = _open(signed_stale, staff, date="2025-07-01")
    decided = exit_review_decide(
        review=review,
        by=manager,
        decision="exit",
        date="2025-07-20",
        reason="经审议，项目退出，收回土地。",
        reclaimed_land_mu="35.5",
        reclaimed_building_m2="1200",
    )
    signed_stale.refresh_from_db()
    assert signed_stale.stage == Stage.TERMINATED and signed_stale.terminated_on == D(2025, 7, 20)
    event = decided.event
    assert (event.stage, event.date, event.reclaimed_land_mu, event.reclaimed_building_m2) == (
        Stage.TERMINATED,
        D(2025, 7, 20),
        Decimal("35.50"),
        Decimal("1200.00"),
    )
    assert event.reason == "long_unstarted" and event.note == "经审议，项目退出，收回土地。"
    assert (decided.decided_by, decided.decision, decided.keep_until) == (manager, "exit", None)


def test_deciding_keep_sets_the_date_and_leaves_the_stage(signed_stale, manager):
    review = _open(signed_stale, manager, proposal="keep", date="2025-07-01")
    decided = exit_review_decide(
        review=review,
        by=manager,
        decision="keep",
        date="2025-07-10",
        reason="企业已落实资金",
        keep_until="2025-12-31",
    )
    signed_stale.refresh_from_db()
    assert signed_stale.stage == Stage.SIGNED
    assert (decided.decision, decided.keep_until, decided.event) == ("keep", D(2025, 12, 31), None)


def _refused(project, error, field, call):
    before = _state(project)
    with pytest.raises(error) as caught:
        call()
    assert caught.value.field == field
    assert _state(project) == before
    return caught.value


def test_a_clerk_cannot_decide(signed_stale, staff):
    review = _open(signed_stale, staff)
    _refused(
        signed_stale,
        Forbidden,
        None,
        lambda: exit_review_decide(
            review=review, by=staff, decision="exit", date="2025-07-20", reason="退出", reclaimed_land_mu="1"
        ),
    )


def test_an_exit_without_land_data_is_refused(signed_stale, manager):
    review = _open(signed_stale, manager)
    error = _refused(
        signed_stale,
        MissingField,
        "reclaimed_land_mu",
        lambda: exit_review_decide(
            review=review, by=manager, decision="exit", date="2025-07-20", reason="退出"
        ),
    )
    assert "收回土地" in error.message


def test_a_keep_without_a_date_is_refused(signed_stale, manager):
    review = _open(signed_stale, manager, proposal="keep")
    _refused(
        signed_stale,
        MissingField,
        "keep_until",
        lambda: exit_review_decide(
            review=review, by=manager, decision="keep", date="2025-07-20", reason="保留"
        ),
    )


def test_a_keep_until_a_day_not_after_the_decision_is_refused(signed_stale, manager):
    review = _open(signed_stale, manager, proposal="keep")
    _refused(
        signed_stale,
        InvalidValue,
        "keep_until",
        lambda: exit_review_decide(
            review=review,
            by=manager,
            decision="keep",
            date="2025-07-20",
            reason="保留",
            keep_until="2025-07-20",
        ),
    )


def test_deciding_twice_is_refused(signed_stale, manager):
    review = _open(signed_stale, manager, proposal="keep")
    exit_review_decide(
        review=review, by=manager, decision="keep", date="2025-07-20", reason="保留", keep_until="2025-10-31"
    )
    for decision in ("keep", "exit"):
        _refused(
            signed_stale,
            Duplicate,
            "decision",
            lambda decision=decision: exit_review_decide(
                review=review,
                by=manager,
                decision=decision,
                date="2025-08-01",
                reason="再议",
                reclaimed_land_mu="0",
            ),
        )


def test_an_exit_dated_before_the_last_milestone_writes_nothing(signed_stale, manager):
    review = _open(signed_stale, manager, date="2025-01-01")
    _refused(
        signed_stale,
        DateOutOfOrder,
        "date",
        lambda: exit_review_decide(
            review=review,
            by=manager,
            decision="exit",
            date="2025-03-01",
            reason="退出",
            reclaimed_land_mu="0",
        ),
    )
    assert not StageEvent.objects.filter(project=signed_stale, stage=Stage.TERMINATED).exists()


def test_opening_refusals(signed_stale, staff, colleague_of_other_unit, unit, industry, manager):
    _refused(signed_stale, Forbidden, None, lambda: _open(signed_stale, colleague_of_other_unit))
    _refused(signed_stale, InvalidValue, "proposal", lambda: _open(signed_stale, staff, proposal="maybe"))
    _refused(
        signed_stale,
        MissingField,
        "reason",
        lambda: exit_review_open(
            project=signed_stale, by=staff, proposal="exit", reason="  ", date="2025-07-01"
        ),
    )
    _refused(
        signed_stale, MissingField, "opinions", lambda: _open(signed_stale, staff, opinions=[{"from": "x"}])
    )
    _refused(signed_stale, InvalidValue, "opinions", lambda: _open(signed_stale, staff, opinions=["同意"]))
    _open(signed_stale, staff)
    _refused(signed_stale, Duplicate, "proposal", lambda: _open(signed_stale, manager))


def test_a_project_at_capacity_has_no_exit_review(unit, industry, manager):
    from tests.factories import make_project

    project = make_project(unit=unit, industry=industry, by=manager)
    reach(project, Stage.AT_CAPACITY)
    project.refresh_from_db()
    _refused(project, IllegalTransition, "proposal", lambda: _open(project, manager))


def test_no_opinion_after_the_decision(signed_stale, manager):
    review = _open(signed_stale, manager)
    exit_review_decide(
        review=review, by=manager, decision="exit", date="2025-07-20", reason="退出", reclaimed_land_mu="0"
    )
    _refused(
        signed_stale,
        IllegalTransition,
        "text",
        lambda: exit_review_add_opinion(review=review, by=manager, source="区财政局", text="同意"),
    )


@pytest.fixture
def colleague_of_other_unit(other_unit):
    from tests.factories import staff_of

    return staff_of(other_unit, username="other-clerk")


def test_each_step_records_its_change(signed_stale, staff, manager):
    from changes.models import Change

    review = _open(signed_stale, staff, opinions=OPINIONS[:1])
    exit_review_add_opinion(review=review, by=manager, source="区财政局", text="同意")
    review = exit_review_decide(
        review=review, by=manager, decision="exit", date="2025-07-20", reason="退出", reclaimed_land_mu="3"
    )
    rows = list(
        Change.objects.filter(project_id=signed_stale.pk, type__startswith="exit_review").order_by("seq")
    )
    assert [row.type for row in rows] == [
        "exit_review.proposed",
        "exit_review.opinion_added",
        "exit_review.decided",
    ]
    assert rows[0].changes["proposal"] == [None, "exit"]
    assert rows[0].changes["opinions"] == [None, [{"from": "区经济信息委", "text": OPINIONS[0]["text"]}]]
    assert rows[2].changes["decision"] == ["", "exit"] and rows[2].changes["reclaimed_land_mu"] == [
        None,
        "3.00",
    ]
    assert rows[2].user == manager
    assert Change.objects.filter(
        project_id=signed_stale.pk, type="event.recorded", object_id=review.event_id
    ).exists()
