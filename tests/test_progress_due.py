"""Who owes a month's progress (pipeline.selectors.progress_due), the one definition the home
page, the pre-flight and the scorecard read: the projects standing 拟开工, 拟投产 or 投产未达产
(signed, started, producing) on the month's last day, by their stage that day."""

import datetime as dt

import pytest

from pipeline.selectors import progress_due
from pipeline.transitions import event_void
from projects.lifecycle import PROGRESS_STAGES, Stage, months_in_stage
from projects.models import Project
from tests.factories import advance, make_project

pytestmark = pytest.mark.django_db

D = dt.date


def names(first):
    return sorted(progress_due(first, Project.objects.all()).values_list("name", flat=True))


def test_the_stages_that_owe_progress_are_the_signed_the_started_and_the_producing():
    assert PROGRESS_STAGES == (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)


def test_a_month_is_owed_by_the_stage_on_its_last_day(unit, industry, manager):
    began = D(2025, 1, 6)
    make_project(unit=unit, industry=industry, by=manager, started=began, name="洽谈")
    march = make_project(unit=unit, industry=industry, by=manager, started=began, name="三月签约")
    advance(march, (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 3, 10)), by=manager)
    april = make_project(unit=unit, industry=industry, by=manager, started=began, name="四月签约")
    advance(april, (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 4, 1)), by=manager)
    building = make_project(unit=unit, industry=industry, by=manager, started=began, name="建设中")
    advance(
        building,
        (Stage.APPROVED, D(2025, 1, 10)),
        (Stage.SIGNED, D(2025, 1, 20)),
        (Stage.STARTED, D(2025, 2, 1)),
        by=manager,
    )
    ended = make_project(unit=unit, industry=industry, by=manager, started=began, name="三月终止")
    advance(ended, (Stage.APPROVED, D(2025, 1, 10)), (Stage.SIGNED, D(2025, 1, 20)), by=manager)
    advance(ended, (Stage.TERMINATED, D(2025, 3, 31)), by=manager)

    assert names(D(2025, 2, 1)) == sorted(["建设中", "三月终止"])
    assert names(D(2025, 3, 1)) == sorted(["三月签约", "建设中"])
    assert names(D(2025, 4, 1)) == sorted(["三月签约", "四月签约", "建设中"])


def test_a_voided_milestone_changes_what_a_past_month_owed(unit, industry, manager):
    project = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="签约作废")
    event = advance(project, (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 2, 10)), by=manager)
    assert names(D(2025, 2, 1)) == ["签约作废"]
    project.refresh_from_db()
    event_void(project=project, event=event, by=manager, reason="录入错误", expected_version=project.version)
    assert names(D(2025, 2, 1)) == []


def test_months_in_stage_are_whole_months():
    assert months_in_stage(D(2025, 1, 31), D(2025, 2, 27)) == 0
    assert months_in_stage(D(2025, 1, 31), D(2025, 2, 28)) == 1
    assert months_in_stage(D(2025, 3, 10), D(2025, 3, 1)) == 0
