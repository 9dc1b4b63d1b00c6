"""The as-of engine (pipeline.asof.as_of_parts) reads a past day's stage from the projects'
derived date fields; the events are the truth. On random histories — same-day milestones,
voids of the latest milestone, a milestone recorded again after its void, terminations from
any stage, full capacity — both parts together must give, for every project and every month's
last day, exactly the latest standing event on or before that day."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import add_months, month_end
from pipeline.asof import as_of_parts, latest_events
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from projects.models import Project
from tests.factories import FORWARD, STAGE_DATA, advance, make_project

D = dt.date
TODAY = D(2025, 12, 31)  # a fixed horizon: the work does not grow with the calendar


def from_events(day) -> dict:
    return {row[0]: (row[1], row[2]) for row in latest_events(day).values_list("project_id", "stage", "date")}


def from_parts(day) -> dict:
    result = {}
    for part in as_of_parts(day, Project.objects.all()):
        for pk, stage, since in part.queryset.values_list(part.project_id, part.stage, part.since):
            assert pk not in result, "a project is in both parts"
            result[pk] = (stage, since)
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=600),  # negotiations begin, days after 2024-01-01
            st.lists(st.integers(min_value=0, max_value=90), max_size=5),  # gaps to each milestone
            st.integers(min_value=0, max_value=2),  # how many of the latest milestones are voided
            st.booleans(),  # the last voided milestone is recorded again
            st.one_of(st.none(), st.integers(min_value=0, max_value=90)),  # terminated, days later
        ),
        min_size=1,
        max_size=4,
    )
)
def test_every_past_day_reads_the_stage_the_events_say(unit, industry, manager, histories):
    for begin, gaps, voids, again, terminate_after in histories:
        day = min(D(2024, 1, 1) + dt.timedelta(days=begin), TODAY)
        project = make_project(unit=unit, industry=industry, by=manager, started=day)
        reached = []
        for stage, gap in zip(FORWARD, gaps, strict=False):
            day = min(day + dt.timedelta(days=gap), TODAY)  # gap 0: the same day, ordered by entry
            advance(project, (stage, day), by=manager)
            reached.append((stage, day))
        voided = min(voids, len(reached))
        for _ in range(voided):
            event_void(project=project, by=manager, reason="录入有误")
            project.refresh_from_db()
        if voided and again:  # the earliest voided milestone, recorded again on its date
            advance(project, reached[len(reached) - voided], by=manager)
        if terminate_after is not None and project.stage != Stage.AT_CAPACITY:
            day = min(project.stage_since + dt.timedelta(days=terminate_after), TODAY)
            advance(
                project,
                (Stage.TERMINATED, day),
                by=manager,
                **{Stage.TERMINATED: STAGE_DATA[Stage.TERMINATED]},
            )
    month = D(2023, 12, 1)
    while month <= TODAY:
        for day in (month, month_end(month)):
            assert from_parts(day) == from_events(day), day
        month = add_months(month, 1)
