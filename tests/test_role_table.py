"""Who may do what, as one table: every action of accounts.roles for every kind of user, on a
project (and a 诉求 assigned to the project's unit) of the users' district."""

import pytest

from accounts import roles
from pipeline.requests import request_create
from projects.lifecycle import STEPS, Stage
from tests.factories import UserFactory, city_user, make_project, manager_of, staff_of, system_user

WHO = ("admin", "manager", "foreign_manager", "staff", "sibling_staff", "city", "system", "reader")

# action → the users who may do it (on the district's project / its 诉求 / for its district).
TABLE = {
    "can_write": {"admin", "manager", "foreign_manager", "staff", "sibling_staff", "system"},
    "can_edit_project": {"admin", "manager", "staff", "system"},
    "can_change_project": {"admin", "manager", "staff", "system"},
    "record started": {"admin", "manager", "staff", "system"},
    "record approved": {"admin", "manager", "system"},
    "record terminated": {"admin", "manager", "system"},
    "can_void": {"admin", "manager", "system"},
    "can_publish": {"admin", "manager", "system"},
    "can_issue_reminders": {"admin", "manager", "system"},
    "can_resolve_request": {"admin", "manager", "staff", "system"},
    "can_file_progress": {"admin", "manager", "foreign_manager", "staff", "sibling_staff", "system"},
    "can_create_projects": {"admin", "manager", "foreign_manager", "staff", "sibling_staff", "system"},
    "sees_whole_district": {"admin", "manager", "city", "system", "reader"},
    "is_unit_staff": {"staff", "sibling_staff"},
    "can_propose_exit": {"admin", "manager", "staff", "system"},
    "can_decide_exit": {"admin", "manager", "system"},
    "can_set_targets": {"admin", "manager", "system"},
}


@pytest.fixture
def people(unit, other_unit, foreign_unit, district):
    return {
        "admin": UserFactory(is_superuser=True, is_staff=True, username="root"),
        "manager": manager_of(district, username="m"),
        "foreign_manager": manager_of(foreign_unit.district, username="fm"),
        "staff": staff_of(unit, username="s"),
        "sibling_staff": staff_of(other_unit, username="ss"),
        "city": city_user(username="c"),
        "system": system_user(district, username="sys"),
        "reader": system_user(district, username="ro", read_only=True),
    }


def _decide(action, user, project, request_obj):
    if action.startswith("record "):
        return roles.can_record_step(user, project, STEPS[Stage(action.split()[1])])
    if action in ("can_write", "can_file_progress", "can_create_projects", "is_unit_staff"):
        return getattr(roles, action)(user)
    if action in (
        "can_edit_project",
        "can_change_project",
        "can_void",
        "can_propose_exit",
        "can_decide_exit",
    ):
        return getattr(roles, action)(user, project)
    if action == "can_resolve_request":
        return roles.can_resolve_request(user, request_obj)
    return getattr(roles, action)(user, project.district_id)


def test_every_role_may_do_exactly_what_the_table_says(people, unit, industry):
    project = make_project(unit=unit, industry=industry, by=people["manager"], name="表内项目")
    request_obj = request_create(
        project=project,
        by=people["staff"],
        category="land",
        description="用地报批",
        assigned_unit=unit,
        due_date="2025-03-01",
        raised_on="2025-02-01",
    )
    found = {
        action: {who for who in WHO if _decide(action, people[who], project, request_obj)} for action in TABLE
    }
    assert found == TABLE


def test_nobody_changes_a_terminated_project(people, unit, industry):
    """can_change_project: a terminated project is read-only for everyone (who may still void
    its termination stays as can_void says)."""
    from tests.factories import reach

    project = make_project(unit=unit, industry=industry, by=people["manager"], name="已终止项目")
    reach(project, Stage.TERMINATED, by=people["manager"])
    project.refresh_from_db()
    assert {who for who in WHO if roles.can_change_project(people[who], project)} == set()
    assert {who for who in WHO if roles.can_void(people[who], project)} == TABLE["can_void"]
