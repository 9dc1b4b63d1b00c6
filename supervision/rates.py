"""The 督办 rates, one definition used by the board, the API, the scorecard and the 专项报告.

For a period [start, end] (both days included) and a set of tasks:
- `due_count`: tasks whose due date falls in the period;
- `closed_count`: of those, the ones closed (验收销号), whenever that was;
- `closed_on_time_count`: of those, closed on or before their due date;
- `overdue_count`: of those, not closed and past their due date today;
- `closed_rate` (办结率) = closed ÷ due, `on_time_rate` (按期办结率) = closed on time ÷ due, in per
  cent with two decimals, none when nothing was due;
- the same three counts and two rates per source (`by_source`: request — so 诉求办结率 is
  by_source["request"]["closed_rate"] — meeting, letter, manager).
For letters (督办函) whose reply deadline falls in the period: `letter_count`, `replied_count`,
`replied_on_time_count` (replied on or before the deadline) and `replied_on_time_rate`.

Counted in the database: one query for the tasks and one for the letters, grouped by unit when
asked (the acting unit; the letter's addressed unit).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from core.dates import local_today
from supervision.models import Letter, Task

SOURCES = tuple(Task.Source.values)
_CLOSED = Q(status=Task.Status.CLOSED)
_ON_TIME = _CLOSED & Q(closed_on__lte=F("due_date"))


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _task_counts(today: dt.date) -> dict:
    counts = {
        "due_count": Count("id"),
        "closed_count": Count("id", filter=_CLOSED),
        "closed_on_time_count": Count("id", filter=_ON_TIME),
        "overdue_count": Count("id", filter=~_CLOSED & Q(due_date__lt=today)),
    }
    for source in SOURCES:
        of = Q(source=source)
        counts[f"{source}__due"] = Count("id", filter=of)
        counts[f"{source}__closed"] = Count("id", filter=of & _CLOSED)
        counts[f"{source}__on_time"] = Count("id", filter=of & _ON_TIME)
    return counts


def _shape(row: dict) -> dict:
    due, closed, on_time = (
        row.get("due_count") or 0,
        row.get("closed_count") or 0,
        row.get("closed_on_time_count") or 0,
    )
    shaped = {
        "due_count": due,
        "closed_count": closed,
        "closed_on_time_count": on_time,
        "overdue_count": row.get("overdue_count") or 0,
        "closed_rate": rate(closed, due),
        "on_time_rate": rate(on_time, due),
        "by_source": {},
    }
    for source in SOURCES:
        s_due, s_closed, s_on_time = (
            row.get(f"{source}__{key}") or 0 for key in ("due", "closed", "on_time")
        )
        shaped["by_source"][source] = {
            "due_count": s_due,
            "closed_count": s_closed,
            "closed_on_time_count": s_on_time,
            "closed_rate": rate(s_closed, s_due),
            "on_time_rate": rate(s_on_time, s_due),
        }
    return shaped


_LETTER_COUNTS = {
    "letter_count": Count("id"),
    "replied_count": Count("id", filter=Q(replied_on__isnull=False)),
    "replied_on_time_count": Count("id", filter=Q(replied_on__lte=F("reply_due"))),
}


def _letter_shape(row: dict) -> dict:
    letters, replied, on_time = (row.get(key) or 0 for key in _LETTER_COUNTS)
    return {
        "letter_count": letters,
        "replied_count": replied,
        "replied_on_time_count": on_time,
        "replied_on_time_rate": rate(on_time, letters),
    }


def task_rates(*, start: dt.date, end: dt.date, tasks=None, letters=None, group_by: str | None = None):
    """The rates for the period over `tasks` and `letters` (querysets, already scoped; all when
    None). Ungrouped: one dict. `group_by="unit"`: {unit id: dict} for every unit with a task or
    a letter due in the period."""
    today = local_today()
    tasks = (Task.objects.all() if tasks is None else tasks).filter(due_date__gte=start, due_date__lte=end)
    letters = (Letter.objects.all() if letters is None else letters).filter(
        reply_due__gte=start, reply_due__lte=end
    )
    if group_by is None:
        result = _shape(tasks.aggregate(**_task_counts(today)))
        result.update(_letter_shape(letters.aggregate(**_LETTER_COUNTS)))
        return result
    if group_by != "unit":
        raise ValueError(group_by)
    task_rows = {
        row["unit_id"]: row for row in tasks.order_by().values("unit_id").annotate(**_task_counts(today))
    }
    letter_rows = {
        row["reminder__unit_id"]: row
        for row in letters.order_by().values("reminder__unit_id").annotate(**_LETTER_COUNTS)
    }
    grouped = {}
    for unit_id in sorted(set(task_rows) | set(letter_rows)):
        grouped[unit_id] = _shape(task_rows.get(unit_id, {}))
        grouped[unit_id].update(_letter_shape(letter_rows.get(unit_id, {})))
    return grouped
