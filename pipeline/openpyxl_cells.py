"""openpyxl write-only cells with shared styles, for the workbooks still written with openpyxl
(the import's error report, imports/report_xlsx.py). The product's large workbooks — the
ledger, the statistics, the project list — are written by pipeline/xlsx.py (XlsxWriter)."""

from copy import copy
from decimal import Decimal

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

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


class _StyledCell(Cell):
    """A write-only cell with a cheap repr: WriteOnlyWorksheet.append first tries each item
    as a value and formats the refusal, the item's repr included, before taking it as a cell;
    for a ledger's formatted cells (5–8 a row) that is about 5 % of the writing."""

    __slots__ = ()

    def __init__(self, worksheet):
        super().__init__(worksheet, row=1, column=1)

    def __repr__(self):
        return "<Cell>"
