"""Who sees and changes what (accounts.roles): staff their unit, managers their district,
city users read everything, system accounts read (and, unless read-only, write) their scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from accounts import roles
from accounts.models import Role, User
from core.dates import local_today
from core.errors import Forbidden
from pipeline.intake import project_create
from pipeline.models import Request
from pipeline.progress import progress_save
from pipeline.requests import request_create
from pipeline.transitions import event_void, milestone_record, review_record
from projects.lifecycle import STEPS, Stage
from projects.models import Project
from projects.services import investor_create, project_update
from tests.factories import (
    STAGE_DATA,
    UserFactory,
    city_user,
    make_project,
    manager_of,
    reach,
    snapshot,
    staff_of,
    system_user,
)


@pytest.fixture
def world(unit, other_unit, foreign_unit, industry, manager):
    """One project per unit: two units in Jiulongpo, one in Jiangjin."""
    foreign_manager = manager_of(foreign_unit.district, username="jj-manager")
    return {
        "ours": make_project(unit=unit, industry=industry, by=manager, name="本单位项目"),
        "sibling": make_project(unit=other_unit, industry=industry, by=manager, name="本区他单位项目"),
        "foreign": make_project(unit=foreign_unit, industry=industry, by=foreign_manager, name="外区项目"),
    }


def visible(user) -> set[str]:
    return set(Project.objects.filter(roles.project_scope(user)).values_list("name", flat=True))


ALL = {"本单位项目", "本区他单位项目", "外区项目"}
DISTRICT = {"本单位项目", "本区他单位项目"}


def test_staff_see_their_units_projects(world, staff):
    assert visible(staff) == {"本单位项目"}


def test_managers_see_their_district(world, manager):
    assert visible(manager) == DISTRICT


def test_city_users_see_every_district(world, city):
    assert visible(city) == ALL


def test_a_system_account_of_a_district_sees_that_district(world, district):
    assert visible(system_user(district, username="dw-jlp")) == DISTRICT


def test_a_system_account_without_a_district_sees_everything(world):
    assert visible(system_user(None, username="dw", read_only=True)) == ALL


def test_superusers_see_everything(world):
    assert visible(UserFactory(username="root", is_superuser=True, is_staff=True)) == ALL


def test_anonymous_and_inactive_users_see_nothing(world, unit):
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()
    assert visible(staff_of(unit, username="gone", is_active=False)) == set()


def test_staff_without_a_unit_see_nothing(world):
    assert visible(UserFactory(username="lost", role=Role.UNIT_STAFF)) == set()


def test_scope_through_a_prefix_reaches_related_records(world, staff, manager):
    project = world["ours"]
    request_create(
        project=project,
        by=manager,
        category="land",
        description="用地",
        assigned_unit=project.unit,
        due_date=local_today() + dt.timedelta(days=30),
    )
    assert Request.objects.filter(roles.project_scope(staff, prefix="project__")).count() == 1
    assert (
        Request.objects.filter(roles.project_scope(city_user(username="c2"), prefix="project__")).count() == 1
    )
    outsider = manager_of(world["foreign"].district, username="jj2")
    assert Request.objects.filter(roles.project_scope(outsider, prefix="project__")).count() == 0


def test_district_scope(world, district, other_district, manager, staff, city):
    assert roles.district_scope(manager) == roles.district_scope(staff)
    from projects.models import District

    assert set(District.objects.filter(roles.district_scope(manager, "pk"))) == {district}
    assert set(District.objects.filter(roles.district_scope(city, "pk"))) == {district, other_district}
    assert not District.objects.filter(roles.district_scope(AnonymousUser(), "pk")).exists()


# --- writing --------------------------------------------------------------------------------


def refused(project, call):
    before = snapshot(project)
    with pytest.raises(Forbidden) as caught:
        call()
    assert caught.value.code == "forbidden"
    assert snapshot(project) == before


@pytest.mark.parametrize("stage", [Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY])
def test_staff_record_their_units_ordinary_milestones(project, staff, manager, stage):
    before = {Stage.SIGNED: Stage.APPROVED, Stage.STARTED: Stage.SIGNED}.get(stage)
    reach(project, before or {Stage.PRODUCING: Stage.STARTED, Stage.AT_CAPACITY: Stage.PRODUCING}[stage])
    project.refresh_from_db()
    milestone_record(
        project=project, by=staff, stage=stage, date=project.stage_since, **STAGE_DATA.get(stage, {})
    )
    project.refresh_from_db()
    assert project.stage == stage


@pytest.mark.parametrize("stage", [Stage.APPROVED, Stage.TERMINATED])
def test_staff_cannot_record_reviews_or_exits(project, staff, stage):
    refused(
        project,
        lambda: milestone_record(
            project=project, by=staff, stage=stage, date=dt.date(2025, 3, 1), **STAGE_DATA[stage]
        ),
    )


def test_staff_cannot_record_a_rejection(project, staff):
    refused(
        project,
        lambda: review_record(
            project=project,
            by=staff,
            decision="rejected",
            date=dt.date(2025, 3, 1),
            **STAGE_DATA[Stage.APPROVED],
        ),
    )


def test_staff_cannot_void(project, staff, manager):
    reach(project, Stage.SIGNED)
    refused(project, lambda: event_void(project=project, by=staff, reason="误登记"))


def test_staff_cannot_touch_another_units_project(world, staff):
    sibling = world["sibling"]
    refused(sibling, lambda: project_update(project=sibling, by=staff, name="越权修改"))
    refused(sibling, lambda: progress_save(project=sibling, by=staff, month=dt.date(2025, 6, 1)))


def test_staff_create_projects_only_in_their_unit(staff, unit, other_unit, industry):
    assert project_create(by=staff, unit=unit, industry=industry, name="本单位新项目").unit == unit
    with pytest.raises(Forbidden):
        project_create(by=staff, unit=other_unit, industry=industry, name="他单位新项目")


def test_staff_cannot_hand_a_project_to_another_unit(project, staff, other_unit):
    refused(project, lambda: project_update(project=project, by=staff, unit=other_unit))


def test_managers_write_only_in_their_district(world, manager, foreign_unit, industry):
    foreign = world["foreign"]
    refused(foreign, lambda: project_update(project=foreign, by=manager, name="越区修改"))
    refused(
        foreign,
        lambda: milestone_record(
            project=foreign,
            by=manager,
            stage=Stage.APPROVED,
            date=dt.date(2025, 3, 1),
            **STAGE_DATA[Stage.APPROVED],
        ),
    )
    with pytest.raises(Forbidden):
        project_create(by=manager, unit=foreign_unit, industry=industry, name="越区新建")


def test_managers_record_reviews_exits_and_voids_in_their_district(project, manager):
    reach(project, Stage.SIGNED, by=manager)
    event_void(project=project, by=manager, reason="误登记")
    milestone_record(
        project=project,
        by=manager,
        stage=Stage.TERMINATED,
        date=dt.date(2025, 6, 1),
        reason="investor_withdrew",
        reclaimed_land_mu=Decimal("0"),
    )
    project.refresh_from_db()
    assert project.stage == Stage.TERMINATED


def _every_write(project, user, unit, industry):
    return [
        lambda: project_create(by=user, unit=unit, industry=industry, name="新项目"),
        lambda: project_update(project=project, by=user, name="改名"),
        lambda: milestone_record(
            project=project,
            by=user,
            stage=Stage.APPROVED,
            date=dt.date(2025, 3, 1),
            **STAGE_DATA[Stage.APPROVED],
        ),
        lambda: review_record(
            project=project,
            by=user,
            decision="rejected",
            date=dt.date(2025, 3, 1),
            **STAGE_DATA[Stage.APPROVED],
        ),
        lambda: event_void(project=project, by=user, reason="误登记"),
        lambda: progress_save(
            project=project, by=user, month=dt.date(2025, 6, 1), funds_in_place=Decimal("1")
        ),
        lambda: request_create(
            project=project,
            by=user,
            category="land",
            description="用地",
            assigned_unit=unit,
            due_date=local_today() + dt.timedelta(days=30),
        ),
        lambda: investor_create(by=user, name="某公司"),
    ]


def test_city_users_write_nothing(project, city, unit, industry):
    for call in _every_write(project, city, unit, industry):
        refused(project, call)
    assert Project.objects.count() == 1


def test_read_only_system_accounts_write_nothing(project, unit, industry, district):
    reader = system_user(None, username="dw", read_only=True)
    for call in _every_write(project, reader, unit, industry):
        refused(project, call)


def test_read_only_flag_also_stops_a_manager(project, unit, industry, district):
    auditor = manager_of(district, username="auditor", read_only=True)
    for call in _every_write(project, auditor, unit, industry):
        refused(project, call)


def test_a_writing_system_account_acts_like_a_manager_of_its_district(
    project, district, foreign_unit, industry
):
    api = system_user(district, username="platform")
    milestone_record(
        project=project, by=api, stage=Stage.APPROVED, date=dt.date(2025, 3, 1), **STAGE_DATA[Stage.APPROVED]
    )
    with pytest.raises(Forbidden):
        project_create(by=api, unit=foreign_unit, industry=industry, name="越区")


def test_inactive_users_write_nothing(project, unit, industry, district):
    gone = manager_of(district, username="left", is_active=False)
    for call in _every_write(project, gone, unit, industry):
        refused(project, call)


def test_permission_helpers(project, staff, manager, city, district, other_district):
    assert roles.can_edit_project(staff, project)
    assert not roles.can_record_step(staff, project, STEPS[Stage.APPROVED])
    assert roles.can_record_step(staff, project, STEPS[Stage.STARTED])
    assert roles.can_void(manager, project) and not roles.can_void(staff, project)
    assert roles.can_publish(manager, district.pk) and not roles.can_publish(manager, other_district.pk)
    assert not roles.can_publish(staff, district.pk)
    assert not roles.can_write(city) and roles.can_write(staff)


# --- users ----------------------------------------------------------------------------------


def test_staff_must_belong_to_a_unit(db):
    with pytest.raises(ValidationError) as refused_:
        User(username="x", role=Role.UNIT_STAFF).full_clean()
    assert "unit" in refused_.value.message_dict


def test_staff_take_their_units_district(unit):
    user = User(username="x", role=Role.UNIT_STAFF, unit=unit)
    user.set_password("pass-1234")
    user.full_clean()
    assert user.district_id == unit.district_id


def test_managers_must_belong_to_a_district(db):
    with pytest.raises(ValidationError) as refused_:
        User(username="x", role=Role.DISTRICT_MANAGER).full_clean()
    assert "district" in refused_.value.message_dict


def test_a_users_unit_must_lie_in_their_district(foreign_unit, district):
    user = User(username="x", role=Role.DISTRICT_MANAGER, district=district, unit=foreign_unit)
    user.set_password("pass-1234")
    with pytest.raises(ValidationError) as refused_:
        user.full_clean()
    assert "unit" in refused_.value.message_dict


def test_unit_scope_is_the_units_a_user_may_create_projects_in(
    unit, other_unit, foreign_unit, staff, manager, city
):
    from projects.models import Unit

    def units(user):
        return set(Unit.objects.filter(roles.unit_scope(user)).values_list("code", flat=True))

    assert units(staff) == {unit.code}
    assert units(manager) == {unit.code, other_unit.code}
    assert units(city) == set()
    assert units(User.objects.create(username="ro", role=Role.UNIT_STAFF, unit=unit, read_only=True)) == set()
    admin = User.objects.create(username="root", role=Role.CITY, is_superuser=True)
    assert units(admin) == {unit.code, other_unit.code, foreign_unit.code}


def test_request_scope_adds_the_requests_assigned_to_the_users_unit(world, manager, other_unit):
    project = world["ours"]
    request_create(
        project=project,
        by=manager,
        category="land",
        description="用地",
        assigned_unit=other_unit,
        due_date=local_today() + dt.timedelta(days=30),
    )
    assigned = staff_of(other_unit, username="sci-clerk")
    assert not Project.objects.filter(roles.project_scope(assigned), pk=project.pk).exists()
    assert Request.objects.filter(roles.request_scope(assigned)).count() == 1
    outsider = manager_of(world["foreign"].district, username="jj3")
    assert Request.objects.filter(roles.request_scope(outsider)).count() == 0
