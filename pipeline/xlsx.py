"""Workbooks in the bureau's layout, written with XlsxWriter in constant-memory mode: each row
goes to a temporary file as it is written, so a 20,000-row export keeps a flat memory, and a
cell costs a few microseconds (openpyxl's write-only mode cost two to three times as much:
docs/benchmarks.md, "Excel writer").

    Book(stream) — a workbook on `stream` (a path or a binary file object); close() writes it.
        book.sheet(name, widths, title=, subtitle=, repeat_columns=0) -> Sheet
    Sheet.cell(row, col, value, kind) and Sheet.row(values_and_kinds): write by kind
        text | wrap | money | date | int | index | flag, with `mark` (red, the overdue rows) or
        `total` (bold on grey) variants.

Rules every workbook of the product follows here:
- a str is always written as a string cell (write_string), never as a formula, number or
  link, whatever it begins with ("=", "+", "-", "@", "#", "http…"): user text stays text;
- money is a real number cell (万元, #,##0.00), a date a real date cell (yyyy-mm-dd);
- A4 landscape, the title rows and the header repeated on every printed page, text columns
  wrapped with row heights that fit them; a sheet prints one page across when that keeps its
  10 pt type at 8 pt or more, else at 80 % over pages across with its first columns (序号,
  编号, 名称) repeated on each: never smaller than 8 pt, never a column cut (_print_layout).
"""

import datetime as dt
import re
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
FONT_SIZE = 10
BORDER_COLOR = "#9AA5B1"
HEADER_COLOR = "#1F4E79"
TOTAL_COLOR = "#E8EEF5"
MARK_COLOR = "#C00000"

BASE = {"font_size": FONT_SIZE, "valign": "top"}
CELL = {**BASE, "border": 1, "border_color": BORDER_COLOR}
KINDS = {
    "text": CELL,
    "wrap": {**CELL, "text_wrap": True},
    "money": {**CELL, "num_format": MONEY_FORMAT},
    "date": {**CELL, "num_format": DATE_FORMAT, "align": "left"},
    "int": CELL,
    "index": {**CELL, "align": "center"},
    "flag": {**CELL, "align": "center"},
    "header": {
        **CELL,
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": HEADER_COLOR,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
    },
    # Left-aligned: a title centred over a sheet printed two pages across would fall on the fold.
    "title": {"font_name": "SimHei", "font_size": 16, "bold": True, "align": "left", "valign": "vcenter"},
    "subtitle": {**BASE, "align": "left"},
    "plain": BASE,
    "bold": {**BASE, "bold": True},
}
MARK = {"font_color": MARK_COLOR, "bold": True}
TOTAL = {"bold": True, "bg_color": TOTAL_COLOR}


class Book:
    """One workbook. Formats are made once per kind and variant and shared by every cell."""

    def __init__(self, stream):
        self.workbook = xlsxwriter.Workbook(
            stream,
            {
                "constant_memory": True,
                # User text is text: never a formula, a number or a link (module doc).
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._formats = {}

    def format(self, kind: str, variant: str = ""):
        key = (kind, variant)
        found = self._formats.get(key)
        if found is None:
            properties = dict(KINDS[kind])
            if variant == "mark":
                properties.update(MARK)
            elif variant == "total":
                properties.update(TOTAL)
            found = self._formats[key] = self.workbook.add_format(properties)
        return found

    def sheet(self, name, widths, *, title, subtitle="", repeat_columns: int = 0):
        return Sheet(self, name, widths, title=title, subtitle=subtitle, repeat_columns=repeat_columns)

    def close(self) -> None:
        self.workbook.close()


class Sheet:
    """A sheet with its title (row 1) and subtitle (row 2) merged across, the header at row 3
    frozen and repeated on every printed page (title=None: a plain list, the header on row 1);
    rows are appended in order."""

    def __init__(self, book: Book, name, widths, *, title, subtitle, repeat_columns):
        self.book = book
        self.ws = ws = book.workbook.add_worksheet(str(name)[:31])
        self.columns = len(widths)
        for index, width in enumerate(widths):
            ws.set_column(index, index, width)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.3, right=0.3, top=0.75, bottom=0.6)
        self.widths = list(widths)
        _print_layout(ws, self.widths, repeat_columns)
        ws.set_footer("&C&9&P / &N")
        # Across then down: the pages of one band of rows follow each other (a wide sheet's
        # second page across is the same projects' remaining columns).
        ws.print_across()
        last = self.columns - 1
        if title is None:  # a plain list: the header on row 1
            self.next_row = 0
        else:
            ws.set_row(0, 30)
            if last:
                ws.merge_range(0, 0, 0, last, str(title), book.format("title"))
                ws.merge_range(1, 0, 1, last, str(subtitle), book.format("subtitle"))
            else:
                ws.write_string(0, 0, str(title), book.format("title"))
                ws.write_string(1, 0, str(subtitle), book.format("subtitle"))
            # On paper the title and subtitle are the page header of every page (a merged
            # title row would be cut on pages further across); the print area starts at the
            # column headings, repeated on every page.
            ws.set_header(
                f'&L&"SimHei,Bold"&13{_header_text(title)}&R&9{_header_text(subtitle)}', {"margin": 0.3}
            )
            self.next_row = 2
        self.header_row = self.next_row
        ws.repeat_rows(self.header_row)
        ws.freeze_panes(self.next_row + 1, repeat_columns if title is None else 0)

    def header(self, labels) -> None:
        fmt = self.book.format("header")
        lines = max(
            (_lines(str(label), width - 1) for label, width in zip(labels, self.widths, strict=False)),
            default=1,
        )
        self.ws.set_row(self.next_row, lines * LINE_HEIGHT + 4)
        for col, label in enumerate(labels):
            self.ws.write_string(self.next_row, col, str(label), fmt)
        self.next_row += 1

    def cell(self, row: int, col: int, value, kind: str = "text", variant: str = "") -> None:
        write(self.ws, row, col, value, self.book.format(kind, variant))

    def row(self, cells, variant: str = "") -> None:
        """Append one row: `cells` are (value, kind) pairs, None for an empty cell."""
        row = self.next_row
        lines = max(
            (
                _lines(entry[0], self.widths[col])
                for col, entry in enumerate(cells)
                if entry is not None and entry[1] == "wrap"
            ),
            default=1,
        )
        if lines > 1:
            self.ws.set_row(row, lines * LINE_HEIGHT + 2)
        for col, entry in enumerate(cells):
            if entry is None:
                continue
            value, kind = entry
            self.cell(row, col, value, kind, variant)
        self.next_row += 1

    def stream(self, kinds, rows, marks=None) -> None:
        """Append data rows, the hot loop of every large download: `rows` yields lists of values
        (None: an empty ruled cell), one per column, of the column's kind in `kinds` (text,
        wrap, money, date, int, index, flag); `marks` yields for each row whether its marked
        columns (`kinds` entries ending in "!") are red.

        The rows are serialised here, straight into XlsxWriter's constant-memory row file,
        instead of one write_*() call per cell (a generic path that costs ~5 µs a cell: more
        than the query, docs/benchmarks.md). Same XML as XlsxWriter writes: numbers and dates
        as <v> numbers in their number format, text as inline strings with the ST_Xstring
        escapes. XlsxWriter is pinned (requirements.txt); tests read every cell back."""
        ws, book = self.ws, self.book
        first = self.next_row
        ws._write_single_row(first)  # flush the row XlsxWriter holds (the header)
        plan = []
        for col, kind in enumerate(kinds):
            marked = kind.endswith("!")
            kind = kind.rstrip("!")
            style = book.format(kind)._get_xf_index()
            mark = book.format(kind, "mark")._get_xf_index() if marked else style
            plan.append((xl_col_to_name(col), kind, style, mark))
        wrapped = [
            (col, self.widths[col]) for col, (_letter, kind, _s, _m) in enumerate(plan) if kind == "wrap"
        ]
        out = []
        line = first
        marks = iter(marks) if marks is not None else None
        write = ws.fh.write
        for values in rows:
            number = line + 1
            red = next(marks) if marks is not None else False
            lines = 1
            for col, width in wrapped:
                text = values[col]
                # Most texts fit one line: only a long one is measured.
                if text.__class__ is str and len(text) * 1.5 > width - 1:
                    lines = max(lines, _lines(text, width))
            if lines > 1:
                cells = [f'<row r="{number}" ht="{lines * LINE_HEIGHT + 2:g}" customHeight="1">']
            else:
                cells = [f'<row r="{number}">']
            append = cells.append
            for (letter, kind, style, mark), value in zip(plan, values, strict=True):
                s = mark if red else style
                # (`value == ""` on a Decimal is slow: Decimal compares through numbers.Rational.)
                if value is None or (value.__class__ is str and not value):
                    append(f'<c r="{letter}{number}" s="{s}"/>')
                elif kind == "money":
                    append(f'<c r="{letter}{number}" s="{s}"><v>{_number(value)}</v></c>')
                elif kind == "date":
                    append(f'<c r="{letter}{number}" s="{s}"><v>{value.toordinal() - EXCEL_EPOCH}</v></c>')
                elif kind in ("int", "index"):
                    append(f'<c r="{letter}{number}" s="{s}"><v>{int(value)}</v></c>')
                else:
                    append(f'<c r="{letter}{number}" s="{s}" t="inlineStr">{_inline(str(value))}</c>')
            append("</row>")
            out.append("".join(cells))
            if len(out) >= 500:
                write("".join(out))
                out.clear()
            line += 1
        write("".join(out))
        if line > first:
            ws._check_dimensions(line - 1, len(plan) - 1)
            ws.previous_row = line - 1
        self.next_row = line

    def blank(self) -> None:
        self.next_row += 1

    def finish(self) -> None:
        """The print area: the column headings down to the last written row, every column."""
        self.ws.print_area(self.header_row, 0, max(self.next_row - 1, self.header_row), self.columns - 1)


EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
LINE_HEIGHT = 13.5  # points, a line of 10 pt text
# Printing: A4 landscape less the margins, in pixels at 100 % (Excel's column width w is 7w+5
# pixels for the default font); no sheet prints below MIN_SCALE, so 10 pt stays ≥ 8 pt.
PRINTABLE_PX = (11.69 - 0.6) * 96 * 0.97
MIN_SCALE = 0.8


# Pixels a unit of column width takes on paper. Excel's is 7 (Calibri's digit); LibreOffice
# without Calibri or Carlito (a Debian server's soffice: DejaVu Sans) draws 9.3 — measured on
# its PDF, where breaks reckoned at 7 left each page's last columns to a break of its own, a
# fourth page across. Reckoned at the wider, a page never holds more than fits in either.
COLUMN_UNIT_PX = 9.4


def _column_px(width) -> float:
    return width * COLUMN_UNIT_PX + 5


def _print_layout(ws, widths, repeat_columns: int) -> None:
    """What a sheet prints: one page across when it fits at MIN_SCALE or more (fit to width);
    otherwise MIN_SCALE with the columns broken into pages across, the first
    `repeat_columns` columns repeated on each, never a column cut."""
    total = sum(_column_px(width) for width in widths)
    if total * MIN_SCALE <= PRINTABLE_PX or not repeat_columns:
        ws.fit_to_pages(1, 0)
        return
    ws.set_print_scale(int(MIN_SCALE * 100))
    ws.repeat_columns(0, repeat_columns - 1)
    room = PRINTABLE_PX / MIN_SCALE - sum(_column_px(width) for width in widths[:repeat_columns])
    breaks, used = [], 0.0
    for col in range(repeat_columns, len(widths)):
        px = _column_px(widths[col])
        if used and used + px > room:
            breaks.append(col)
            used = 0.0
        used += px
    ws.set_v_pagebreaks(breaks)


def _header_text(text) -> str:
    """Text for a page header: "&" is a header code there, doubled to print as itself."""
    return str(text).replace("&", "&&")[:100]


def _lines(value, width) -> int:
    """Lines a wrapped text needs in a column `width` wide: a CJK character takes about one and
    a half width units at 10 pt (1.5: measured on LibreOffice's print, where 1.75 left every
    other row a blank line taller), a Latin one about one (counted from the UTF-8 length)."""
    if not value or not isinstance(value, str):
        return 1
    room = max(width - 1, 1)
    total = 0
    for part in value.split("\n"):
        units = len(part) + (len(part.encode("utf-8")) - len(part)) * 0.25
        total += max(1, -int(-units // room))
    return total


_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9A-Fa-f]{4}_|^\s|\s$")
_LITERAL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return f"{value:.16G}"


def _inline(text: str) -> str:
    """An inline string element: XML-escaped, a literal "_xHHHH_" kept literal (_x005F_), a
    control character or carriage return as _xHHHH_ (ECMA-376 ST_Xstring), surrounding
    blanks preserved."""
    if _SPECIAL.search(text) is None:
        return f"<is><t>{text}</t></is>"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _LITERAL_ESCAPE.sub(r"_x005F_x\1_", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    if text != text.strip():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def write(ws, row: int, col: int, value, fmt) -> None:
    """One cell by the type of `value`: str as a string, Decimal/int/float as a number, a
    date as a date, None or "" as an empty bordered cell."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, Decimal | int | float):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)
