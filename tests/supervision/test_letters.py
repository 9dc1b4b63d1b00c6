"""Letters: numbered per district and year without gaps (also under concurrent issuing on
PostgreSQL), addressed to the unit's leaders, replied once by the addressed unit."""

import datetime as dt

import pytest
from django.utils import timezone

from changes.models import Change
from core.dates import local_today
from core.errors import DateInFuture, Duplicate, Forbidden, InvalidValue
from pipeline.models import Reminder
from supervision.letters import letter_number, letter_reply, letters_issue
from supervision.models import Letter, UnitLeaders
from supervision.rates import task_rates
from tests.factories import make_project, run_concurrently, staff_of

D = dt.date


@pytest.fixture
def issued(stale, district, manager, unit):
    UnitLeaders.objects.create(unit=unit, district_leader="王副区长", head="李主任")
    letters_issue(district=district, month="2025-04", by=manager)
    return Letter.objects.get()


def test_issuing_numbers_the_letters_and_addresses_them(issued, district, unit):
    year = timezone.localtime(issued.reminder.issued_at).year
    assert issued.document_number == f"九龙坡招商〔{year}〕1号"
    assert (issued.district_leader, issued.head) == ("王副区长", "李主任")
    assert issued.reply_due == local_today() + dt.timedelta(days=10)
    assert Change.objects.filter(type="letter.numbered").count() == 1


def test_numbers_follow_on_without_gaps_and_issuing_again_changes_nothing(issued, district, manager, stale):
    letters_issue(district=district, month="2025-04", by=manager)
    letters_issue(district=district, month="2025-05", by=manager)
    assert list(Letter.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_a_refused_numbering_gives_no_number_away(stale, district, manager, staff, unit):
    from pipeline.reminders import reminders_issue

    reminders_issue(district=district, month="2025-04", by=manager)
    reminder = Reminder.objects.get()
    with pytest.raises(Forbidden):
        letter_number(reminder=reminder, by=staff)
    assert letter_number(reminder=reminder, by=manager).number == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_is_unique_and_gapless(district, manager, industry):
    from pipeline.reminders import reminders_issue
    from tests.factories import UnitFactory

    units = [UnitFactory(code=f"u{i}", name=f"单位{i}", district=district) for i in range(6)]
    for unit in units:
        make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    reminders_issue(district=district, month="2025-04", by=manager)
    reminders = list(Reminder.objects.all())
    results = run_concurrently(*[(lambda r=r: letter_number(reminder=r, by=manager)) for r in reminders])
    assert all(kind == "ok" for kind, _ in results), results
    assert sorted(Letter.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_the_addressed_unit_replies_once(issued, staff, manager, stale, other_unit):
    issued_on = timezone.localtime(issued.reminder.issued_at).date()
    with pytest.raises(Forbidden):
        letter_reply(letter=issued, by=staff_of(other_unit, username="x"), text="已整改")
    with pytest.raises(InvalidValue) as refused:
        letter_reply(letter=issued, by=staff, text="已整改", items=[{"project": 999999, "measures": "x"}])
    assert refused.value.field == "items"
    with pytest.raises(DateInFuture):
        letter_reply(letter=issued, by=staff, text="已整改", date=local_today() + dt.timedelta(days=1))
    letter_reply(
        letter=issued,
        by=staff,
        text="已制定整改措施",
        date=issued_on,
        items=[{"project": stale.pk, "measures": "加快推进签约", "expected_date": "2026-12-31"}],
    )
    issued.refresh_from_db()
    assert (issued.replied_on, issued.replied_by, issued.items.get().measures) == (
        issued_on,
        staff,
        "加快推进签约",
    )
    with pytest.raises(Duplicate):
        letter_reply(letter=issued, by=manager, text="再回复")
    assert Change.objects.filter(type="letter.replied").count() == 1
    rates = task_rates(start=issued.reply_due, end=issued.reply_due)
    assert (rates["letter_count"], rates["replied_count"], rates["replied_on_time_count"]) == (1, 1, 1)


def test_a_manager_keeps_the_units_leaders_on_record(unit, manager, staff):
    from supervision.letters import unit_leaders_set

    with pytest.raises(Forbidden):
        unit_leaders_set(unit=unit, by=staff, district_leader="王", head="李")
    unit_leaders_set(unit=unit, by=manager, district_leader="王副区长", head="李主任")
    unit_leaders_set(unit=unit, by=manager, district_leader="王副区长", head="李主任")
    unit_leaders_set(unit=unit, by=manager, district_leader="王副区长", head="赵主任")
    changes = list(
        Change.objects.filter(type="unit_leaders.updated").order_by("seq").values_list("changes", flat=True)
    )
    assert changes == [
        {"district_leader": [None, "王副区长"], "head": [None, "李主任"]},
        {"head": ["李主任", "赵主任"]},
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_months_issued_at_once_number_their_letters_gaplessly(district, manager, industry):
    from tests.factories import UnitFactory

    for index in range(4):
        unit = UnitFactory(code=f"c{index}", name=f"单位{index}", district=district)
        make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    results = run_concurrently(
        lambda: letters_issue(district=district, month="2025-04", by=manager),
        lambda: letters_issue(district=district, month="2025-05", by=manager),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    numbers = sorted(Letter.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))  # 4 units × 2 months, no gap, no repeat
