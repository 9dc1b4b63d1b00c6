"""Excel files in the bureau's usual 台账 layout (XlsxWriter in constant-memory mode, through
pipeline.xlsx: rows stream to the file, text is always text, money and dates real cells).

Entry points:

    write_ledger_xlsx(data, stream, *, area="", prepared_by="", prepared_on=None) -> None
        `data` is what pipeline.ledger.ledger() (or a published version) returns. A summary
        sheet (汇总) and one sheet per ledger column (在谈 / 拟签约 / 拟开工 / 拟投产 /
        投产未达产): title row naming the area and month, the preparing unit and date, a frozen
        header, 万元 with two decimals, a totals row. The sheets' columns: ledger_sheet_columns().
        Printed: A4 landscape at 80 %, pages across then down with 序号/项目编号/项目名称 and
        the header repeated (three across for the widest sheets at LibreOffice's column unit,
        pipeline.xlsx), text columns wrapped, 10 pt (never shrunk below 8 pt). by_district (a
        reader of several districts, none chosen): a 区县 column, each district's 小计 rows
        before the 合计, and 各区县小计 on 汇总, as on the page.
    write_stats_xlsx(result, stream, *, area="", prepared_by="", prepared_on=None,
                     previous=None) -> None
        `result` from pipeline.stats.statistics(); `previous` the same period a year before.
    ledger_xlsx_bytes(...) / stats_xlsx_bytes(...): the same, returned as bytes.

`stream` is a path or a binary file object.
"""

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import local_today
from pipeline.sections import ledger_sections
from pipeline.xlsx import DATE_FORMAT, MONEY_FORMAT, XLSX_CONTENT_TYPE, Book
from projects.lifecycle import LEDGER_FIELD_LABELS, LEDGER_TOTAL_FIELDS, Stage, ledger_table

__all__ = ["DATE_FORMAT", "MONEY_FORMAT", "XLSX_CONTENT_TYPE", "ledger_xlsx_bytes", "stats_xlsx_bytes"]

# Text columns that wrap (long names and free text); the others hold short words or codes.
WRAPPED = frozenset(
    {
        "name",
        "investor_name",
        "industry_name",
        "unit_name",
        "park_name",
        "progress",
        "problems",
        "lead_official",
    }
)
# The columns repeated at the left of every printed page of a ledger sheet (序号, 项目编号, 项目名称).
REPEATED_COLUMNS = 3


# Column widths by ledger row field, for print: two A4 landscape pages across at 10 pt with the
# first three columns on both (REPEATED_COLUMNS, pipeline.xlsx). Which columns each sheet has,
# and in what order, is projects.lifecycle.LEDGER_TABLE, which the ledger page renders too.
LEDGER_WIDTHS = {
    "code": 15,
    "name": 24,
    "investor_name": 18,
    "industry_name": 10,
    "unit_name": 12,
    "park_name": 12,
    "total_investment": 14,
    "contract_investment": 14,
    "signed_on": 11,
    "started_on": 11,
    "planned_production_date": 11,
    "stage_since": 11,
    "months_in_stage": 7,
    "is_overdue": 6,
    "month_funds_in_place": 12,
    "month_investment_completed": 12,
    "funds_in_place_total": 13,
    "progress": 30,
    "problems": 20,
    "lead_official": 8,
}


def ledger_sheet_columns(stage: str, *, by_district: bool = False) -> tuple:
    """(header, row key, kind, width) of each column on the sheet of the ledger section
    `stage`: the index, then one column per field of the section's LEDGER_TABLE columns;
    by_district adds 区县 after the project's name, as the page does for city readers."""
    columns = [(gettext_lazy("序号"), None, "index", 6)]
    for column in ledger_table(stage):
        for field in column.fields:
            columns.append((LEDGER_FIELD_LABELS[field], field, column.kind, LEDGER_WIDTHS[field]))
            if by_district and field == "name":
                columns.append((gettext_lazy("区县"), "district_name", "text", 8))
    return tuple(columns)


def _by_district(rows) -> list[tuple[str, list]]:
    """The rows grouped by district (district code order; project code order within each)."""
    groups: dict[str, tuple[str, list]] = {}
    for row in rows:
        code = row.get("district") or ""
        groups.setdefault(code, (row.get("district_name") or code, []))[1].append(row)
    return [groups[code] for code in sorted(groups)]


def _sums(rows) -> dict:
    return {
        field: sum((row[field] for row in rows if row.get(field) is not None), Decimal("0.00"))
        for field in LEDGER_TOTAL_FIELDS
    }


def ledger_heading(area: str, month: str, published=None) -> str:
    """The ledger's title, the same on the page, in the workbook and in print: the area
    (district, unit or 全市) and the month, and the version when published."""
    heading = _("%(area)s招商引资项目月度台账（%(month)s）") % {"area": area, "month": _month_label(month)}
    if published:
        heading += _("（已发布第%(version)s版）") % {"version": published["version"]}
    return heading


def stats_heading(area: str, date_from, date_to) -> str:
    """The statistics' title, the same on the page, in the workbook and in print."""
    period = f"{date_from:%Y-%m-%d} — {date_to:%Y-%m-%d}"
    return _("%(area)s招商引资统计（%(period)s）") % {"area": area, "period": period}


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return _("%(year)s年%(month)s月") % {"year": year, "month": int(number)}


def _subtitle(prepared_by: str, prepared_on: dt.date | None) -> str:
    return _("编制单位：%(unit)s　　编制日期：%(date)s　　金额单位：万元") % {
        "unit": prepared_by or _("区招商投资局"),
        "date": (prepared_on or local_today()).isoformat(),
    }


def _cell_kind(key, kind: str) -> str:
    """pipeline.xlsx's kind of a ledger column: text columns with long content wrap."""
    if kind in ("bool", "flag"):
        return "flag"
    if kind == "text" and key in WRAPPED:
        return "wrap"
    return kind


def _ledger_row_writer(sheet, columns) -> Callable[[int, dict], list]:
    """A function (index, row) -> the values of one data row of the sheet, for `columns`
    (None for an empty cell); _write_ledger_rows writes them by the column's kind."""
    yes, no = _("是"), _("否")
    plan = [(key, kind) for _header, key, kind, _width in columns]

    def values(index: int, row: dict) -> list:
        cells = []
        append = cells.append
        for key, kind in plan:
            if kind == "index":
                append(index)
            elif kind in ("bool", "flag"):
                append(yes if row.get(key) else no)
            else:
                value = row.get(key)
                append(None if value.__class__ is str and not value else value)
        return cells

    return values


def _write_ledger_rows(sheet, columns, rows, start: int = 1) -> None:
    """The data rows of a column sheet (pipeline.xlsx streams them), numbered from `start`; on
    an overdue row the project's name and its 是否逾期 flag are red."""
    kinds = []
    for _header, key, kind, _width in columns:
        kind = _cell_kind(key, kind)
        kinds.append(f"{kind}!" if key == "name" or kind == "flag" else kind)
    row_values = _ledger_row_writer(sheet, columns)
    sheet.stream(
        kinds,
        (row_values(index, row) for index, row in enumerate(rows, start=start)),
        marks=(bool(row.get("is_overdue")) for row in rows),
    )


def _total_row(columns, label: str, count: int, totals: dict, district: str = "") -> list:
    """A 小计 or 合计 row: the label, the count under 项目编号, the district under 区县, the
    money columns summed."""
    cells = []
    for position, (_header, key, _kind, _width) in enumerate(columns):
        if position == 0:
            cells.append((label, "text"))
        elif key == "code":
            cells.append((_("%(count)s个") % {"count": count}, "text"))
        elif key == "district_name":
            cells.append((district, "text"))
        elif key in LEDGER_TOTAL_FIELDS:
            cells.append((totals[key], "money"))
        else:
            cells.append(("", "text"))
    return cells


def _district_summary(sheet, sections) -> None:
    """汇总's 各区县小计: each district's projects, investment and overdue over the columns."""
    districts: dict[str, list] = {}
    for section in sections:
        for code_name, rows in _by_district(section["rows"]):
            entry = districts.setdefault(code_name, [0, Decimal("0.00"), 0])
            entry[0] += len(rows)
            entry[1] += _sums(rows)["total_investment"]
            entry[2] += sum(1 for row in rows if row.get("is_overdue"))
    sheet.blank()
    sheet.row(((_("各区县小计"), "bold"),))
    sheet.header((_("区县"), _("项目数（个）"), _("总投资（万元）"), _("逾期（个）")))
    for name, (count, investment, overdue) in districts.items():
        sheet.row(((name, "text"), (count, "int"), (investment, "money"), (overdue, "int")))


def write_ledger_xlsx(
    data: dict,
    stream,
    *,
    area: str = "",
    prepared_by: str = "",
    prepared_on=None,
    by_district: bool = False,
) -> None:
    """The ledger as a workbook: 汇总 plus one sheet per column section (see module doc).
    by_district (a reader of several districts, none chosen): a 区县 column and each
    district's 小计 rows before the 合计, as on the page."""
    book = Book(stream)
    month = data["month"]
    subtitle = _subtitle(prepared_by, prepared_on)
    heading = ledger_heading(area, month, data.get("published"))
    sections = ledger_sections(data)

    sheet = book.sheet(_("汇总"), (18, 14, 18, 12), title=heading, subtitle=subtitle)
    sheet.header((_("台账栏目"), _("项目数（个）"), _("总投资（万元）"), _("逾期（个）")))
    for section in sections:
        sheet.row(
            (
                (section["label"], "text"),
                (section["count"], "int"),
                (section["total_investment"], "money"),
                (section["overdue"], "int"),
            )
        )
    totals = data["totals"]
    sheet.row(
        (
            (_("合计"), "text"),
            (totals["count"], "int"),
            (totals["total_investment"], "money"),
            (totals["overdue"], "int"),
        ),
        variant="total",
    )
    sheet.blank()
    sheet.row(((_("本月变动"), "bold"),))
    movements = data["movements"]
    for label, key in (
        (_("新增在谈"), "new"),
        (_("阶段推进"), "advanced"),
        (_("达产"), "reached_capacity"),
        (_("终止"), "terminated"),
    ):
        sheet.row(((label, "text"), (movements[key], "int")))
    for stage in (Stage.APPROVED, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING):
        sheet.row(
            (
                (_("其中：%(stage)s") % {"stage": Stage(stage).label}, "text"),
                (movements["by_stage"].get(stage, 0), "int"),
            )
        )
    if by_district:
        _district_summary(sheet, sections)
    sheet.finish()

    for section in sections:
        columns = ledger_sheet_columns(section["stage"], by_district=by_district)
        sheet = book.sheet(
            section["label"],
            [width for *_rest, width in columns],
            title=f"{heading}　{section['label']}",
            subtitle=subtitle,
            repeat_columns=REPEATED_COLUMNS,
        )
        sheet.header([header for header, *_rest in columns])
        if by_district:
            start = 1
            for name, rows in _by_district(section["rows"]):
                _write_ledger_rows(sheet, columns, rows, start)
                start += len(rows)
                sheet.row(_total_row(columns, _("小计"), len(rows), _sums(rows), name), variant="total")
        else:
            _write_ledger_rows(sheet, columns, section["rows"])
        # The totals summed in the database (pipeline.ledger).
        total_row = _total_row(columns, _("合计"), section["count"], section["totals"])
        sheet.row(total_row, variant="total")
        sheet.finish()
    book.close()


def ledger_xlsx_bytes(data: dict, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_ledger_xlsx(data, buffer, **kwargs)
    return buffer.getvalue()


def write_stats_xlsx(
    result: dict, stream, *, area: str = "", prepared_by: str = "", prepared_on=None, previous=None
) -> None:
    """The statistics of a period: figures and rates (beside the year before when given),
    and, when grouped, one row per group with a totals row."""
    from pipeline.stats import DECIMAL_FIGURES, FIGURES, RATES, compare

    book = Book(stream)
    heading = stats_heading(area, result["from"], result["to"])
    subtitle = _subtitle(prepared_by, prepared_on)

    headers = [_("指标"), _("本期")]
    if previous is not None:
        headers += [_("上年同期"), _("增减"), _("增减（%）")]
    sheet = book.sheet(_("指标"), (34, 18, 18, 16, 12)[: len(headers)], title=heading, subtitle=subtitle)
    sheet.header(headers)
    if previous is not None:
        figures = compare(result["figures"], previous["figures"])
        rates = compare(result["rates"], previous["rates"], names=RATES)
    for name, label in FIGURES.items():
        kind = "money" if name in DECIMAL_FIGURES else "int"
        cells = [(str(label), "text"), (result["figures"][name], kind)]
        if previous is not None:
            entry = figures[name]
            cells += [(entry["previous"], kind), (entry["change"], kind), (entry["change_pct"], "text")]
        sheet.row(cells)
    for name, (_num, _den, label) in RATES.items():
        cells = [(f"{label}（%）", "text"), (result["rates"][name], "money")]
        if previous is not None:
            entry = rates[name]
            # A rate's change is in percentage points; a per cent of a per cent would mislead.
            cells += [(entry["previous"], "money"), (entry["change"], "money"), (None, "text")]
        sheet.row(cells)
    sheet.finish()

    if result.get("results") is not None:
        names = list(FIGURES)
        # Wide enough for the totals row (a number too wide for its cell shows as ###).
        # The stocks are None by month (pipeline.stats leaves them out of month groups).
        # Counts need fewer digits than money: narrower, so the sheet prints on fewer pages across.
        widths = (
            14,
            22,
            *[
                max(12, len(f"{result['figures'][name] or 0:,.2f}") + 2)
                if name in DECIMAL_FIGURES
                else max(8, len(f"{result['figures'][name] or 0:,}") + 2)
                for name in names
            ],
        )
        sheet = book.sheet(_("分组"), widths, title=heading, subtitle=subtitle, repeat_columns=2)
        sheet.header((_("代码"), _("名称"), *[str(FIGURES[name]) for name in names]))
        for entry in result["results"]:
            sheet.row(
                [
                    (entry["group"], "text"),
                    (entry["name"], "wrap"),
                    *[
                        (entry["figures"][name], "money" if name in DECIMAL_FIGURES else "int")
                        for name in names
                    ],
                ]
            )
        sheet.row(
            [
                (_("合计"), "text"),
                ("", "text"),
                *[(result["figures"][name], "money" if name in DECIMAL_FIGURES else "int") for name in names],
            ],
            variant="total",
        )
        sheet.finish()
    book.close()


def stats_xlsx_bytes(result: dict, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_stats_xlsx(result, buffer, **kwargs)
    return buffer.getvalue()
