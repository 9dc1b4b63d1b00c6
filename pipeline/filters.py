"""The one parser of a report's request: its month, version, period and project filters.

The API, the pages and the exports all read a report's query string here, so the same request
means the same ledger, figures and workbook whichever door it came in by.

    LedgerFilter   the project facts of projects.filters.ProjectFilter, plus `stage` (the
                   ledger's columns) and `is_overdue`, which pipeline.ledger reads on the as-of
                   stage and flag of the month, not on the project's own.
    StatsFilter    the facts the figures are filtered by, the period (`from` and `to`, or
                   `year`) and `group_by`; `period()` gives the period's two days.
    report_projects(data, *, user, filterset=LedgerFilter) -> (projects, cleaned data)
        The projects `user` may see, narrowed by the filterset's project facts; a bad value
        raises InvalidValue naming its field.
    report_period(data, *, default=None) -> (from, to, group_by)
        The period of a statistics request.
    as_month(value) / parse_version(value)
        The report's month ('YYYY-MM' or a date) and published version (a positive integer).
"""

import datetime as dt

import django_filters as filters
from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import scope_projects
from core import dates
from core.dates import local_today, month_start
from core.errors import InvalidValue
from projects.filters import ProjectFilter, YesNoFilter
from projects.lifecycle import LEDGER_COLUMNS, PIPELINE_STAGES
from projects.models import Project

GROUP_CHOICES = ("industry", "unit", "park", "district", "month")
GROUP_LABELS = {
    "industry": gettext_lazy("按产业"),
    "unit": gettext_lazy("按责任单位"),
    "park": gettext_lazy("按园区"),
    "district": gettext_lazy("按区县"),
    "month": gettext_lazy("按月份"),
}
# The project facts the figures can be filtered by (the as-of stage and flag are the ledger's).
STATS_FACTS = ("district", "unit", "park", "industry", "source", "investor", "is_high_tech")
ISO_DATE = ["%Y-%m-%d"]


def as_month(value) -> dt.date:
    """A report's month: 'YYYY-MM', or any day of it, as the month's first day."""
    if isinstance(value, dt.date):
        return month_start(value)
    try:
        return dates.parse_month(value if isinstance(value, str) else "")
    except ValueError as error:
        raise InvalidValue(str(error), field="month") from None


def parse_version(value) -> int | None:
    """A published version: none, or a positive integer (anything else is refused)."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    if not (isinstance(value, str) and value.isdigit() and value.isascii()):
        raise InvalidValue(_("版本号应为正整数。"), field="version")
    return int(value)


def year_period(year: int) -> tuple[dt.date, dt.date]:
    """A calendar year: 1 January to 31 December, or to today while the year lasts (the
    figures of a year under way are its figures so far, and the year before is compared over
    the same days)."""
    end = dt.date(year, 12, 31)
    today = local_today()
    return dt.date(year, 1, 1), min(end, today) if year == today.year else end


class LedgerFilter(ProjectFilter):
    """The ledger's filters. `stage` and `is_overdue` select on the stage and overdue flag as
    of the month's last day: pipeline.ledger applies them to its as-of rows, so here they
    only parse."""

    stage = filters.MultipleChoiceFilter(
        label=gettext_lazy("台账栏目"),
        choices=[(stage, LEDGER_COLUMNS[stage]) for stage in PIPELINE_STAGES],
        method="read_as_of",
        error_messages={
            "invalid_choice": format_lazy(
                "{}{}", gettext_lazy("“%(value)s”不是台账栏目，可选："), "、".join(PIPELINE_STAGES)
            )
        },
    )
    is_overdue = YesNoFilter(label=gettext_lazy("月末逾期"), method="read_as_of")

    def read_as_of(self, queryset, name, value):
        return queryset


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StatsFilter(ProjectFilter):
    """The statistics' filters: the project facts of STATS_FACTS, the period and the grouping.
    Only the facts filter the projects; `period()` and `group_by` are read by the caller."""

    year = YearFilter(label=gettext_lazy("年份"), method="read_elsewhere", min_value=1900, max_value=9999)
    group_by = filters.ChoiceFilter(
        label=gettext_lazy("分组"), choices=list(GROUP_LABELS.items()), method="read_elsewhere"
    )

    @classmethod
    def get_filters(cls):
        found = super().get_filters()
        kept = {name: found[name] for name in (*STATS_FACTS, "year", "group_by")}
        # `from` is a Python keyword, so the two days are named here rather than declared above.
        for name, label in (("from", gettext_lazy("起始日期")), ("to", gettext_lazy("截止日期"))):
            kept[name] = filters.DateFilter(
                label=label, field_name=name, method="read_elsewhere", input_formats=ISO_DATE
            )
        return kept

    def read_elsewhere(self, queryset, name, value):
        return queryset

    def period(self, *, default=None) -> tuple[dt.date, dt.date]:
        """(from, to): `from` and `to`, or the `year` (year_period); `default`, a (from, to),
        when neither is given, else a refusal. Call on a valid filterset."""
        data = self.form.cleaned_data
        start, end, year = data.get("from"), data.get("to"), data.get("year")
        if year is not None and (start or end):
            raise InvalidValue(_("year 不能与 from/to 同时使用，请二选一。"), field="year")
        if year is not None:
            return year_period(year)
        if start and end:
            return start, end
        if not start and not end and default is not None:
            return default
        raise InvalidValue(_("请提供 from 和 to（YYYY-MM-DD），或 year。"), field="to" if start else "from")


def _query_dict(data) -> QueryDict:
    """Filter data in any container (a QueryDict, or a dict of values or lists) as a QueryDict
    without empty values."""
    query = QueryDict(mutable=True)
    if not data:
        return query
    getlist = getattr(data, "getlist", None)
    for key in data:
        values = getlist(key) if getlist else data[key]
        if not isinstance(values, list | tuple):
            values = [values]
        values = [
            value if isinstance(value, str) else str(value) for value in values if value not in (None, "")
        ]
        if values:
            query.setlist(key, values)
    return query


def subset(data, names) -> QueryDict:
    """The values of `names` in `data` (any container), as a QueryDict."""
    query = _query_dict(data)
    for key in list(query):
        if key not in names:
            del query[key]
    return query


def bound(filterset_class, data, *, queryset=None):
    """The filterset bound to `data`, valid, or InvalidValue naming the first bad field."""
    filterset = filterset_class(_query_dict(data), queryset=queryset)
    if not filterset.is_valid():
        field, messages = next(iter(filterset.errors.items()))
        label = filterset.filters[field].label if field in filterset.filters else field
        raise InvalidValue(f"{label}：{messages[0]}", field=field)
    return filterset


PERIOD_PARAMS = ("from", "to", "year", "group_by")


def report_period(data, *, default=None) -> tuple[dt.date, dt.date, str | None]:
    """(from, to, group_by) of a statistics request (StatsFilter.period; `default` when it
    names no period, else a refusal)."""
    filterset = bound(StatsFilter, subset(data, PERIOD_PARAMS))
    date_from, date_to = filterset.period(default=default)
    return date_from, date_to, filterset.form.cleaned_data.get("group_by") or None


def report_projects(data, *, user=None, filterset=LedgerFilter):
    """The projects `user` may see (None: all, for commands), narrowed by the filterset's
    project facts, and the filterset's cleaned data (the as-of stage and flag, the period…)."""
    queryset = Project.objects.all()
    if user is not None:
        queryset = scope_projects(user, queryset)
    bound_filterset = bound(filterset, data, queryset=queryset)
    return bound_filterset.qs, bound_filterset.form.cleaned_data
