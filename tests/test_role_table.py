"""Who may do what, as one table: every action of accounts.roles for every kind of user, on a
project (and a 诉求 assigned to the project's unit) of the users' district."""

from types import SimpleNamespace

import pytest

from accounts import roles
from pipeline.requests import request_create
from projects.lifecycle import STEPS, Stage
from tests.factories import (
    InvestorFactory,
    UserFactory,
    city_user,
    make_project,
    manager_of,
    staff_of,
    system_user,
)

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
    "can_manage_tasks": {"admin", "manager", "system"},
    "can_report_task": {"admin", "manager", "staff", "system"},
    "can_raise_request": {"admin", "manager", "staff", "system"},
    "can_edit_task_force": {"admin", "manager", "staff", "system"},
    "can_reply_letter": {"admin", "manager", "staff", "system"},
    # The admin (everyone below has staff status): administrators and managers only.
    "can_use_admin": {"admin", "manager", "foreign_manager"},
    "can_manage_accounts": {"admin"},
    # Putting on the district's project an investor of another district's project.
    "can_attach_investor": {"admin"},
    "can_sign_in_with_password": {"admin", "manager", "foreign_manager", "staff", "sibling_staff", "city"},
    "can_import": {"admin", "manager", "system"},
    "can_manage_webhooks": {"admin", "system", "reader"},
}


@pytest.fixture
def foreign_investor(foreign_unit, industry):
    investor = InvestorFactory(name="外区投资主体")
    make_project(unit=foreign_unit, industry=industry, investor=investor, name="外区项目")
    return investor


@pytest.fixture
def people(unit, other_unit, foreign_unit, district):
    people = {
        "admin": UserFactory(is_superuser=True, is_staff=True, username="root"),
        "manager": manager_of(district, username="m"),
        "foreign_manager": manager_of(foreign_unit.district, username="fm"),
        "staff": staff_of(unit, username="s"),
        "sibling_staff": staff_of(other_unit, username="ss"),
        "city": city_user(username="c"),
        "system": system_user(district, username="sys"),
        "reader": system_user(district, username="ro", read_only=True),
    }
    for user in people.values():
        user.is_staff = True
        user.save()
    return people


def _decide(action, user, project, request_obj, investor):
    if action in ("can_use_admin", "can_manage_accounts", "can_sign_in_with_password"):
        return getattr(roles, action)(user)
    if action == "can_attach_investor":
        return roles.can_attach_investor(user, investor, project.district_id)
    if action.startswith("record "):
        return roles.can_record_step(user, project, STEPS[Stage(action.split()[1])])
    if action in (
        "can_write",
        "can_file_progress",
        "can_create_projects",
        "is_unit_staff",
        "can_manage_webhooks",
    ):
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
    if action in ("can_raise_request", "can_edit_task_force"):
        return getattr(roles, action)(user, project)
    if action == "can_report_task":  # a 督办事项 the project's unit must act on
        return roles.can_report_task(
            user, SimpleNamespace(unit_id=project.unit_id, district_id=project.district_id)
        )
    if action == "can_reply_letter":  # a letter addressed to the project's unit
        return roles.can_reply_letter(user, SimpleNamespace(unit_id=project.unit_id, unit=project.unit))
    return getattr(roles, action)(user, project.district_id)


def test_every_role_may_do_exactly_what_the_table_says(people, unit, industry, foreign_investor):
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
        action: {who for who in WHO if _decide(action, people[who], project, request_obj, foreign_investor)}
        for action in TABLE
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
