"""Monthly progress (进度跟踪台账): one record per project and month, created or replaced by
whoever may edit the project; months not in the future, not before negotiations began, not
after an exit; amounts non-negative Decimals in 万元."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from core import errors
from core.dates import add_months, local_today, month_start
from pipeline.models import MonthlyProgress
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests.factories import advance, snapshot, staff_of


def save(project, by, month, **values):
    return progress_save(project=project, by=by, month=month, **values)


def test_a_month_is_stored_as_its_first_day(project, staff):
    record = save(
        project, staff, dt.date(2025, 6, 17), funds_in_place="120.5", investment_completed=Decimal("100")
    )
    record.refresh_from_db()
    assert record.month == dt.date(2025, 6, 1)
    assert record.funds_in_place == Decimal("120.50")
    assert record.investment_completed == Decimal("100.00")
    assert record.updated_by == staff
    assert project.progress.filter(month=dt.date(2025, 6, 1)).exists()


def test_saving_a_month_again_replaces_it(project, staff):
    save(project, staff, dt.date(2025, 6, 1), funds_in_place=Decimal("100"), progress="主体施工")
    save(project, staff, dt.date(2025, 6, 30), funds_in_place=Decimal("80"), problems="用电不足")
    record = MonthlyProgress.objects.get(project=project)
    assert (record.funds_in_place, record.progress, record.problems) == (Decimal("80.00"), "", "用电不足")


def test_a_future_month_is_refused(project, staff):
    before = snapshot(project)
    with pytest.raises(errors.InvalidValue) as refused:
        save(project, staff, add_months(month_start(local_today()), 1))
    assert refused.value.field == "month"
    assert snapshot(project) == before


def test_the_current_month_may_be_filed(project, staff):
    assert save(project, staff, local_today()).month == month_start(local_today())


def test_a_month_before_negotiations_began_is_refused(project, staff):
    before = snapshot(project)
    with pytest.raises(errors.InvalidValue) as refused:
        save(project, staff, dt.date(2024, 12, 1))
    assert refused.value.field == "month"
    assert snapshot(project) == before


def test_a_terminated_project_takes_no_month_after_its_exit(project, manager, staff):
    advance(project, (Stage.TERMINATED, dt.date(2025, 5, 20)))
    project.refresh_from_db()
    assert save(project, manager, dt.date(2025, 5, 1)).month == dt.date(2025, 5, 1)
    before = snapshot(project)
    with pytest.raises(errors.InvalidValue):
        save(project, manager, dt.date(2025, 6, 1))
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("funds_in_place", "-1"),
        ("funds_in_place", "abc"),
        ("investment_completed", "-0.01"),
        ("funds_in_place", "1e20"),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(project, staff, field, value):
    before = snapshot(project)
    with pytest.raises(errors.InvalidValue) as refused:
        save(project, staff, dt.date(2025, 6, 1), **{field: value})
    assert refused.value.field == field
    assert snapshot(project) == before


def test_empty_amounts_count_as_zero(project, staff):
    record = save(project, staff, dt.date(2025, 6, 1), funds_in_place="", investment_completed=None)
    assert record.funds_in_place == record.investment_completed == Decimal("0")


def test_staff_of_another_unit_cannot_file(project, other_unit):
    with pytest.raises(errors.Forbidden):
        save(project, staff_of(other_unit, username="other"), dt.date(2025, 6, 1))
    assert not MonthlyProgress.objects.exists()


def test_city_users_cannot_file(project, city):
    with pytest.raises(errors.Forbidden):
        save(project, city, dt.date(2025, 6, 1))


def test_filing_does_not_move_the_projects_version(project, staff):
    version = project.version
    save(project, staff, dt.date(2025, 6, 1))
    project.refresh_from_db()
    assert project.version == version


@pytest.mark.postgres
def test_funds_add_up_exactly_in_the_database(project, staff):
    for month, amount in [(1, "0.10"), (2, "0.20"), (3, "1234567890.33")]:
        save(project, staff, dt.date(2025, month, 1), funds_in_place=amount)
    total = MonthlyProgress.objects.filter(project=project).aggregate(total=Sum("funds_in_place"))["total"]
    assert total == Decimal("1234567890.63")


def test_a_month_may_be_given_as_yyyy_mm(project, staff):
    assert save(project, staff, "2025-06").month == dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("month", "error"),
    [("2025-13", errors.InvalidValue), ("六月", errors.InvalidValue), (None, errors.MissingField)],
)
def test_a_bad_month_is_refused_naming_the_field(project, staff, month, error):
    with pytest.raises(error) as refused:
        save(project, staff, month)
    assert refused.value.field == "month"
    assert not MonthlyProgress.objects.exists()
