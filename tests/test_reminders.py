"""Monthly reminders (工作提示函 / 催办函): which units get one, of which kind, listing which
projects; issuing twice, permissions, acknowledging once, the cron command, and two managers
issuing at once on PostgreSQL."""

import datetime as dt
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import local_today
from core.errors import Duplicate, Forbidden, InvalidValue
from pipeline.ledger import ledger
from pipeline.models import Reminder
from pipeline.reminders import (
    last_complete_month,
    reminder_acknowledge,
    reminder_letter,
    reminder_projects,
    reminder_queryset,
    reminders_issue,
)
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from tests import factories
from tests.factories import advance, make_project, run_concurrently

D = dt.date
APRIL, MAY = "2025-04", "2025-05"


@pytest.fixture
def fresh(other_unit, industry, manager):
    """Negotiating since 2025-03-20: not overdue in April or May."""
    return make_project(
        unit=other_unit, industry=industry, by=manager, started=D(2025, 3, 20), name="新洽谈项目"
    )


def projects_of(reminder):
    return set(reminder.projects.values_list("pk", flat=True))


# --- which units, which kind ----------------------------------------------------------------


def test_a_unit_with_an_overdue_project_gets_a_notice_the_first_month(stale, fresh, district, manager, unit):
    result = reminders_issue(district=district, month=APRIL, by=manager)
    [reminder] = result.created
    assert reminder.unit == unit
    assert reminder.kind == Reminder.Kind.NOTICE
    assert reminder.month == D(2025, 4, 1)
    assert reminder.issued_by == manager and reminder.issued_at is not None
    assert reminder.acknowledged_at is None
    assert projects_of(reminder) == {stale.pk}
    assert (result.notices, result.urgings, result.as_of) == (1, 0, D(2025, 4, 30))


def test_a_unit_without_overdue_projects_gets_none(stale, fresh, district, manager, other_unit):
    reminders_issue(district=district, month=APRIL, by=manager)
    assert not Reminder.objects.filter(unit=other_unit).exists()
    # And in March nothing was overdue yet: no letters at all.
    assert reminders_issue(district=district, month="2025-03", by=manager).created == []
    assert not Reminder.objects.filter(month=D(2025, 3, 1)).exists()


def test_the_same_project_overdue_again_next_month_brings_an_urging_letter(stale, district, manager):
    reminders_issue(district=district, month=APRIL, by=manager)
    [reminder] = reminders_issue(district=district, month=MAY, by=manager).created
    assert reminder.kind == Reminder.Kind.URGING
    assert reminder.get_kind_display() == "催办函"
    assert projects_of(reminder) == {stale.pk}


def test_a_letter_last_month_about_other_projects_still_brings_a_notice(
    stale, district, manager, unit, industry
):
    reminders_issue(district=district, month=APRIL, by=manager)
    advance(stale, (Stage.TERMINATED, D(2025, 5, 10)), by=manager)
    newly = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 2, 3), name="二月洽谈项目")
    [reminder] = reminders_issue(district=district, month=MAY, by=manager).created
    assert projects_of(reminder) == {newly.pk}
    assert reminder.kind == Reminder.Kind.NOTICE


def test_urging_follows_the_previous_month_not_any_earlier_one(stale, district, manager):
    reminders_issue(district=district, month=APRIL, by=manager)
    # June without a May letter: a notice again.
    [reminder] = reminders_issue(district=district, month="2025-06", by=manager).created
    assert reminder.kind == Reminder.Kind.NOTICE


def test_reminded_projects_are_exactly_the_months_overdue_ledger_rows(
    district, manager, unit, other_unit, industry
):
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    signed = make_project(unit=other_unit, industry=industry, by=manager, started=D(2024, 11, 4))
    advance(signed, (Stage.APPROVED, D(2024, 12, 2)), (Stage.SIGNED, D(2025, 1, 8)), by=manager)
    started = make_project(unit=other_unit, industry=industry, by=manager, started=D(2025, 1, 2))
    started.planned_production_date = D(2025, 4, 15)
    started.save(update_fields=["planned_production_date"])
    advance(
        started,
        (Stage.APPROVED, D(2025, 1, 20)),
        (Stage.SIGNED, D(2025, 2, 1)),
        (Stage.STARTED, D(2025, 3, 1)),
        by=manager,
    )
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 4, 2))  # fresh
    done = make_project(unit=unit, industry=industry, by=manager, started=D(2024, 6, 3))
    advance(done, (Stage.TERMINATED, D(2024, 12, 1)), by=manager)

    reminders_issue(district=district, month=APRIL, by=manager)
    rows = ledger(APRIL, filters={"district": district.code})["rows"]
    overdue_in_ledger = {row["id"] for row in rows if row["is_overdue"]}
    reminded = set(Reminder.projects.through.objects.values_list("project_id", flat=True))
    assert reminded == overdue_in_ledger
    assert len(reminded) == 3


def test_a_backdated_start_removes_the_project_from_a_past_months_letter_issued_after(
    district, manager, unit, industry
):
    signed = make_project(unit=unit, industry=industry, by=manager, started=D(2024, 11, 4))
    advance(signed, (Stage.APPROVED, D(2024, 12, 2)), (Stage.SIGNED, D(2025, 1, 8)), by=manager)
    # The start, recorded late, happened in March: by April's end it was no longer 定而未落.
    advance(signed, (Stage.STARTED, D(2025, 3, 12)), by=manager)
    result = reminders_issue(district=district, month=APRIL, by=manager)
    assert result.created == []
    assert not Reminder.objects.exists()


def test_projects_of_other_districts_are_not_in_this_districts_letters(
    stale, district, manager, foreign_unit, industry
):
    make_project(unit=foreign_unit, industry=industry, started=D(2025, 1, 6))
    reminders_issue(district=district, month=APRIL, by=manager)
    assert not Reminder.objects.filter(unit=foreign_unit).exists()


# --- issuing again ---------------------------------------------------------------------------


def test_issuing_the_same_month_twice_creates_nothing_twice(stale, district, manager, unit):
    first = reminders_issue(district=district, month=APRIL, by=manager)
    second = reminders_issue(district=district, month=APRIL, by=manager)
    assert second.created == [] and second.extended == []
    assert [r.unit for r in second.already_issued] == [unit]
    assert Reminder.objects.count() == 1
    assert projects_of(first.created[0]) == {stale.pk}


def test_reissuing_adds_newly_overdue_projects_to_an_unacknowledged_letter(
    stale, district, manager, unit, industry
):
    [reminder] = reminders_issue(district=district, month=APRIL, by=manager).created
    late_entry = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 2), name="补录项目"
    )
    result = reminders_issue(district=district, month=APRIL, by=manager)
    assert [r.pk for r in result.extended] == [reminder.pk]
    assert result.created == [] and result.already_issued == []
    assert projects_of(reminder) == {stale.pk, late_entry.pk}
    assert Reminder.objects.count() == 1


def test_reissuing_never_removes_a_project_from_an_issued_letter(stale, district, manager):
    [reminder] = reminders_issue(district=district, month=APRIL, by=manager).created
    advance(stale, (Stage.TERMINATED, D(2025, 3, 1)), by=manager)  # back-dated exit
    result = reminders_issue(district=district, month=APRIL, by=manager)
    assert [r.pk for r in result.already_issued] == [reminder.pk]
    assert projects_of(reminder) == {stale.pk}
    # The letter shows the project is no longer overdue as the ledger now stands.
    [item] = reminder_projects(reminder)
    assert item["still_overdue"] is False and item["stage"] == Stage.TERMINATED


def test_reissuing_leaves_an_acknowledged_letter_as_it_was_signed(
    stale, district, manager, staff, unit, industry
):
    [reminder] = reminders_issue(district=district, month=APRIL, by=manager).created
    reminder_acknowledge(reminder=reminder, by=staff)
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 2))
    result = reminders_issue(district=district, month=APRIL, by=manager)
    assert result.extended == [] and [r.pk for r in result.already_issued] == [reminder.pk]
    assert projects_of(reminder) == {stale.pk}


def test_a_reissued_notice_becomes_urging_when_an_added_project_was_in_last_months_letter(
    stale, district, manager, unit, industry
):
    reminders_issue(district=district, month=APRIL, by=manager)  # lists `stale`
    advance(stale, (Stage.APPROVED, D(2025, 5, 20)), by=manager)  # not stale at May's end
    february = make_project(unit=unit, industry=industry, by=manager, started=D(2025, 2, 10))
    [may] = reminders_issue(district=district, month=MAY, by=manager).created
    assert projects_of(may) == {february.pk}
    assert may.kind == Reminder.Kind.NOTICE
    # The approval was a mistake: voided, `stale` is overdue in May after all.
    event_void(project=stale, by=manager, reason="误登记")
    result = reminders_issue(district=district, month=MAY, by=manager)
    assert [r.pk for r in result.extended] == [may.pk]
    may.refresh_from_db()
    assert projects_of(may) == {february.pk, stale.pk}
    assert may.kind == Reminder.Kind.URGING


# --- who may issue ---------------------------------------------------------------------------


def test_only_a_manager_of_the_district_issues(stale, district, staff, city, other_district):
    foreign_manager = factories.manager_of(other_district, username="jj-boss")
    read_only = factories.system_user(district, username="warehouse", read_only=True)
    for user in (staff, city, foreign_manager, read_only):
        with pytest.raises(Forbidden):
            reminders_issue(district=district, month=APRIL, by=user)
    assert not Reminder.objects.exists()


def test_a_system_account_of_the_district_may_issue(stale, district):
    robot = factories.system_user(district, username="cron")
    assert len(reminders_issue(district=district, month=APRIL, by=robot).created) == 1


def test_a_month_that_has_not_ended_cannot_be_issued(district, manager):
    this_month = local_today().strftime("%Y-%m")
    for month in (this_month, "2999-01"):
        with pytest.raises(InvalidValue) as refused:
            reminders_issue(district=district, month=month, by=manager)
        assert refused.value.field == "month"
    with pytest.raises(InvalidValue) as refused:
        reminders_issue(district=district, month="2025-13", by=manager)
    assert refused.value.field == "month"


def test_issuing_takes_the_same_number_of_queries_for_one_unit_or_many(district, manager, industry):
    def issue_for(units, month):
        for _ in range(units):
            unit = factories.UnitFactory(district=district)
            for _n in range(2):
                make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
        with CaptureQueriesContext(connection) as queries:
            result = reminders_issue(district=district, month=month, by=manager)
        return len(result.created), len(queries.captured_queries)

    one = issue_for(1, APRIL)
    Reminder.objects.all().delete()
    many = issue_for(6, APRIL)
    assert (one[0], many[0]) == (1, 7)
    assert one[1] == many[1]


# --- acknowledging ---------------------------------------------------------------------------


@pytest.fixture
def april_letter(stale, district, manager):
    return reminders_issue(district=district, month=APRIL, by=manager).created[0]


def test_staff_of_the_unit_acknowledge_once(april_letter, staff):
    reminder = reminder_acknowledge(reminder=april_letter, by=staff)
    assert reminder.acknowledged_by == staff and reminder.acknowledged_at is not None
    with pytest.raises(Duplicate) as refused:
        reminder_acknowledge(reminder=Reminder.objects.get(pk=april_letter.pk), by=staff)
    assert "已于" in str(refused.value)
    assert Reminder.objects.get(pk=april_letter.pk).acknowledged_at == reminder.acknowledged_at


def test_a_manager_of_the_district_may_acknowledge(april_letter, manager):
    assert reminder_acknowledge(reminder=april_letter, by=manager).acknowledged_by == manager


def test_clerks_of_other_units_city_users_and_other_districts_cannot_acknowledge(
    april_letter, other_unit, city, other_district
):
    colleague = factories.staff_of(other_unit, username="colleague")
    foreign_manager = factories.manager_of(other_district, username="jj-boss")
    for user in (colleague, city, foreign_manager):
        with pytest.raises(Forbidden):
            reminder_acknowledge(reminder=april_letter, by=user)
    assert Reminder.objects.get(pk=april_letter.pk).acknowledged_at is None


# --- reading ---------------------------------------------------------------------------------


def test_each_role_sees_the_reminders_of_its_scope(
    april_letter, staff, manager, city, other_unit, other_district, foreign_unit, industry
):
    colleague = factories.staff_of(other_unit, username="colleague")
    foreign_manager = factories.manager_of(other_district, username="jj-boss")
    make_project(unit=foreign_unit, industry=industry, started=D(2025, 1, 6))
    [foreign_letter] = reminders_issue(district=other_district, month=APRIL, by=foreign_manager).created

    def seen(user):
        return set(reminder_queryset(user).values_list("pk", flat=True))

    assert seen(staff) == {april_letter.pk}
    assert seen(colleague) == set()
    assert seen(manager) == {april_letter.pk}
    assert seen(foreign_manager) == {foreign_letter.pk}
    assert seen(city) == {april_letter.pk, foreign_letter.pk}


def test_the_letter_lists_each_project_with_stage_since_months_and_reason(
    stale, district, manager, unit, industry
):
    signed = make_project(
        unit=unit, industry=industry, by=manager, started=D(2024, 11, 4), name="签约未开工项目"
    )
    advance(signed, (Stage.APPROVED, D(2024, 12, 2)), (Stage.SIGNED, D(2025, 1, 8)), by=manager)
    reminders_issue(district=district, month=APRIL, by=manager)
    [reminder] = reminders_issue(district=district, month=MAY, by=manager).created
    letter = reminder_letter(reminder_queryset(manager).get(pk=reminder.pk))
    assert letter["title"] == "催办函"
    assert letter["bureau"] == "九龙坡区招商投资局"
    assert letter["as_of"] == D(2025, 5, 31)
    by_name = {item["name"]: item for item in letter["projects"]}
    expected = {
        "stage": Stage.NEGOTIATING,
        "stage_label": "在谈",
        "stage_since": D(2025, 1, 6),
        "months_in_stage": 4,
        "reason": "谈而未定",
        "still_overdue": True,
        "repeated": True,
    }
    assert {key: by_name["久谈未定项目"][key] for key in expected} == expected
    assert by_name["签约未开工项目"]["reason"] == "定而未落"
    assert by_name["签约未开工项目"]["months_in_stage"] == 4


def test_the_default_month_is_the_last_complete_one():
    assert last_complete_month(D(2026, 1, 15)) == D(2025, 12, 1)
    assert last_complete_month(D(2025, 11, 30)) == D(2025, 10, 1)


# --- the cron command ------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("issue_reminders", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_the_command_issues_a_month_for_a_named_user_and_is_repeatable(stale, district, manager):
    output = run("--month", APRIL, "--district", district.code, "--by", manager.username)
    assert "新发 1 份" in output and "工作提示函 1" in output
    output = run("--month", APRIL, "--district", district.code, "--by", manager.username)
    assert "新发 0 份" in output and "已发过：区经济信息委" in output
    assert Reminder.objects.count() == 1


def test_the_command_uses_the_district_system_account_by_default(stale, district):
    factories.system_user(district, username="cron")
    assert "新发 1 份" in run("--month", APRIL, "--district", district.code)
    assert Reminder.objects.get().issued_by.username == "cron"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2025/04"), "--month"),
        (("--month", APRIL, "--district", "nowhere"), "nowhere"),
        (("--month", APRIL, "--by", "ghost"), "ghost"),
        (("--month", APRIL), "--by"),  # no system account to default to
        (("--month", APRIL, "--by", "clerk"), "只有本区招商投资局管理人员"),
        (("--month", "2999-01", "--by", "manager"), "尚未结束"),
    ],
)
def test_the_command_fails_clearly(stale, district, manager, staff, args, message):
    with pytest.raises(CommandError) as failed:
        run(*args, *(() if "--district" in args else ("--district", district.code)))
    assert message in str(failed.value)
    assert not Reminder.objects.exists()


# --- two managers at once (PostgreSQL) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_issuing_at_once_write_one_set_of_letters(district, unit, other_unit, industry, manager):
    colleague = factories.manager_of(district, username="manager2")
    for owner in (unit, other_unit):
        make_project(unit=owner, industry=industry, by=manager, started=D(2025, 1, 6))

    def issue(by):
        def call():
            from django.db import transaction

            with transaction.atomic():
                result = reminders_issue(district=district, month=APRIL, by=by)
                time.sleep(0.3)  # hold the lock while the other one tries
                return result

        return call

    results = run_concurrently(issue(manager), issue(colleague))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    created = sorted(len(result.created) for _, result in results)
    already = sorted(len(result.already_issued) for _, result in results)
    assert created == [0, 2] and already == [0, 2]
    assert Reminder.objects.count() == 2
    assert Reminder.projects.through.objects.count() == 2
