import datetime as dt

import pytest

from projects.lifecycle import Stage
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def signed_stale(unit, industry, manager):
    """Signed on 2025-03-10 and never started: 定而未落 from 2025-06-11 on."""
    project = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="久签未落项目"
    )
    advance(project, (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 3, 10)), by=manager)
    project.refresh_from_db()
    return project
