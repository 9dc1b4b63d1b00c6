"""The report path: a report request read from its query string (pipeline.filters), computed
(pipeline.publishing, pipeline.stats) and written to a workbook (pipeline.exports) in one way
for the API and the pages, so the same request gives the same figures and the same file
whichever door it came in by.

    ledger_request(month, params, *, user) -> dict
        The month's ledger as the reader is shown it (the published version asked for by
        `version`, or the latest; else the ledger computed now), with its project filters.
    ledger_workbook(data, *, user) -> (bytes, filename)
    stats_request(params, *, user, default_period=None, previous=True) -> dict
        {"result", "previous"}: the figures of the period and, when asked, of the same days a
        year before (the year-on-year columns).
    stats_workbook(report, *, user, params) -> (bytes, filename)
    report_area(district, user) -> str
        Who a report is about: the district asked for (or the reader's whole district), the
        reader's unit, or the whole city.
"""

from django.utils.translation import gettext as _

from accounts import roles
from pipeline.exports import ledger_xlsx_bytes, stats_xlsx_bytes
from pipeline.filters import STATS_FACTS, LedgerFilter, parse_version, report_period, subset
from pipeline.publishing import ledger_for_reader, reader_district
from pipeline.stats import statistics_compared


def report_area(district, user) -> str:
    """The area a report's title names: its district (a {"code", "name"} dict), the reader's
    unit for unit staff, else the whole city."""
    if district:
        return district["name"]
    if getattr(user, "unit_id", None) and user.unit:
        return user.unit.name
    return _("全市")


def prepared_by(district, user) -> str:
    """The 编制单位 of a report: the district's bureau, else the area."""
    if district:
        return _("%(area)s招商投资局") % {"area": district["name"]}
    return report_area(district, user)


def ledger_filters(params):
    return subset(params, LedgerFilter.base_filters)


def ledger_request(month, params, *, user, rows: bool = True) -> dict:
    """rows=False: without the rows of a ledger computed now (the page reads them a slice at a
    time, pipeline.ledger_pages)."""
    return ledger_for_reader(
        month,
        user=user,
        filters=ledger_filters(params),
        version=parse_version(params.get("version")),
        rows=rows,
    )


def ledger_workbook(data: dict, *, user) -> tuple[bytes, str]:
    district = data.get("district")
    content = ledger_xlsx_bytes(
        data,
        area=report_area(district, user),
        prepared_by=prepared_by(district, user),
        # A reader of several districts, none chosen: 区县 and 小计 as on the ledger page.
        by_district=not district and roles.sees_several_districts(user),
    )
    return content, f"ledger-{data['month']}.xlsx"


def stats_request(params, *, user, default_period=None, previous: bool = True) -> dict:
    date_from, date_to, group_by = report_period(params, default=default_period)
    filters = subset(params, STATS_FACTS)
    result, before = statistics_compared(
        date_from, date_to, user=user, filters=filters, group_by=group_by, previous=previous
    )
    return {"result": result, "previous": before}


def _stats_district(params, user):
    district = reader_district(user, subset(params, ("district",)))
    return {"code": district.code, "name": district.name} if district else None


def stats_area(params, *, user) -> str:
    """The area a statistics request is about (its district, else the reader's), as its page
    and its workbook title it."""
    return report_area(_stats_district(params, user), user)


def stats_workbook(report: dict, *, user, params) -> tuple[bytes, str]:
    result = report["result"]
    district = _stats_district(params, user)
    content = stats_xlsx_bytes(
        result,
        area=report_area(district, user),
        prepared_by=prepared_by(district, user),
        previous=report["previous"],
    )
    return content, f"stats-{result['from']:%Y%m%d}-{result['to']:%Y%m%d}.xlsx"
