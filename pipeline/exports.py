"""Excel files in the bureau's usual 台账 layout (XlsxWriter in constant-memory mode, through
pipeline.xlsx: rows stream to the file, text is always text, money and dates real cells).

Entry points:

    write_ledger_xlsx(data, stream, *, area="", prepared_by="", prepared_on=None) -> None
        `data` is what pipeline.ledger.ledger() (or a published version) returns. A summary
        sheet (汇总) and one sheet per ledger column (在谈 / 拟签约 / 拟开工 / 拟投产 /
        投产未达产): title row naming the area and month, the preparing unit and date, a frozen
        header, 万元 with two decimals, a totals row. The sheets' columns: ledger_sheet_columns().
        Printed: A4 landscape, two pages across with 序号/项目编号/项目名称 and the header
        repeated, text columns wrapped, 10 pt (never shrunk below 8 pt).
    write_stats_xlsx(result, stream, *, area="", prepared_by="", prepared_on=None,
                     previous=None) -> None
        `result` from pipeline.stats.statistics(); `previous` the same period a year before.
    ledger_xlsx_bytes(...) / stats_xlsx_bytes(...): the same, returned as bytes.

`stream` is a path or a binary file object.
"""

import datetime as dt
import io
from collections.abc import Callable

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


def ledger_sheet_columns(stage: str) -> tuple:
    """(header, row key, kind, width) of each column on the sheet of the ledger section
    `stage`: the index, then one column per field of the section's LEDGER_TABLE columns."""
    return (
        (gettext_lazy("序号"), None, "index", 6),
        *(
            (LEDGER_FIELD_LABELS[field], field, column.kind, LEDGER_WIDTHS[field])
            for column in ledger_table(stage)
            for field in column.fields
        ),
    )


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


def _write_ledger_rows(sheet, columns, rows) -> None:
    """The data rows of a column sheet (pipeline.xlsx streams them); on an overdue row the
    project's name and its 是否逾期 flag are red."""
    kinds = []
    for _header, key, kind, _width in columns:
        kind = _cell_kind(key, kind)
        kinds.append(f"{kind}!" if key == "name" or kind == "flag" else kind)
    row_values = _ledger_row_writer(sheet, columns)
    sheet.stream(
        kinds,
        (row_values(index, row) for index, row in enumerate(rows, start=1)),
        marks=(bool(row.get("is_overdue")) for row in rows),
    )


def write_ledger_xlsx(data: dict, stream, *, area: str = "", prepared_by: str = "", prepared_on=None) -> None:
    """The ledger as a workbook: 汇总 plus one sheet per column section (see module doc)."""
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
    sheet.finish()

    for section in sections:
        columns = ledger_sheet_columns(section["stage"])
        sheet = book.sheet(
            section["label"],
            [width for *_rest, width in columns],
            title=f"{heading}　{section['label']}",
            subtitle=subtitle,
            repeat_columns=REPEATED_COLUMNS,
        )
        sheet.header([header for header, *_rest in columns])
        _write_ledger_rows(sheet, columns, section["rows"])
        total_row = []
        for position, (_header, key, _kind, _width) in enumerate(columns):
            if position == 0:
                total_row.append((_("合计"), "text"))
            elif key == "code":
                total_row.append((_("%(count)s个") % {"count": section["count"]}, "text"))
            elif key in LEDGER_TOTAL_FIELDS:  # summed in the database (pipeline.ledger)
                total_row.append((section["totals"][key], "money"))
            else:
                total_row.append(("", "text"))
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
        widths = (14, 22, *[max(12, len(f"{result['figures'][name] or 0:,.2f}") + 2) for name in names])
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
