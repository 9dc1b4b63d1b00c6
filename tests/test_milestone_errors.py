"""Every refusal of the lifecycle engine: a typed error with a stable code, a Chinese message,
the field it concerns, and nothing written (events, reviews, project row and version)."""

import datetime as dt
from decimal import Decimal

import pytest

from core import errors
from core.dates import local_today
from pipeline.transitions import event_void, milestone_record
from projects.lifecycle import Stage
from tests.factories import STAGE_DATA, make_project, reach, snapshot, staff_of


def refused(project, error_class, call, *, field=None):
    """Run `call`, expect `error_class`, and check that nothing was written."""
    before = snapshot(project)
    with pytest.raises(error_class) as caught:
        call()
    error = caught.value
    assert error.code == error_class.code
    assert error.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error)), "the message is Chinese"
    assert error.as_dict()["code"] == error_class.code
    assert snapshot(project) == before
    return error


def record(project, by, stage, date, **data):
    return lambda: milestone_record(project=project, by=by, stage=stage, date=date, **data)


APPROVAL = STAGE_DATA[Stage.APPROVED]
SIGNING = STAGE_DATA[Stage.SIGNED]


def test_illegal_transition_writes_nothing(project, manager):
    refused(
        project,
        errors.IllegalTransition,
        record(project, manager, Stage.STARTED, dt.date(2025, 3, 1)),
        field="stage",
    )


def test_an_unknown_stage_is_an_invalid_value(project, manager):
    refused(
        project, errors.InvalidValue, record(project, manager, "built", dt.date(2025, 3, 1)), field="stage"
    )


def test_a_date_before_the_previous_event_is_out_of_order(project, manager):
    reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1))  # signed 2025-03-11
    error = refused(
        project,
        errors.DateOutOfOrder,
        record(project, manager, Stage.STARTED, dt.date(2025, 3, 10)),
        field="date",
    )
    assert "2025-03-11" in str(error)


def test_a_date_on_the_previous_events_day_is_in_order(project, manager):
    reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1))
    milestone_record(project=project, by=manager, stage=Stage.STARTED, date=dt.date(2025, 3, 11))
    project.refresh_from_db()
    assert project.started_on == project.signed_on == dt.date(2025, 3, 11)


def test_a_date_before_negotiations_began_is_out_of_order(project, manager):
    refused(
        project,
        errors.DateOutOfOrder,
        record(
            project,
            manager,
            Stage.APPROVED,
            project.negotiation_started_on - dt.timedelta(days=1),
            **APPROVAL,
        ),
        field="date",
    )


def test_a_date_in_the_future_is_refused(project, manager):
    tomorrow = local_today() + dt.timedelta(days=1)
    refused(
        project,
        errors.DateInFuture,
        record(project, manager, Stage.APPROVED, tomorrow, **APPROVAL),
        field="date",
    )


def test_today_is_not_in_the_future(project, manager):
    milestone_record(project=project, by=manager, stage=Stage.APPROVED, date=local_today(), **APPROVAL)
    project.refresh_from_db()
    assert project.approved_on == local_today()


def test_a_missing_date_is_a_missing_field(project, manager):
    refused(
        project, errors.MissingField, record(project, manager, Stage.APPROVED, None, **APPROVAL), field="date"
    )


def test_a_malformed_date_is_an_invalid_value(project, manager):
    refused(
        project,
        errors.InvalidValue,
        record(project, manager, Stage.APPROVED, "2025-13-40", **APPROVAL),
        field="date",
    )


def test_an_iso_date_string_is_accepted(project, manager):
    milestone_record(project=project, by=manager, stage=Stage.APPROVED, date="2025-03-01", **APPROVAL)
    project.refresh_from_db()
    assert project.approved_on == dt.date(2025, 3, 1)


REQUIRED = [
    (Stage.APPROVED, "industry_opinion"),
    (Stage.APPROVED, "expert_opinion"),
    (Stage.APPROVED, "department_opinion"),
    (Stage.SIGNED, "contract_no"),
    (Stage.SIGNED, "contract_investment"),
    (Stage.AT_CAPACITY, "actual_output"),
    (Stage.TERMINATED, "reason"),
    (Stage.TERMINATED, "reclaimed_land_mu"),
]
BEFORE = {
    Stage.APPROVED: Stage.NEGOTIATING,
    Stage.SIGNED: Stage.APPROVED,
    Stage.AT_CAPACITY: Stage.PRODUCING,
    Stage.TERMINATED: Stage.STARTED,
}


@pytest.mark.parametrize(("stage", "field"), REQUIRED)
@pytest.mark.parametrize("how", ["omitted", "blank"])
def test_each_required_field_is_a_missing_field(project, manager, stage, field, how):
    reach(project, BEFORE[stage])
    project.refresh_from_db()
    data = dict(STAGE_DATA[stage])
    if how == "omitted":
        data.pop(field)
    else:
        data[field] = "   "
    refused(
        project,
        errors.MissingField,
        record(project, manager, stage, project.stage_since, **data),
        field=field,
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-1", "negative"),
        ("0", "must be positive"),
        ("abc", "not a number"),
        ("NaN", "not finite"),
        ("1e20", "too large"),
    ],
)
def test_a_bad_contract_investment_is_an_invalid_value(project, manager, value, reason):
    reach(project, Stage.APPROVED)
    project.refresh_from_db()
    data = {**SIGNING, "contract_investment": value}
    refused(
        project,
        errors.InvalidValue,
        record(project, manager, Stage.SIGNED, project.stage_since, **data),
        field="contract_investment",
    )


def test_a_contract_number_longer_than_its_column_is_an_invalid_value(project, manager):
    reach(project, Stage.APPROVED)
    project.refresh_from_db()
    data = {**SIGNING, "contract_no": "HT" * 40}
    refused(
        project,
        errors.InvalidValue,
        record(project, manager, Stage.SIGNED, project.stage_since, **data),
        field="contract_no",
    )


def test_an_unknown_exit_reason_is_an_invalid_value(project, manager):
    refused(
        project,
        errors.InvalidValue,
        record(project, manager, Stage.TERMINATED, dt.date(2025, 3, 1), reason="bored"),
        field="reason",
    )


def test_data_of_another_stage_is_an_invalid_value(project, manager):
    reach(project, Stage.SIGNED)
    project.refresh_from_db()
    refused(
        project,
        errors.InvalidValue,
        record(project, manager, Stage.STARTED, project.stage_since, contract_investment=Decimal("5")),
        field="contract_investment",
    )


def test_amounts_are_kept_to_two_decimals(project, manager):
    reach(project, Stage.APPROVED)
    project.refresh_from_db()
    event = milestone_record(
        project=project,
        by=manager,
        stage=Stage.SIGNED,
        date=project.stage_since,
        contract_no=" HT-1 ",
        contract_investment="520000.004",
    )
    event.refresh_from_db()
    assert event.contract_investment == Decimal("520000.00")
    assert event.contract_no == "HT-1"


def test_a_stale_version_is_a_conflict(project, manager):
    seen = project.version
    milestone_record(project=project, by=manager, stage=Stage.APPROVED, date=dt.date(2025, 3, 1), **APPROVAL)
    project.refresh_from_db()
    error = refused(
        project,
        errors.Conflict,
        lambda: milestone_record(
            project=project,
            by=manager,
            stage=Stage.SIGNED,
            date=dt.date(2025, 3, 2),
            expected_version=seen,
            **SIGNING,
        ),
    )
    assert error.status == 412


def test_the_current_version_is_accepted(project, manager):
    milestone_record(
        project=project,
        by=manager,
        stage=Stage.APPROVED,
        date=dt.date(2025, 3, 1),
        expected_version=project.version,
        **APPROVAL,
    )
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED


def test_staff_recording_an_approval_is_forbidden(project, staff):
    error = refused(
        project, errors.Forbidden, record(project, staff, Stage.APPROVED, dt.date(2025, 3, 1), **APPROVAL)
    )
    assert error.status == 403


def test_staff_of_another_unit_is_forbidden(project, manager, other_unit):
    reach(project, Stage.SIGNED)
    project.refresh_from_db()
    outsider = staff_of(other_unit, username="outsider")
    refused(project, errors.Forbidden, record(project, outsider, Stage.STARTED, project.stage_since))


def test_the_creation_event_is_not_voidable(project, manager):
    refused(project, errors.NotVoidable, lambda: event_void(project=project, by=manager, reason="录错了"))


def test_a_refusal_inside_one_project_leaves_other_projects_alone(project, manager, unit, industry):
    other = make_project(unit=unit, industry=industry, by=manager)
    before = snapshot(other)
    with pytest.raises(errors.IllegalTransition):
        milestone_record(project=project, by=manager, stage=Stage.STARTED, date=dt.date(2025, 3, 1))
    assert snapshot(other) == before


def test_every_error_code_is_stable():
    codes = {cls.code for cls in errors.ServiceError.__subclasses__()}
    assert codes == {
        "illegal_transition",
        "date_out_of_order",
        "date_in_future",
        "missing_field",
        "invalid_value",
        "conflict",
        "not_voidable",
        "forbidden",
        "duplicate",
        "gaps_not_confirmed",
    }


def test_as_dict_names_the_field():
    error = errors.MissingField("请填写日期。", field="date")
    assert error.as_dict() == {"detail": "请填写日期。", "code": "missing_field", "field": "date"}
