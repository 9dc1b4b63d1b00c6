"""A project's stage, stage-since, milestone dates and contract investment are what its
standing events say — after any sequence of recordings, refusals and voids."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ServiceError
from pipeline.models import StageEvent
from pipeline.transitions import derive_state, event_void, milestone_record
from projects.lifecycle import DATE_FIELDS, TRANSITIONS, Stage
from projects.models import Project
from tests.factories import STAGE_DATA, make_project

DERIVED = ["stage", "stage_since", "contract_investment", *DATE_FIELDS.values()]
START = dt.date(2023, 1, 2)

record_op = st.tuples(
    st.just("record"),
    st.sampled_from([s for s in Stage if s != Stage.NEGOTIATING]),
    st.integers(min_value=-15, max_value=60),  # days after the previous attempt (may go back)
    st.integers(min_value=1, max_value=999_999),  # contract investment when signing
)
void_op = st.tuples(st.just("void"), st.none(), st.just(0), st.just(0))
operations = st.lists(st.one_of(record_op, void_op), max_size=14)


def derived(project: Project) -> dict:
    project = Project.objects.get(pk=project.pk)
    return {name: getattr(project, name) for name in DERIVED}


def expected_from(history: list[tuple[str, dt.date, Decimal | None]]) -> dict:
    """The oracle: the derived fields, computed from the model's own list of standing steps."""
    state = dict.fromkeys(DERIVED)
    for stage, date, investment in history:
        state[DATE_FIELDS[stage]] = date
        if stage == Stage.SIGNED:
            state["contract_investment"] = investment
    state["stage"], state["stage_since"] = history[-1][0], history[-1][1]
    return state


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_derived_fields_always_equal_what_the_events_say(unit, industry, manager, ops):
    project = make_project(unit=unit, industry=industry, by=manager, started=START)
    history = [(Stage.NEGOTIATING, START, None)]  # standing steps, oldest first
    version, day = 1, START
    for kind, stage, days, amount in ops:
        if kind == "record":
            day += dt.timedelta(days=days)
            current, last_date = history[-1][0], history[-1][1]
            data = dict(STAGE_DATA.get(stage, {}))
            if stage == Stage.SIGNED:
                data["contract_investment"] = Decimal(amount)
            should_pass = stage in TRANSITIONS[current] and day >= last_date
            try:
                milestone_record(project=project, by=manager, stage=stage, date=day, **data)
            except ServiceError:
                assert not should_pass
            else:
                assert should_pass
                history.append((stage, day, Decimal(amount) if stage == Stage.SIGNED else None))
                version += 1
        else:
            try:
                event_void(project=project, by=manager, reason="随机作废")
            except ServiceError:
                assert len(history) == 1
            else:
                assert len(history) > 1
                history.pop()
                version += 1

        events = StageEvent.objects.filter(project=project).order_by("date", "id")
        state = derived(project)
        assert state == {name: derive_state(events)[name] for name in DERIVED}
        assert state == expected_from(history)
        assert Project.objects.get(pk=project.pk).version == version
        assert events.filter(voided_at__isnull=True).count() == len(history)


def test_derive_state_reads_only_standing_events(project, manager):
    milestone_record(
        project=project,
        by=manager,
        stage=Stage.APPROVED,
        date=dt.date(2025, 2, 1),
        **STAGE_DATA[Stage.APPROVED],
    )
    milestone_record(
        project=project,
        by=manager,
        stage=Stage.SIGNED,
        date=dt.date(2025, 2, 5),
        contract_no="HT-9",
        contract_investment=Decimal("777"),
    )
    event_void(project=project, by=manager, reason="误登记")
    state = derive_state(project.events.order_by("date", "id"))
    assert state["stage"] == Stage.APPROVED
    assert state["stage_since"] == dt.date(2025, 2, 1)
    assert state["signed_on"] is None
    assert state["contract_investment"] is None
    assert state["negotiation_started_on"] == project.negotiation_started_on


def test_the_derived_fields_cannot_be_set_through_project_update(project, manager):
    from core.errors import InvalidValue
    from projects.services import project_update

    for field in ("stage", "signed_on", "contract_investment", "stage_since", "version", "code"):
        try:
            project_update(project=project, by=manager, **{field: None})
        except InvalidValue as error:
            assert error.field == field
        else:
            raise AssertionError(f"{field} was accepted")
