"""A report's period: its days, and the bounds on the work one request may ask for."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from core.dates import EARLIEST_YEAR
from core.errors import InvalidValue


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def q(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


# Bounds on the work one request may ask for: a period of 1901-9998 grouped by month built
# ~97,000 groups and held a web worker for 30 s (issue 12).
MAX_PERIOD_YEARS = 100
MAX_MONTH_GROUPS = 120


def check_period(date_from, date_to, group_by=None) -> None:
    if not isinstance(date_from, dt.date) or not isinstance(date_to, dt.date):
        raise InvalidValue(_("请填写统计期间的起止日期。"), field="from")
    if date_to < date_from:
        raise InvalidValue(_("截止日期不能早于起始日期。"), field="to")
    if date_from.year < EARLIEST_YEAR:
        # The comparison period a year before could not even be written down.
        raise InvalidValue(_("起始日期不能早于 %(year)s 年。") % {"year": EARLIEST_YEAR}, field="from")
    if (date_to.year - date_from.year, date_to.month, date_to.day) > (
        MAX_PERIOD_YEARS,
        date_from.month,
        date_from.day,
    ):
        raise InvalidValue(_("统计期间不能超过 %(years)s 年。") % {"years": MAX_PERIOD_YEARS}, field="to")
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
    if group_by == "month" and months > MAX_MONTH_GROUPS:
        raise InvalidValue(
            _("按月分组时统计期间不能超过 %(months)s 个月（所选期间为 %(actual)s 个月）。")
            % {"months": MAX_MONTH_GROUPS, "actual": months},
            field="group_by",
        )
