"""Local dates and month arithmetic (Asia/Shanghai). Months are written YYYY-MM."""

import calendar
import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidValue, MissingField

# ASCII digits only, and nothing after them (`$` would let a trailing newline through and
# `\d` would read full-width digits as a month).
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")

# The calendar the product reads dates in; parse_month and the statistics period refuse
# anything earlier (date arithmetic one year or month before year 1 cannot be done).
EARLIEST_YEAR = 1900
# Planned dates (计划签约/开工/投产) lie ahead but within this year; year 9999 (or 1) was taken,
# and 0001-01-01 became an Excel date serial no sheet can show.
LATEST_PLANNED_YEAR = 2100


def local_today() -> dt.date:
    return timezone.localdate()


def parse_month(value: str) -> dt.date:
    """'2025-12' → date(2025, 12, 1). Raises ValueError with a message in the active language otherwise."""
    match = _MONTH_RE.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < EARLIEST_YEAR:
        raise ValueError(_("月份格式应为 YYYY-MM，收到“%(month)s”。") % {"month": str(value)[:16]})
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def format_month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """Shift by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 when end < start + 1 month)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from `first`'s month to `last`'s month, inclusive."""
    months, current, final = [], month_start(first), month_start(last)
    while current <= final:
        months.append(current)
        if current == final:  # stop before stepping past December 9999
            break
        current = add_months(current, 1)
    return months


def clean_date(value, field: str = "date") -> dt.date:
    """A calendar date from a date or an ISO string ('2025-11-25'); a clear error otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MissingField(_("请填写日期。"), field=field)
    if isinstance(value, dt.datetime):
        day = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidValue(
                _("日期“%(value)s”格式无效，应为 YYYY-MM-DD。") % {"value": str(value)[:32]}, field=field
            ) from None
    if day.year < EARLIEST_YEAR:
        # Months before 1900 cannot be filed or reported on (core.dates.parse_month).
        raise InvalidValue(_("日期不能早于 %(year)s 年。") % {"year": EARLIEST_YEAR}, field=field)
    return day
