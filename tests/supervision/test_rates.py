"""The 督办 rates against hand-counted cases, and the 诉求 migrated into tasks with the same counts
and rates."""

import datetime as dt
import importlib
from decimal import Decimal

from django.apps import apps

from pipeline.models import Request
from pipeline.requests import request_create, request_resolve, unit_resolution_rates
from supervision.models import Task
from supervision.rates import task_rates
from supervision.tasks import task_create, task_report, task_verify
from tests.factories import staff_of

D = dt.date
MARCH = {"start": D(2025, 3, 1), "end": D(2025, 3, 31)}


def close(task, staff, manager, on):
    task_report(task=task, by=staff, text="已办", date=on)
    task_verify(task=task, by=manager, date=on)


def test_rates_count_due_closed_and_closed_on_time(make_task, staff, manager, unit, other_unit, project):
    on_time = make_task(due_date=D(2025, 3, 10))
    close(on_time, staff, manager, D(2025, 3, 10))  # closed on its due date: on time
    late = make_task(due_date=D(2025, 3, 15))
    close(late, staff, manager, D(2025, 3, 20))  # closed after its due date: closed, not on time
    make_task(due_date=D(2025, 3, 20))  # open, past due: overdue
    reported = make_task(due_date=D(2025, 3, 25))
    task_report(task=reported, by=staff, text="已办", date=D(2025, 3, 24))  # reported is not closed
    make_task(due_date=D(2025, 4, 2))  # due after the period: not counted
    request = task_create(
        by=staff,
        source="request",
        category="land",
        project=project,
        unit=unit,
        content="用地",
        assigned_on=D(2025, 3, 1),
        due_date=D(2025, 3, 30),
    )
    close(request, staff, manager, D(2025, 3, 5))
    sibling = staff_of(other_unit, username="sib")
    other = make_task(unit=other_unit, due_date=D(2025, 3, 31))
    close(other, sibling, manager, D(2025, 3, 31))

    rates = task_rates(**MARCH)
    assert (rates["due_count"], rates["closed_count"], rates["closed_on_time_count"]) == (6, 4, 3)
    assert rates["overdue_count"] == 2  # the open one and the reported one, both past due today
    assert rates["closed_rate"] == Decimal("66.67") and rates["on_time_rate"] == Decimal("50.00")
    assert rates["by_source"]["request"] == {
        "due_count": 1,
        "closed_count": 1,
        "closed_on_time_count": 1,
        "closed_rate": Decimal("100.00"),
        "on_time_rate": Decimal("100.00"),
    }
    assert rates["by_source"]["manager"]["due_count"] == 5
    assert rates["by_source"]["meeting"]["closed_rate"] is None  # nothing due: no rate, no division

    by_unit = task_rates(**MARCH, group_by="unit")
    assert set(by_unit) == {unit.pk, other_unit.pk}
    assert (by_unit[unit.pk]["due_count"], by_unit[unit.pk]["closed_on_time_count"]) == (5, 2)
    assert by_unit[unit.pk]["on_time_rate"] == Decimal("40.00")
    assert by_unit[other_unit.pk]["on_time_rate"] == Decimal("100.00")
    assert sum(row["due_count"] for row in by_unit.values()) == rates["due_count"]


def test_a_period_with_nothing_due_has_no_rates(db):
    rates = task_rates(start=D(2020, 1, 1), end=D(2020, 1, 31))
    assert rates["due_count"] == 0 and rates["closed_rate"] is None and rates["replied_on_time_rate"] is None


def test_the_requests_migrate_into_tasks_with_the_same_counts_and_rates(
    project, staff, manager, unit, other_unit
):
    made = []
    for due, resolved in (
        (D(2025, 3, 10), D(2025, 3, 8)),
        (D(2025, 3, 10), D(2025, 3, 12)),
        (D(2025, 4, 1), None),
    ):
        request = request_create(
            project=project,
            by=staff,
            category="planning",
            description="规划调整",
            assigned_unit=unit if resolved else other_unit,
            due_date=due,
            raised_on=D(2025, 3, 1),
        )
        if resolved:
            request_resolve(request_obj=request, by=manager, resolution="已调整", resolved_on=resolved)
        made.append(request)
    before = {row["assigned_unit"]: row for row in unit_resolution_rates()}

    migration = importlib.import_module("supervision.migrations.0002_tasks_from_requests")
    migration.forward(apps, None)
    migration.forward(apps, None)  # twice: nothing doubled

    assert Task.objects.count() == Request.objects.count() == 3
    after = task_rates(start=D(2000, 1, 1), end=D(2100, 1, 1), group_by="unit")
    for unit_id, row in before.items():
        assert (
            after[unit_id]["due_count"],
            after[unit_id]["closed_count"],
            after[unit_id]["closed_on_time_count"],
        ) == (row["total"], row["resolved"], row["resolved_on_time"])
    late = Task.objects.get(legacy_request_id=made[1].pk)
    assert (late.source, late.status, late.closed_on, late.content, late.category) == (
        "request",
        "closed",
        D(2025, 3, 12),
        "规划调整",
        "planning",
    )
    assert list(late.steps.values_list("kind", flat=True)) == ["assigned", "reported", "closed"]
    assert late.steps.get(kind="reported").text == "已调整"
