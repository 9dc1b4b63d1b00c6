"""Letters (工作提示函 / 催办函) as the bureau sends them: numbered, addressed, answered.

    letters_issue(*, district, month, by, reply_days=REPLY_DAYS) -> IssueResult
        Issues the month's reminders (pipeline.reminders.reminders_issue, same rules) and, in the
        same transaction, numbers every letter of the month that has no number yet.
    letter_number(*, reminder, by, reply_days=REPLY_DAYS) -> Letter
        Gives one reminder its document number: 〈district〉招商〔year〕n号, n sequential per
        district and year from 1, with no gaps — the (district, year) counter row is locked
        until the transaction commits, and a rolled-back transaction gives its number back. The
        letter is addressed to the unit's 分管区领导 and 主要负责人 (UnitLeaders, copied as they are
        that day) and asks for a written reply within `reply_days` of issuing. Idempotent.
    letter_reply(*, letter, by, text, date=None, items=()) -> Letter
        The addressed unit's written reply (accounts.roles.can_reply_letter): the measures taken
        and, per project of the letter, {"project", "measures", "expected_date"}. Once only; the
        date not in the future. 签收 (pipeline.reminders.reminder_acknowledge) stays the receipt.

A letter is overdue when it has no reply and its reply deadline has passed. Recorded changes:
letter.numbered, letter.replied.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, created, record
from core.dates import local_today
from core.errors import Duplicate, InvalidValue
from pipeline.models import Reminder
from pipeline.reminders import reminders_issue
from supervision.cleaning import any_day, clean_text, past_day
from supervision.models import Letter, LetterCounter, LetterReplyItem, UnitLeaders

REPLY_DAYS = 10


def document_prefix(district) -> str:
    """九龙坡区 → 九龙坡招商: the district's name without 区/县, then 招商."""
    name = district.name
    if len(name) > 2 and name[-1] in "区县":
        name = name[:-1]
    return f"{name}招商"


def document_number(district, year: int, number: int) -> str:
    return f"{document_prefix(district)}〔{year}〕{number}号"


def _next_number(district_id: int, year: int) -> int:
    counter, _created = LetterCounter.objects.get_or_create(district_id=district_id, year=year)
    counter = LetterCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@atomic
def letter_number(*, reminder: Reminder, by, reply_days: int = REPLY_DAYS) -> Letter:
    reminder = Reminder.objects.select_related("unit", "unit__district").get(pk=reminder.pk)
    district = reminder.unit.district
    roles.require(roles.can_issue_reminders(by, district.pk), _("只有本区招商投资局管理人员可以编号发函。"))
    existing = Letter.objects.filter(reminder=reminder).first()
    if existing is not None:
        return existing
    issued_on = timezone.localtime(reminder.issued_at).date() if reminder.issued_at else local_today()
    year = issued_on.year
    number = _next_number(district.pk, year)
    leaders = UnitLeaders.objects.filter(unit_id=reminder.unit_id).first()
    letter = Letter.objects.create(
        reminder=reminder,
        district=district,
        year=year,
        number=number,
        document_number=document_number(district, year, number),
        district_leader=leaders.district_leader if leaders else "",
        head=leaders.head if leaders else "",
        reply_due=issued_on + dt.timedelta(days=reply_days),
    )
    record(
        "letter.numbered",
        letter,
        by=by,
        district_id=district.pk,
        changes=created(
            {"document_number": letter.document_number, "reply_due": letter.reply_due.isoformat()}
        ),
    )
    return letter


@atomic
def letters_issue(*, district, month, by, reply_days: int = REPLY_DAYS):
    result = reminders_issue(district=district, month=month, by=by)
    unnumbered = Reminder.objects.filter(
        unit__district_id=district.pk, month=result.month, letter__isnull=True
    ).order_by("unit__code", "pk")
    for reminder in unnumbered:
        letter_number(reminder=reminder, by=by, reply_days=reply_days)
    return result


def _items(letter: Letter, items) -> list[dict]:
    if items is None:
        return []
    if not isinstance(items, list | tuple) or not all(isinstance(item, dict) for item in items):
        raise InvalidValue(_("items 应为对象列表。"), field="items")
    listed = set(letter.reminder.projects.values_list("pk", flat=True))
    cleaned = []
    for index, item in enumerate(items):
        project = item.get("project")
        project_id = getattr(project, "pk", project)
        if project_id not in listed:
            raise InvalidValue(_("第 %(n)s 项：该项目不在此函所列项目中。") % {"n": index + 1}, field="items")
        expected = item.get("expected_date")
        cleaned.append(
            {
                "project_id": project_id,
                "measures": clean_text(item.get("measures"), "items", _("整改措施")),
                "expected_on": any_day(expected, "items", _("预计完成日期")) if expected else None,
            }
        )
    return cleaned


@atomic
def letter_reply(*, letter: Letter, by, text, date=None, items=()) -> Letter:
    letter = Letter.objects.select_for_update(of=("self",)).select_related("reminder__unit").get(pk=letter.pk)
    roles.require(roles.can_reply_letter(by, letter.reminder), _("只有被发函单位可以回复。"))
    if letter.replied_on is not None:
        raise Duplicate(_("该函已于 %(date)s 回复，不能重复回复。") % {"date": letter.replied_on.isoformat()})
    text = clean_text(text, "text", _("回复内容"))
    day = past_day(date, "date")
    issued_on = timezone.localtime(letter.reminder.issued_at).date() if letter.reminder.issued_at else None
    if issued_on and day < issued_on:
        raise InvalidValue(_("回复日期不能早于发函日期。"), field="date")
    cleaned = _items(letter, items)
    letter.reply_text, letter.replied_on, letter.replied_by = text, day, by
    letter.replied_at = timezone.now()
    letter.save(update_fields=["reply_text", "replied_on", "replied_by", "replied_at", "updated_at"])
    LetterReplyItem.objects.bulk_create(LetterReplyItem(letter=letter, **item) for item in cleaned)
    record(
        "letter.replied",
        letter,
        by=by,
        district_id=letter.district_id,
        changes=created({"replied_on": day.isoformat(), "reply_text": text, "items": len(cleaned)}),
    )
    return letter


@atomic
def unit_leaders_set(*, unit, by, district_leader="", head="") -> UnitLeaders:
    """The names the unit's letters are addressed to (分管区领导, 主要负责人): a manager of its
    district keeps them. Recorded as unit_leaders.updated with what changed."""
    roles.require(
        roles.can_manage_tasks(by, unit.district_id), _("只有本区招商投资局管理人员可以维护单位负责人。")
    )
    district_leader = clean_text(
        district_leader, "district_leader", _("分管区领导"), required=False, max_length=32
    )
    head = clean_text(head, "head", _("主要负责人"), required=False, max_length=32)
    leaders, _created = UnitLeaders.objects.select_for_update().get_or_create(unit=unit)
    before = {"district_leader": leaders.district_leader, "head": leaders.head}
    after = {"district_leader": district_leader, "head": head}
    if before != after:
        leaders.district_leader, leaders.head = district_leader, head
        leaders.save()
        changes = {
            key: [before[key] or None, after[key] or None] for key in after if before[key] != after[key]
        }
        record("unit_leaders.updated", leaders, by=by, district_id=unit.district_id, changes=changes)
    return leaders
