"""pipeline.xlsx: the rows it streams read back as written — numbers, dates, blanks and text
(escapes included) — in a file Excel's readers accept, beside cells XlsxWriter wrote itself."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from pipeline.xlsx import DATE_FORMAT, MONEY_FORMAT, Book
from tests.test_export_formulas import shown

TEXTS = [
    "立琻半导体车规光电模组及硅基Micro LED项目",
    "a & b < c > d",
    "a_x000D_b",  # looks like an escape: must stay literal
    " leading and trailing ",
    "line\nbreak",
    "carriage\rreturn",
    "control\x01char",
    "=SUM(A1:A2)",
    "",
]


def written(rows, kinds, marks=None):
    stream = io.BytesIO()
    book = Book(stream)
    sheet = book.sheet("表", [10] * len(kinds), title="标题", subtitle="副标题")
    sheet.header([f"列{i}" for i in range(len(kinds))])
    sheet.stream(kinds, rows, marks=marks)
    sheet.row([("合计", "text"), (Decimal("1.10"), "money")], variant="total")
    sheet.finish()
    book.close()
    return load_workbook(io.BytesIO(stream.getvalue()))["表"]


def test_streamed_rows_read_back_as_written():
    rows = [
        [
            index,
            text,
            Decimal("1234567.89") if index % 2 else Decimal("0.10"),
            dt.date(2025, 2, index),
            index * 3,
        ]
        for index, text in enumerate(TEXTS, start=1)
    ]
    rows.append([len(rows) + 1, None, None, None, None])
    sheet = written(
        rows, ["index", "wrap!", "money", "date", "int"], marks=[i % 3 == 0 for i in range(len(rows))]
    )
    assert sheet["A1"].value == "标题" and sheet["A3"].value == "列0"
    for line, row in enumerate(rows, start=4):
        index, name, amount, day, count = (sheet.cell(line, col) for col in range(1, 6))
        assert index.value == row[0]
        assert (shown(name.value) if name.value is not None else None) == (row[1] or None)
        if name.value is not None:
            assert name.data_type == "s"
        assert (Decimal(str(amount.value)) if amount.value is not None else None) == row[2]
        assert amount.number_format == MONEY_FORMAT
        assert (day.value.date() if day.value else None) == row[3]
        assert day.number_format == DATE_FORMAT
        assert count.value == row[4]
        rgb = getattr(name.font.color, "rgb", None)
        red = isinstance(rgb, str) and rgb.endswith("C00000")
        assert red == ((line - 4) % 3 == 0)
        assert name.alignment.wrap_text
        assert all(sheet.cell(line, col).border.left.style == "thin" for col in range(1, 6))
    total = len(rows) + 4
    assert sheet.cell(total, 1).value == "合计" and sheet.cell(total, 2).value == 1.1
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"  # the column headings; the title is the page header
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9


def test_a_wide_sheet_prints_at_80_per_cent_over_pages_with_its_first_columns_repeated():
    from pipeline.exports import ledger_sheet_columns
    from pipeline.xlsx import MIN_SCALE, PRINTABLE_PX, _column_px

    columns = ledger_sheet_columns("started")
    widths = [width for *_rest, width in columns]
    stream = io.BytesIO()
    book = Book(stream)
    wide = book.sheet("宽", widths, title="标题", subtitle="副标题", repeat_columns=3)
    wide.header([str(header) for header, *_rest in columns])
    wide.finish()
    narrow = book.sheet("窄", (18, 14, 18, 12), title="标题", subtitle="副标题")
    narrow.finish()
    book.close()
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    sheet = workbook["宽"]
    assert sheet.page_setup.scale == 80 and not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_cols == "$A:$C"
    breaks = [brk.id for brk in sheet.col_breaks.brk]
    assert breaks
    # Every page across holds the repeated columns and its own, within the paper at 80 %.
    edges = [3, *breaks, len(widths)]
    for start, end in zip(edges, edges[1:], strict=False):
        page = sum(_column_px(w) for w in widths[:3]) + sum(_column_px(w) for w in widths[start:end])
        assert page * MIN_SCALE <= PRINTABLE_PX
    assert workbook["窄"].sheet_properties.pageSetUpPr.fitToPage
    assert workbook["窄"].page_setup.fitToWidth in (1, None)


def test_rows_grow_to_fit_wrapped_text():
    long_name = "立琻半导体车规光电模组及硅基Micro LED显示器件研发及产业化项目"
    sheet = written(
        [[1, long_name, None, None, None], [2, "短名", None, None, None]],
        ["index", "wrap", "money", "date", "int"],
    )
    assert sheet.row_dimensions[4].height > 3 * 13
    assert sheet.row_dimensions[5].height is None
