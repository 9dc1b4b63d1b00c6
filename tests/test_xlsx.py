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
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
