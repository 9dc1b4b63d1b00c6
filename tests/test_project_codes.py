"""Project codes: district prefix, year negotiations began, a four-digit sequence. Generated,
unique (also when projects are created at the same moment) and stable."""

import datetime as dt
import re
import time

import pytest
from django.db import transaction

from core.errors import InvalidValue
from pipeline.intake import project_create
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from projects.models import Project
from projects.services import project_update
from tests.factories import make_project, manager_of, reach, run_concurrently

CODE = re.compile(r"^[A-Z]+-\d{4}-\d{4}$")


def test_codes_read_district_year_and_sequence(unit, industry, manager):
    first = make_project(unit=unit, industry=industry, by=manager, started=dt.date(2025, 3, 1))
    second = make_project(unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 2))
    assert (first.code, second.code) == ("JLP-2025-0001", "JLP-2025-0002")
    assert CODE.match(first.code)


def test_the_year_is_the_year_negotiations_began(unit, industry, manager):
    old = make_project(unit=unit, industry=industry, by=manager, started=dt.date(2024, 12, 31))
    new = make_project(unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 1))
    assert old.code == "JLP-2024-0001"
    assert new.code == "JLP-2025-0001"


def test_each_district_counts_on_its_own(unit, foreign_unit, industry, manager):
    ours = make_project(unit=unit, industry=industry, by=manager)
    theirs = make_project(unit=foreign_unit, industry=industry, by=manager_of(foreign_unit.district))
    assert ours.code == "JLP-2025-0001"
    assert theirs.code == "JJ-2025-0001"


def test_codes_are_stable_through_edits_milestones_and_voids(project, manager):
    code = project.code
    project_update(project=project, by=manager, name="改名后的项目", expected_version=project.version)
    reach(project, Stage.STARTED)
    event_void(project=project, by=manager, reason="误登记")
    project.refresh_from_db()
    assert project.code == code


def test_the_code_cannot_be_set_by_hand(project, manager, unit, industry):
    with pytest.raises(InvalidValue):
        project_update(project=project, by=manager, code="JLP-2025-9999")
    with pytest.raises(InvalidValue):
        project_create(by=manager, unit=unit, industry=industry, name="手工编号", code="X-1")
    project.refresh_from_db()
    assert project.code == "JLP-2025-0001"


def test_a_refused_creation_does_not_use_up_a_number(unit, industry, manager):
    with pytest.raises(InvalidValue):
        project_create(by=manager, unit=unit, industry=industry, name="负投资", total_investment=-1)
    assert make_project(unit=unit, industry=industry, by=manager).code == "JLP-2025-0001"


def test_many_creations_give_many_distinct_codes(unit, industry, manager):
    codes = [make_project(unit=unit, industry=industry, by=manager).code for _ in range(12)]
    assert codes == [f"JLP-2025-{n:04d}" for n in range(1, 13)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_projects_created_at_the_same_moment_get_distinct_codes(unit, industry, manager):
    def create(n):
        def call():
            with transaction.atomic():
                project = make_project(unit=unit, industry=industry, by=manager, name=f"并发项目{n}")
                time.sleep(0.05)  # hold the sequence lock while the others queue
                return project.code

        return call

    results = run_concurrently(*(create(n) for n in range(6)))
    assert [kind for kind, _ in results] == ["ok"] * 6, results
    codes = sorted(code for _, code in results)
    assert codes == [f"JLP-2025-{n:04d}" for n in range(1, 7)]
    assert Project.objects.count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_first_projects_of_a_new_year_race_safely(unit, industry, manager):
    """Nobody holds the year's sequence row yet: the creators race to insert it."""
    results = run_concurrently(
        *(
            lambda n=n: (
                make_project(
                    unit=unit, industry=industry, by=manager, started=dt.date(2026, 1, 5), name=f"新年项目{n}"
                ).code
            )
            for n in range(5)
        )
    )
    assert [kind for kind, _ in results] == ["ok"] * 5, results
    assert sorted(code for _, code in results) == [f"JLP-2026-{n:04d}" for n in range(1, 6)]
