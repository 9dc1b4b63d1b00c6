"""诉求: raised for a project by whoever may edit it, assigned to a unit of the project's
district with a due date, resolved once by the assigned unit or a manager."""

import datetime as dt

import pytest

from accounts import roles
from core import errors
from core.dates import local_today
from pipeline.models import Request
from pipeline.requests import request_create, request_resolve, unit_resolution_rates
from tests.factories import manager_of, staff_of

TODAY = local_today()


def raise_request(project, by, **overrides):
    values = {
        "category": Request.Category.LAND,
        "description": "二期用地需纳入供地计划",
        "assigned_unit": project.unit,
        "due_date": TODAY + dt.timedelta(days=30),
        "raised_on": TODAY - dt.timedelta(days=5),
    }
    return request_create(project=project, by=by, **{**values, **overrides})


def test_staff_raise_a_request_for_their_project(project, staff, other_unit):
    request = raise_request(project, staff, assigned_unit=other_unit, description="  需协调用电  ")
    assert request.status == Request.Status.OPEN
    assert request.description == "需协调用电"
    assert request.raised_by == staff


def test_the_raised_date_defaults_to_today(project, staff):
    request = request_create(
        project=project,
        by=staff,
        category="finance",
        description="融资",
        assigned_unit=project.unit,
        due_date=TODAY,
    )
    assert request.raised_on == TODAY


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"category": "weather"}, errors.InvalidValue, "category"),
        ({"description": "  "}, errors.MissingField, "description"),
        ({"assigned_unit": None}, errors.MissingField, "assigned_unit"),
        ({"due_date": None}, errors.MissingField, "due_date"),
        ({"raised_on": TODAY + dt.timedelta(days=1)}, errors.InvalidValue, "raised_on"),
        ({"due_date": TODAY - dt.timedelta(days=6)}, errors.InvalidValue, "due_date"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(project, staff, overrides, error, field):
    with pytest.raises(error) as refused:
        raise_request(project, staff, **overrides)
    assert refused.value.field == field
    assert not Request.objects.exists()


def test_the_assigned_unit_must_be_in_the_projects_district(project, staff, foreign_unit):
    with pytest.raises(errors.InvalidValue) as refused:
        raise_request(project, staff, assigned_unit=foreign_unit)
    assert refused.value.field == "assigned_unit"


def test_only_those_who_may_edit_the_project_raise_requests(project, other_unit, city):
    for user in (staff_of(other_unit, username="other"), city):
        with pytest.raises(errors.Forbidden):
            raise_request(project, user)
    assert not Request.objects.exists()


def test_the_assigned_unit_resolves_a_request(project, manager, other_unit):
    request = raise_request(project, manager, assigned_unit=other_unit)
    assignee = staff_of(other_unit, username="assignee")
    resolved = request_resolve(request_obj=request, by=assignee, resolution="  已纳入供地计划 ")
    assert resolved.status == Request.Status.RESOLVED
    assert resolved.resolution == "已纳入供地计划"
    assert resolved.resolved_on == TODAY
    assert resolved.resolved_by == assignee


def test_who_may_resolve(project, manager, staff, other_unit, foreign_unit, city):
    request = raise_request(project, staff, assigned_unit=other_unit)
    assert roles.can_resolve_request(manager, request)
    assert roles.can_resolve_request(staff_of(other_unit, username="assignee"), request)
    assert not roles.can_resolve_request(staff, request)  # raised it, but is not the assigned unit
    assert not roles.can_resolve_request(city, request)
    assert not roles.can_resolve_request(manager_of(foreign_unit.district, username="jj"), request)
    with pytest.raises(errors.Forbidden):
        request_resolve(request_obj=request, by=staff, resolution="自行办结")
    request.refresh_from_db()
    assert request.status == Request.Status.OPEN


def test_a_request_is_resolved_once(project, manager):
    request = raise_request(project, manager)
    request_resolve(request_obj=request, by=manager, resolution="已办结")
    with pytest.raises(errors.IllegalTransition):
        request_resolve(request_obj=request, by=manager, resolution="再次办结")
    request.refresh_from_db()
    assert request.resolution == "已办结"


@pytest.mark.parametrize(
    ("resolution", "resolved_on", "error", "field"),
    [
        ("", None, errors.MissingField, "resolution"),
        ("已办结", TODAY + dt.timedelta(days=1), errors.InvalidValue, "resolved_on"),
        ("已办结", TODAY - dt.timedelta(days=6), errors.InvalidValue, "resolved_on"),
    ],
)
def test_bad_resolutions_are_refused(project, manager, resolution, resolved_on, error, field):
    request = raise_request(project, manager)
    with pytest.raises(error) as refused:
        request_resolve(request_obj=request, by=manager, resolution=resolution, resolved_on=resolved_on)
    assert refused.value.field == field
    request.refresh_from_db()
    assert request.status == Request.Status.OPEN


def test_unit_resolution_rates_are_counted_in_the_database(
    project, manager, unit, other_unit, django_assert_num_queries
):
    on_time = raise_request(project, manager, assigned_unit=unit)
    late = raise_request(project, manager, assigned_unit=unit, due_date=TODAY - dt.timedelta(days=3))
    raise_request(project, manager, assigned_unit=other_unit)
    request_resolve(
        request_obj=on_time, by=manager, resolution="已办结", resolved_on=TODAY - dt.timedelta(days=1)
    )
    request_resolve(request_obj=late, by=manager, resolution="已办结", resolved_on=TODAY)
    with django_assert_num_queries(1):
        rates = {row["assigned_unit__code"]: row for row in unit_resolution_rates()}
    assert (
        rates["jlp-econ"]["total"],
        rates["jlp-econ"]["resolved"],
        rates["jlp-econ"]["resolved_on_time"],
    ) == (
        2,
        2,
        1,
    )
    assert (rates["jlp-sci"]["total"], rates["jlp-sci"]["resolved"]) == (1, 0)


def test_dates_may_be_given_as_iso_strings(project, staff):
    request = raise_request(project, staff, due_date="2099-01-31", raised_on=TODAY.isoformat())
    request.refresh_from_db()
    assert request.due_date == dt.date(2099, 1, 31)


def test_a_malformed_due_date_is_refused_naming_the_field(project, staff):
    with pytest.raises(errors.InvalidValue) as refused:
        raise_request(project, staff, due_date="下个月")
    assert refused.value.field == "due_date"
    assert not Request.objects.exists()
