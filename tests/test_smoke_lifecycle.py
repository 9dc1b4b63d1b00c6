import datetime as dt

from pipeline.stages import Stage
from tests.factories import walk_to


def test_a_project_walks_to_capacity(project):
    walk_to(project, Stage.AT_CAPACITY)
    project.refresh_from_db()
    assert project.stage == Stage.AT_CAPACITY
    assert project.signed_on == dt.date(2025, 2, 11)
    assert project.code == "JLP-2025-0001"
    assert project.events.count() == 6
