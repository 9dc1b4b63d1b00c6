"""Two people changing the same project at once: exactly one wins, the other is refused with a
clear error and nothing of theirs is written. A change made against a stale version of the
project is refused with `conflict`."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import transaction

from core import errors
from pipeline.models import Review, StageEvent
from pipeline.transitions import event_void, milestone_record
from projects.lifecycle import Stage
from projects.models import Project
from projects.services import project_update
from tests.factories import STAGE_DATA, make_project, manager_of, reach, run_concurrently, snapshot

APPROVAL = STAGE_DATA[Stage.APPROVED]


# --- stale versions (both databases) ---------------------------------------------------------


def test_project_update_against_a_stale_version_is_a_conflict(project, manager):
    seen = project.version
    project_update(project=project, by=manager, name="第一次修改", expected_version=seen)
    before = snapshot(project)
    with pytest.raises(errors.Conflict) as refused:
        project_update(project=project, by=manager, name="基于旧版本的修改", expected_version=seen)
    assert refused.value.code == "conflict"
    assert refused.value.status == 412
    assert snapshot(project) == before


def test_milestone_record_against_a_stale_version_is_a_conflict(project, manager):
    seen = project.version
    project_update(project=project, by=manager, task_force="专班A", expected_version=seen)
    before = snapshot(project)
    with pytest.raises(errors.Conflict):
        milestone_record(
            project=project,
            by=manager,
            stage=Stage.APPROVED,
            date=dt.date(2025, 3, 1),
            expected_version=seen,
            **APPROVAL,
        )
    assert snapshot(project) == before


def test_event_void_against_a_stale_version_is_a_conflict(project, manager):
    reach(project, Stage.SIGNED)
    project.refresh_from_db()
    seen = project.version
    milestone_record(project=project, by=manager, stage=Stage.STARTED, date=dt.date(2025, 3, 1))
    before = snapshot(project)
    with pytest.raises(errors.Conflict):
        # the user saw the project signed and meant to void the signing
        event_void(project=project, by=manager, reason="误登记", expected_version=seen)
    assert snapshot(project) == before


def test_every_accepted_change_moves_the_version(project, manager):
    versions = [project.version]
    project_update(project=project, by=manager, name="改名", expected_version=versions[-1])
    versions.append(Project.objects.get(pk=project.pk).version)
    milestone_record(
        project=project,
        by=manager,
        stage=Stage.APPROVED,
        date=dt.date(2025, 3, 1),
        expected_version=versions[-1],
        **APPROVAL,
    )
    versions.append(Project.objects.get(pk=project.pk).version)
    event_void(project=project, by=manager, reason="误登记", expected_version=versions[-1])
    versions.append(Project.objects.get(pk=project.pk).version)
    assert versions == [1, 2, 3, 4]


# --- simultaneous writers (PostgreSQL: real row locks) -----------------------------------------


def _approve(project, by, expected_version=None, hold=0.3):
    """Record the approval and keep the transaction (and its row lock) open a moment."""

    def call():
        with transaction.atomic():
            event = milestone_record(
                project=project,
                by=by,
                stage=Stage.APPROVED,
                date=dt.date(2025, 3, 1),
                expected_version=expected_version,
                **APPROVAL,
            )
            time.sleep(hold)
            return event

    return call


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_recordings_exactly_one_wins(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager)
    colleague = manager_of(unit.district, username="manager2")
    results = run_concurrently(_approve(project, manager), _approve(project, colleague))

    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, errors.IllegalTransition | errors.Conflict), repr(error)
    assert "已审定" in str(error)
    assert StageEvent.objects.filter(project=project, stage=Stage.APPROVED).count() == 1
    assert Review.objects.filter(project=project).count() == 1
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert project.version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_recordings_with_the_same_version_one_gets_conflict(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager)
    colleague = manager_of(unit.district, username="manager2")
    results = run_concurrently(
        _approve(project, manager, expected_version=1), _approve(project, colleague, expected_version=1)
    )
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, errors.Conflict), repr(error)
    assert StageEvent.objects.filter(project=project, stage=Stage.APPROVED).count() == 1
    assert Project.objects.get(pk=project.pk).version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_voids_of_the_same_version_void_one_event(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager)
    reach(project, Stage.STARTED, by=manager)
    version = Project.objects.get(pk=project.pk).version
    colleague = manager_of(unit.district, username="manager2")

    def void(by):
        def call():
            with transaction.atomic():
                event = event_void(project=project, by=by, reason="误登记", expected_version=version)
                time.sleep(0.3)
                return event

        return call

    results = run_concurrently(void(manager), void(colleague))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert StageEvent.objects.filter(project=project, voided_at__isnull=False).count() == 1
    assert Project.objects.get(pk=project.pk).stage == Stage.SIGNED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_signing_racing_a_termination_leaves_one_consistent_outcome(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager)
    reach(project, Stage.APPROVED, by=manager)

    def sign():
        with transaction.atomic():
            milestone_record(
                project=project,
                by=manager,
                stage=Stage.SIGNED,
                date=dt.date(2025, 4, 1),
                contract_no="HT-1",
                contract_investment=Decimal("100"),
            )
            time.sleep(0.3)

    def terminate():
        with transaction.atomic():
            milestone_record(
                project=project,
                by=manager,
                stage=Stage.TERMINATED,
                date=dt.date(2025, 4, 1),
                reason="investor_withdrew",
                reclaimed_land_mu=Decimal("0"),
            )
            time.sleep(0.3)

    run_concurrently(sign, terminate)
    project.refresh_from_db()
    standing = list(project.events.standing().order_by("date", "id").values_list("stage", flat=True))
    # signing then terminating is allowed; terminating then signing is not
    assert standing in (
        [Stage.NEGOTIATING, Stage.APPROVED, Stage.TERMINATED],
        [Stage.NEGOTIATING, Stage.APPROVED, Stage.SIGNED, Stage.TERMINATED],
    )
    assert project.stage == Stage.TERMINATED
    assert project.version == len(standing)
