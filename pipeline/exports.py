"""Excel files in the bureau's usual 台账 layout (openpyxl, write-only: rows stream to the file,
so a 100,000-row ledger does not sit in memory as cells).

Entry points:

    write_ledger_xlsx(data, stream, *, area="", prepared_by="", prepared_on=None) -> None
        `data` is what pipeline.ledger.ledger() (or a published version) returns. A summary
        sheet (汇总) and one sheet per ledger column (在谈 / 拟签约 / 拟开工 / 拟投产 /
        投产未达产): title row naming the area and month, the preparing unit and date, a frozen
        header, 万元 with two decimals, a totals row. The sheets' columns: ledger_sheet_columns().
    write_stats_xlsx(result, stream, *, area="", prepared_by="", prepared_on=None,
                     previous=None) -> None
        `result` from pipeline.stats.statistics(); `previous` the same period a year before.
    ledger_xlsx_bytes(...) / stats_xlsx_bytes(...): the same, returned as bytes.

`stream` is a path or a binary file object.
"""

import datetime as dt
import io
from collections.abc import Callable
from copy import copy
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.dates import local_today
from pipeline.ledger import ledger_sections
from projects.lifecycle import LEDGER_FIELD_LABELS, LEDGER_TOTAL_FIELDS, Stage, ledger_table

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

_thin = Side(style="thin", color="9AA5B1")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
TITLE_FONT = Font(name="SimHei", size=16, bold=True)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOTAL_FILL = PatternFill("solid", fgColor="E8EEF5")
BOLD = Font(bold=True)
OVERDUE_FONT = Font(color="C00000", bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left")
WRAP = Alignment(vertical="top", wrap_text=True)


# Column widths by ledger row field. Which columns each sheet has, and in what order, is
# projects.lifecycle.LEDGER_TABLE, which the ledger page renders too.
LEDGER_WIDTHS = {
    "code": 15,
    "name": 30,
    "investor_name": 24,
    "industry_name": 14,
    "unit_name": 16,
    "park_name": 14,
    "total_investment": 15,
    "contract_investment": 15,
    "signed_on": 12,
    "started_on": 12,
    "planned_production_date": 12,
    "stage_since": 13,
    "months_in_stage": 9,
    "is_overdue": 8,
    "month_funds_in_place": 14,
    "month_investment_completed": 14,
    "funds_in_place_total": 14,
    "progress": 36,
    "problems": 28,
    "lead_official": 12,
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


class _Styles:
    """Cell styles registered once per workbook and copied onto each cell: assigning a Font
    or Border to every cell re-hashes it, which costs more than writing the file."""

    def __init__(self):
        self._prototypes = {}

    def apply(self, cell, key: tuple, font, fill, alignment) -> None:
        prototype = self._prototypes.get(key)
        if prototype is None:
            kind, _font, _fill, _alignment, border = key
            if kind == "money":
                cell.number_format = MONEY_FORMAT
            elif kind == "date":
                cell.number_format = DATE_FORMAT
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if alignment is not None:
                cell.alignment = alignment
            if border:
                cell.border = BORDER
            self._prototypes[key] = copy(cell._style)
        else:
            # Shared, not copied: nothing changes a written cell's style afterwards.
            cell._style = prototype


def text_value(ws, value):
    """`value` as is, but a str openpyxl would not write as text ("=..." a live formula, "#N/A"
    an error) as a string cell; styled_cell and the ledger's cells force text for every str."""
    if isinstance(value, str) and value.startswith(("=", "#")):
        cell = _StyledCell(ws)
        cell.value, cell.data_type = value, "s"
        return cell
    return value


def styled_cell(ws, value, *, kind="text", font=None, fill=None, alignment=None, border=True):
    """A write-only cell whose style (number format for money/date, font, fill, alignment,
    border) is registered once per workbook and shared; every workbook of the product uses it."""
    if kind == "money" and value is not None:
        value = Decimal(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    styles = ws.parent.__dict__.setdefault("_ledger_styles", _Styles())
    # Keyed by identity: every style object passed here is a module constant.
    styles.apply(cell, (kind, id(font), id(fill), id(alignment), border), font, fill, alignment)
    return cell


def _setup_sheet(ws, widths, *, title: str, subtitle: str) -> None:
    """Column widths, A4 landscape, title rows (merged across) and a frozen header at row 3."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    ws.freeze_panes = "A4"
    last = get_column_letter(len(widths))
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.append([styled_cell(ws, title, font=TITLE_FONT, alignment=CENTER, border=False)])
    ws.append([styled_cell(ws, subtitle, alignment=LEFT, border=False)])


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return _("%(year)s年%(month)s月") % {"year": year, "month": int(number)}


def _subtitle(prepared_by: str, prepared_on: dt.date | None) -> str:
    return _("编制单位：%(unit)s　　编制日期：%(date)s　　金额单位：万元") % {
        "unit": prepared_by or _("区招商投资局"),
        "date": (prepared_on or local_today()).isoformat(),
    }


class _StyledCell(Cell):
    """A write-only cell with a cheap repr: WriteOnlyWorksheet.append first tries each item
    as a value and formats the refusal, the item's repr included, before taking it as a cell;
    for a ledger's formatted cells (5–8 a row) that is about 5 % of the writing."""

    __slots__ = ()

    def __init__(self, worksheet):
        super().__init__(worksheet, row=1, column=1)

    def __repr__(self):
        return "<Cell>"


def _ledger_row_writer(ws, columns) -> Callable[[int, dict], list]:
    """A function (index, row) -> the cells of one data row of the sheet, for `columns`.

    Only cells that need a number format or a mark carry a style, shared from one prototype
    per kind; plain values stream several times faster, and the grid comes from one border
    rule per sheet (see _grid). The per-column decisions are taken once per sheet, not per cell."""
    yes, no = _("是"), _("否")
    styles = {kind: styled_cell(ws, None, kind=kind, border=False)._style for kind in ("money", "date")}
    red = styled_cell(ws, None, font=OVERDUE_FONT, border=False)._style
    plan = [(key, kind, styles.get(kind)) for _header, key, kind, _width in columns]

    def styled(value, style):
        # Style first: a date then finds its number format and registers no other.
        cell = _StyledCell(ws)
        cell._style = style
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        return cell

    def write(index: int, row: dict) -> list:
        overdue = row.get("is_overdue")
        cells = []
        append = cells.append
        for key, kind, style in plan:
            if kind == "index":
                append(index)
                continue
            value = row.get(key)
            if style is not None:  # money or date
                if value is None or value == "":
                    append(None)
                else:
                    append(styled(Decimal(value) if kind == "money" else value, style))
            elif kind == "flag":
                flag = yes if value else no
                append(styled(flag, red) if overdue else flag)
            elif key == "name" and overdue:
                append(styled(value, red))
            else:
                append(text_value(ws, value) if value != "" else None)
        return cells

    return write


def _grid(ws, first_row: int, last_row: int, columns: int) -> None:
    """Thin borders over the data block, as one conditional-format rule instead of a style
    on each of its cells."""
    if last_row < first_row:
        return
    area = f"A{first_row}:{get_column_letter(columns)}{last_row}"
    ws.conditional_formatting.add(area, FormulaRule(formula=["TRUE"], border=BORDER, stopIfTrue=False))


def write_ledger_xlsx(data: dict, stream, *, area: str = "", prepared_by: str = "", prepared_on=None) -> None:
    """The ledger as a workbook: 汇总 plus one sheet per column section (see module doc)."""
    wb = Workbook(write_only=True)
    month = data["month"]
    subtitle = _subtitle(prepared_by, prepared_on)
    heading = _("%(area)s招商引资项目月度台账（%(month)s）") % {
        "area": area,
        "month": _month_label(month),
    }
    if data.get("published"):
        heading += _("（已发布第%(version)s版）") % {"version": data["published"]["version"]}
    sections = ledger_sections(data)

    ws = wb.create_sheet(_("汇总"))
    widths = (18, 12, 18, 12)
    _setup_sheet(ws, widths, title=heading, subtitle=subtitle)
    ws.append(
        [
            styled_cell(ws, text, font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER)
            for text in (_("台账栏目"), _("项目数（个）"), _("总投资（万元）"), _("逾期（个）"))
        ]
    )
    for section in sections:
        ws.append(
            [
                styled_cell(ws, section["label"]),
                styled_cell(ws, section["count"], kind="int"),
                styled_cell(ws, section["total_investment"], kind="money"),
                styled_cell(ws, section["overdue"], kind="int"),
            ]
        )
    totals = data["totals"]
    ws.append(
        [
            styled_cell(ws, _("合计"), font=BOLD, fill=TOTAL_FILL),
            styled_cell(ws, totals["count"], kind="int", font=BOLD, fill=TOTAL_FILL),
            styled_cell(ws, totals["total_investment"], kind="money", font=BOLD, fill=TOTAL_FILL),
            styled_cell(ws, totals["overdue"], kind="int", font=BOLD, fill=TOTAL_FILL),
        ]
    )
    ws.append([])
    ws.append([styled_cell(ws, _("本月变动"), font=BOLD, border=False)])
    movements = data["movements"]
    for label, key in (
        (_("新增在谈"), "new"),
        (_("阶段推进"), "advanced"),
        (_("达产"), "reached_capacity"),
        (_("终止"), "terminated"),
    ):
        ws.append([styled_cell(ws, label), styled_cell(ws, movements[key], kind="int")])
    for stage in (Stage.APPROVED, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING):
        ws.append(
            [
                styled_cell(ws, _("其中：%(stage)s") % {"stage": Stage(stage).label}),
                styled_cell(ws, movements["by_stage"].get(stage, 0), kind="int"),
            ]
        )

    for section in sections:
        columns = ledger_sheet_columns(section["stage"])
        ws = wb.create_sheet(str(section["label"]))
        _setup_sheet(
            ws,
            [width for *_rest, width in columns],
            title=f"{heading}　{section['label']}",
            subtitle=subtitle,
        )
        ws.append(
            [
                styled_cell(ws, str(header), font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER)
                for header, *_rest in columns
            ]
        )
        write_row = _ledger_row_writer(ws, columns)
        for index, row in enumerate(section["rows"], start=1):
            ws.append(write_row(index, row))
        _grid(ws, 4, 3 + len(section["rows"]), len(columns))
        total_row = []
        bold = {"font": BOLD, "fill": TOTAL_FILL}
        for position, (_header, key, _kind, _width) in enumerate(columns):
            if position == 0:
                total_row.append(styled_cell(ws, _("合计"), **bold))
            elif key == "code":
                total_row.append(styled_cell(ws, _("%(count)s个") % {"count": len(section["rows"])}, **bold))
            elif key in LEDGER_TOTAL_FIELDS:  # summed in the database (pipeline.ledger)
                total_row.append(styled_cell(ws, section["totals"][key], kind="money", **bold))
            else:
                total_row.append(styled_cell(ws, None, **bold))
        ws.append(total_row)
    wb.save(stream)


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

    wb = Workbook(write_only=True)
    period = f"{result['from']:%Y-%m-%d} — {result['to']:%Y-%m-%d}"
    heading = _("%(area)s招商引资统计（%(period)s）") % {"area": area, "period": period}
    subtitle = _subtitle(prepared_by, prepared_on)

    ws = wb.create_sheet(_("指标"))
    _setup_sheet(ws, (34, 18, 18, 16, 12), title=heading, subtitle=subtitle)
    headers = [_("指标"), _("本期")]
    if previous is not None:
        headers += [_("上年同期"), _("增减"), _("增减（%）")]
    ws.append(
        [styled_cell(ws, text, font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER) for text in headers]
    )
    if previous is not None:
        figures = compare(result["figures"], previous["figures"])
        rates = compare(result["rates"], previous["rates"], names=RATES)
    for name, label in FIGURES.items():
        kind = "money" if name in DECIMAL_FIGURES else "int"
        cells = [styled_cell(ws, str(label)), styled_cell(ws, result["figures"][name], kind=kind)]
        if previous is not None:
            entry = figures[name]
            cells += [
                styled_cell(ws, entry["previous"], kind=kind),
                styled_cell(ws, entry["change"], kind=kind),
                styled_cell(ws, entry["change_pct"]),
            ]
        ws.append(cells)
    for name, (_num, _den, label) in RATES.items():
        cells = [styled_cell(ws, f"{label}（%）"), styled_cell(ws, result["rates"][name], kind="money")]
        if previous is not None:
            entry = rates[name]
            # A rate's change is in percentage points; a per cent of a per cent would mislead.
            cells += [
                styled_cell(ws, entry["previous"], kind="money"),
                styled_cell(ws, entry["change"], kind="money"),
                styled_cell(ws, None),
            ]
        ws.append(cells)

    if result.get("results") is not None:
        ws = wb.create_sheet(_("分组"))
        names = list(FIGURES)
        widths = (14, 22, *[14] * len(names))
        _setup_sheet(ws, widths, title=heading, subtitle=subtitle)
        ws.append(
            [
                styled_cell(ws, text, font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER)
                for text in (_("代码"), _("名称"), *[str(FIGURES[name]) for name in names])
            ]
        )
        for entry in result["results"]:
            ws.append(
                [
                    styled_cell(ws, entry["group"]),
                    styled_cell(ws, entry["name"]),
                    *[
                        styled_cell(
                            ws, entry["figures"][name], kind="money" if name in DECIMAL_FIGURES else "int"
                        )
                        for name in names
                    ],
                ]
            )
        bold = {"font": BOLD, "fill": TOTAL_FILL}
        ws.append(
            [
                styled_cell(ws, _("合计"), **bold),
                styled_cell(ws, "", **bold),
                *[
                    styled_cell(
                        ws,
                        result["figures"][name],
                        kind="money" if name in DECIMAL_FIGURES else "int",
                        **bold,
                    )
                    for name in names
                ],
            ]
        )
    wb.save(stream)


def stats_xlsx_bytes(result: dict, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_stats_xlsx(result, buffer, **kwargs)
    return buffer.getvalue()
