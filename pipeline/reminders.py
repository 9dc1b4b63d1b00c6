"""Monthly reminders (工作提示函 / 催办函): each month the units that own overdue projects are
sent a letter listing them; a unit whose projects were already listed the month before is
sent an urging letter (催办函) instead of a notice (工作提示函).

Services (writes):

    reminders_issue(*, district, month, by) -> IssueResult
        The district's reminders for `month`. Rules:
        - only a manager of the district (accounts.roles.can_publish) issues;
        - the month must have ended (its last day is today or earlier): a letter lists what
          *was* overdue, and a month still under way has no last-day ledger yet;
        - a project is overdue exactly when the ledger of the month shows it overdue: its
          stage and stage-since date as of the month's last day come from the standing stage
          events (pipeline.ledger), and the stale rule is projects.overdue's. A back-dated
          milestone therefore changes which projects a month's letters list, as long as the
          month has not been issued yet;
        - one reminder per unit owning at least one overdue project of the district; a unit
          without any gets none;
        - kind = urging (催办函) when the unit's reminder of the previous month listed any of
          the same projects, otherwise notice (工作提示函);
        - idempotent: issuing a month again creates nothing twice. A unit already reminded
          that month keeps its letter. If that letter is not yet acknowledged, projects that
          have become overdue for the month since (back-dated entries) are added to it and its
          kind is re-evaluated on the whole list (a notice may become an urging letter, never
          the reverse); projects are never removed from an issued letter — it is a record of
          what was sent. An acknowledged letter is left exactly as it was signed for;
        - one transaction; the district row is locked, so two managers issuing the same
          month at once produce one set of letters (the second sees the first's).
    reminder_acknowledge(*, reminder, by) -> Reminder
        签收: staff of the reminded unit or a manager of its district (accounts.roles.
        can_acknowledge_reminder), once — a second acknowledgement is refused (duplicate).

Selectors (reads):

    reminder_queryset(user)            the reminders `user` may see (accounts.roles.reminder_scope),
                                       with unit, district, issuer, acknowledger and project count
    reminder_projects(reminder)        its projects as of the month's last day (one query): stage,
                                       since, months in stage, reason (谈而未定/定而未落/逾期未投产)
    reminder_letter(reminder)          everything the printed letter shows
    last_complete_month(today=None)    the default month to issue
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core.dates import add_months, local_today, month_end, month_start
from core.errors import Duplicate, InvalidValue
from pipeline.asof import as_of_overdue_q, latest_events
from pipeline.filters import as_month
from pipeline.models import Reminder
from projects.lifecycle import OVERDUE_REASONS, Stage, months_in_stage
from projects.models import District

ReminderProject = Reminder.projects.through


@dataclass
class IssueResult:
    """What one issuing did: letters created, letters extended with newly overdue projects,
    and letters that already existed for the month and were left as they were."""

    district: District
    month: dt.date
    as_of: dt.date
    created: list[Reminder] = field(default_factory=list)
    extended: list[Reminder] = field(default_factory=list)
    already_issued: list[Reminder] = field(default_factory=list)

    @property
    def notices(self) -> int:
        return sum(1 for r in self.created if r.kind == Reminder.Kind.NOTICE)

    @property
    def urgings(self) -> int:
        return sum(1 for r in self.created if r.kind == Reminder.Kind.URGING)


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """The month before the current one: the default month to issue."""
    return add_months(month_start(today or local_today()), -1)


def bureau_name(district) -> str:
    return _("%(district)s招商投资局") % {"district": district.name}


# --- services --------------------------------------------------------------------------------


def _overdue_by_unit(district: District, day: dt.date) -> dict[int, set[int]]:
    """{unit id: {project ids}} of the district's projects overdue on `day`, by the ledger's
    as-of stage and the stale rule (one query)."""
    rows = (
        latest_events(day)
        .filter(project__district_id=district.pk)
        .filter(as_of_overdue_q(day))
        .order_by()
        .values_list("project__unit_id", "project_id")
    )
    by_unit: dict[int, set[int]] = {}
    for unit_id, project_id in rows:
        by_unit.setdefault(unit_id, set()).add(project_id)
    return by_unit


def _covered(reminders_q: Q) -> dict[int, set[int]]:
    """{unit id: {project ids}} listed by the reminders matching `reminders_q`."""
    covered: dict[int, set[int]] = {}
    rows = ReminderProject.objects.filter(reminders_q).values_list("reminder__unit_id", "project_id")
    for unit_id, project_id in rows:
        covered.setdefault(unit_id, set()).add(project_id)
    return covered


def _kind(projects: set[int], previous: set[int]) -> str:
    return Reminder.Kind.URGING if projects & previous else Reminder.Kind.NOTICE


def reminders_issue(*, district: District, month, by) -> IssueResult:
    """Issue the district's reminders for `month` (see the module docstring for the rules)."""
    roles.require(roles.can_issue_reminders(by, district.pk), _("只有本区招商投资局管理人员可以生成提示函。"))
    first = as_month(month)
    day = month_end(first)
    if day > local_today():
        raise InvalidValue(
            _("%(month)s 尚未结束（月末为 %(day)s），不能生成该月的提示函。")
            % {"month": f"{first:%Y-%m}", "day": day.isoformat()},
            field="month",
        )
    result = IssueResult(district=district, month=first, as_of=day)
    with transaction.atomic():
        # Serialises issuing (and publishing) per district: a second manager waits, then
        # sees the letters the first one wrote.
        District.objects.select_for_update().get(pk=district.pk)
        overdue = _overdue_by_unit(district, day)
        existing = {
            reminder.unit_id: reminder
            for reminder in Reminder.objects.select_for_update(of=("self",))
            .filter(month=first)
            .filter(Q(unit__district_id=district.pk) | Q(unit_id__in=list(overdue)))
            .select_related("unit")
            .order_by("unit_id")
        }
        listed = _covered(Q(reminder__in=[r.pk for r in existing.values()])) if existing else {}
        previous = _covered(Q(reminder__month=add_months(first, -1), reminder__unit_id__in=list(overdue)))

        now = timezone.now()
        new_rows: list[tuple[Reminder, set[int]]] = []
        links: list[ReminderProject] = []
        for unit_id in sorted(overdue):
            projects = overdue[unit_id]
            reminder = existing.get(unit_id)
            if reminder is None:
                reminder = Reminder(
                    unit_id=unit_id,
                    month=first,
                    kind=_kind(projects, previous.get(unit_id, set())),
                    issued_at=now,
                    issued_by=by,
                )
                new_rows.append((reminder, projects))
                continue
            added = projects - listed.get(unit_id, set())
            if reminder.acknowledged_at is not None or not added:
                continue
            links.extend(ReminderProject(reminder_id=reminder.pk, project_id=pk) for pk in sorted(added))
            if reminder.kind == Reminder.Kind.NOTICE:
                reminder.kind = _kind(listed.get(unit_id, set()) | added, previous.get(unit_id, set()))
            reminder.save(update_fields=["kind", "updated_at"])
            result.extended.append(reminder)

        created = Reminder.objects.bulk_create([reminder for reminder, _projects in new_rows])
        for reminder, (_unsaved, projects) in zip(created, new_rows, strict=True):
            links.extend(ReminderProject(reminder_id=reminder.pk, project_id=pk) for pk in sorted(projects))
        ReminderProject.objects.bulk_create(links)
        result.created = created
        extended = {r.pk for r in result.extended}
        result.already_issued = [r for r in existing.values() if r.pk not in extended]
    return result


def reminder_acknowledge(*, reminder: Reminder, by) -> Reminder:
    """签收 a reminder: staff of its unit or a manager of its district, once. The row is locked,
    so two people signing at once record one acknowledgement; the other is told who signed."""
    roles.require(
        roles.can_acknowledge_reminder(by, reminder), _("只有被提示单位的工作人员或本区管理人员可以签收。")
    )
    with transaction.atomic():
        locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if locked.acknowledged_at is not None:
            signer = locked.acknowledged_by
            raise Duplicate(
                _("该函已于 %(when)s 由 %(who)s 签收，不能重复签收。")
                % {
                    "when": timezone.localtime(locked.acknowledged_at).strftime("%Y-%m-%d %H:%M"),
                    "who": (signer.get_full_name() or signer.username) if signer else "—",
                }
            )
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = by
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
    reminder.acknowledged_at = locked.acknowledged_at
    reminder.acknowledged_by = by
    reminder.updated_at = locked.updated_at
    return reminder


# --- selectors -------------------------------------------------------------------------------


def reminder_queryset(user):
    """The reminders `user` may see, with what lists and letters show (one query)."""
    return (
        Reminder.objects.filter(roles.reminder_scope(user))
        .select_related("unit", "unit__district", "issued_by", "acknowledged_by")
        .annotate(project_count=Count("projects"))
    )


def reminder_projects(reminder: Reminder) -> list[dict]:
    """The reminder's projects as they stood on the month's last day, by project code (one
    query): stage, stage-since date, months in that stage, why overdue, and whether the
    month's ledger still shows it overdue (a later back-dated entry may have changed that)."""
    day = month_end(reminder.month)
    previous = ReminderProject.objects.filter(
        reminder__unit_id=reminder.unit_id,
        reminder__month=add_months(reminder.month, -1),
        project_id=OuterRef("project_id"),
    )
    rows = (
        latest_events(day)
        .filter(project__reminders=reminder)
        .annotate(
            still_overdue=Case(When(as_of_overdue_q(day), then=Value(True)), default=Value(False)),
            repeated=Exists(previous),
        )
        .order_by("project__code")
        .values(
            "project_id",
            "project__code",
            "project__name",
            "project__planned_production_date",
            "stage",
            "date",
            "still_overdue",
            "repeated",
        )
    )
    stages = dict(Stage.choices)
    return [
        {
            "id": row["project_id"],
            "code": row["project__code"],
            "name": row["project__name"],
            "stage": row["stage"],
            "stage_label": str(stages.get(row["stage"], row["stage"])),
            "stage_since": row["date"],
            "months_in_stage": months_in_stage(row["date"], day),
            "planned_production_date": row["project__planned_production_date"],
            "reason": str(OVERDUE_REASONS[row["stage"]]) if row["stage"] in OVERDUE_REASONS else "",
            "still_overdue": bool(row["still_overdue"]),
            "repeated": bool(row["repeated"]),
        }
        for row in rows
    ]


def reminder_letter(reminder: Reminder) -> dict:
    """What the printed letter shows: title, addressee, the projects as of the month's last
    day, the issuing bureau and dates. `reminder` comes from reminder_queryset (unit and
    district already joined)."""
    district = reminder.unit.district
    return {
        "reminder": reminder,
        "title": reminder.get_kind_display(),
        "is_urging": reminder.kind == Reminder.Kind.URGING,
        "unit": reminder.unit,
        "district": district,
        "bureau": bureau_name(district),
        "month": reminder.month,
        "as_of": month_end(reminder.month),
        "issued_on": timezone.localtime(reminder.issued_at).date() if reminder.issued_at else None,
        "projects": reminder_projects(reminder),
    }
