"""openpyxl write-only cells styled through public NamedStyles, for the workbooks still written with openpyxl
(the import's error report, imports/report_xlsx.py). The product's large workbooks — the
ledger, the statistics, the project list — are written by pipeline/xlsx.py (XlsxWriter)."""

import hashlib
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMATS = {"money": MONEY_FORMAT, "date": DATE_FORMAT}

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


# A style part (Font, PatternFill, Alignment) → a short name from its content, so a NamedStyle
# is named after its parts and each combination is registered once per workbook. The part is
# kept beside its name: its id() cannot then be reused by another object.
_PART_NAMES: dict[int, tuple[object, str]] = {}


def _part_name(part) -> str:
    if part is None:
        return "-"
    known = _PART_NAMES.get(id(part))
    if known is None:
        known = _PART_NAMES[id(part)] = (part, hashlib.sha1(repr(part).encode()).hexdigest()[:8])
    return known[1]


def named_style(wb, *, kind="text", font=None, fill=None, alignment=None, border=True) -> str:
    """The name of the workbook's NamedStyle for these parts (number format for money/date,
    font, fill, alignment, border), registered on first use."""
    parts = (_part_name(font), _part_name(fill), _part_name(alignment))
    name = f"{kind} {' '.join(parts)} {'ruled' if border else 'plain'}"
    if name not in wb.named_styles:
        style = NamedStyle(name=name, number_format=NUMBER_FORMATS.get(kind, "General"))
        if font is not None:
            style.font = font
        if fill is not None:
            style.fill = fill
        if alignment is not None:
            style.alignment = alignment
        if border:
            style.border = BORDER
        wb.add_named_style(style)
    return name


def text_value(ws, value):
    """`value` as is, but a str openpyxl would not write as text ("=..." a live formula, "#N/A"
    an error) as a string cell; styled_cell forces text for every str."""
    if isinstance(value, str) and value.startswith(("=", "#")):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def styled_cell(ws, value, *, kind="text", font=None, fill=None, alignment=None, border=True):
    """A write-only cell with the workbook's NamedStyle for its parts (named_style)."""
    if kind == "money" and value is not None:
        value = Decimal(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.style = named_style(ws.parent, kind=kind, font=font, fill=fill, alignment=alignment, border=border)
    return cell
