"""The transition table: forward one stage at a time, termination from any stage before full
capacity, nothing else. Checked for every (from, to) pair through the services."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import IllegalTransition
from pipeline.transitions import milestone_record
from projects.lifecycle import DATE_FIELDS, NEXT_STAGE, TRANSITIONS, Stage, can_transition
from tests.factories import STAGE_DATA, make_project, reach, snapshot

# The lifecycle as docs/design.md states it, written independently of projects.lifecycle.
ORDER = [
    Stage.NEGOTIATING,
    Stage.APPROVED,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.PRODUCING,
    Stage.AT_CAPACITY,
]


def allowed_by_design(current: str, target: str) -> bool:
    if target == Stage.TERMINATED:
        return current in ORDER[:-1]
    if current in ORDER and target in ORDER:
        return ORDER.index(target) == ORDER.index(current) + 1
    return False


ALL_PAIRS = [(current, target) for current in Stage for target in Stage]
hypothesis_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_the_table_says_what_the_design_says():
    for current, target in ALL_PAIRS:
        assert can_transition(current, target) == allowed_by_design(current, target), (current, target)
    assert set(TRANSITIONS) == set(Stage.values)


def test_next_stage_is_the_one_forward_step():
    for current in Stage:
        forward = [t for t in TRANSITIONS[current] if t != Stage.TERMINATED]
        assert NEXT_STAGE[current] == (forward[0] if forward else None)


def test_at_capacity_and_terminated_are_final():
    assert TRANSITIONS[Stage.AT_CAPACITY] == frozenset()
    assert TRANSITIONS[Stage.TERMINATED] == frozenset()


def _try(project, by, current, target):
    """Reach `current` through the services, then try `target`; check the outcome."""
    reach(project, current, by=by)
    project.refresh_from_db()
    assert project.stage == current
    date = project.stage_since + dt.timedelta(days=3)
    before = snapshot(project)
    if allowed_by_design(current, target):
        event = milestone_record(
            project=project, by=by, stage=target, date=date, **STAGE_DATA.get(target, {})
        )
        project.refresh_from_db()
        assert event.stage == target and event.from_stage == current
        assert project.stage == target
        assert project.stage_since == date
        assert getattr(project, DATE_FIELDS[target]) == date
        assert project.version == before["project"]["version"] + 1
        assert project.events.count() == len(before["events"]) + 1
    else:
        with pytest.raises(IllegalTransition) as refused:
            milestone_record(project=project, by=by, stage=target, date=date, **STAGE_DATA.get(target, {}))
        assert refused.value.code == "illegal_transition"
        assert refused.value.field == "stage"
        assert snapshot(project) == before


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=[f"{c}->{t}" for c, t in ALL_PAIRS])
def test_every_stage_pair_is_allowed_exactly_when_the_table_says(unit, industry, manager, current, target):
    project = make_project(unit=unit, industry=industry, by=manager)
    _try(project, manager, current, target)


@hypothesis_settings
@given(current=st.sampled_from(list(Stage)), target=st.sampled_from(list(Stage)))
def test_any_pair_reached_through_the_services_follows_the_table(unit, industry, manager, current, target):
    project = make_project(unit=unit, industry=industry, by=manager)
    _try(project, manager, current, target)


@hypothesis_settings
@given(targets=st.lists(st.sampled_from(list(Stage)), max_size=10))
def test_random_walks_only_ever_take_allowed_steps(unit, industry, manager, targets):
    project = make_project(unit=unit, industry=industry, by=manager, started=dt.date(2024, 1, 1))
    stage, date, taken = Stage.NEGOTIATING, dt.date(2024, 1, 1), 0
    for target in targets:
        date += dt.timedelta(days=7)
        data = STAGE_DATA.get(target, {})
        if allowed_by_design(stage, target):
            milestone_record(project=project, by=manager, stage=target, date=date, **data)
            stage, taken = target, taken + 1
        else:
            with pytest.raises(IllegalTransition):
                milestone_record(project=project, by=manager, stage=target, date=date, **data)
        project.refresh_from_db()
        assert project.stage == stage
    assert project.events.count() == 1 + taken
    assert project.version == 1 + taken


def test_signing_requires_an_approved_review(project, manager):
    with pytest.raises(IllegalTransition):
        milestone_record(
            project=project,
            by=manager,
            stage=Stage.SIGNED,
            date=dt.date(2025, 3, 1),
            **STAGE_DATA[Stage.SIGNED],
        )
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING


def test_a_project_walks_to_capacity_one_step_at_a_time(project):
    reach(project, Stage.AT_CAPACITY)
    project.refresh_from_db()
    assert project.stage == Stage.AT_CAPACITY
    assert project.signed_on == dt.date(2025, 2, 11)
    assert project.code == "JLP-2025-0001"
    assert [e.stage for e in project.events.order_by("date", "id")] == ORDER
    assert [e.from_stage for e in project.events.order_by("date", "id")] == ["", *ORDER[:-1]]
