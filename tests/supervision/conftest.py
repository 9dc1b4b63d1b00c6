import datetime as dt

import pytest

from supervision.tasks import task_create

D = dt.date


@pytest.fixture
def make_task(manager, unit):
    """A manager's task for `unit`, assigned 2025-03-01, due 2025-03-31 unless told otherwise."""

    def make(**fields):
        fields.setdefault("by", manager)
        fields.setdefault("unit", unit)
        fields.setdefault("content", "协调解决项目用电接入")
        fields.setdefault("assigned_on", D(2025, 3, 1))
        fields.setdefault("due_date", D(2025, 3, 31))
        return task_create(**fields)

    return make
