"""Reading a workbook into plain rows: each sheet's cell values and its merged ranges.

python-calamine (Rust) reads .xlsx several times faster than openpyxl and gives the merged
ranges too (benchmarks/imports.py measures both); openpyxl in read-only mode is kept as the
fallback for a file calamine refuses. Values come out as str, float, int, bool, date or datetime;
empty cells as None."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from imports.values import CellError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass
class Sheet:
    name: str
    rows: list[list]  # rows[i][j] is the cell at Excel row first_row + i, column first_col + j
    first_row: int = 1
    first_col: int = 1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 1-based

    def excel_row(self, index: int) -> int:
        return self.first_row + index


def _cell(value):
    if value == "":
        return None
    return value


def _calamine(data: bytes) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for index, name in enumerate(workbook.sheet_names):
        sheet = workbook.get_sheet_by_index(index)
        start, end = sheet.start or (0, 0), sheet.end or (0, 0)
        rows = [[_cell(value) for value in row] for row in sheet.iter_rows()]
        # Rows may come from the first row or from the used range's; columns likewise.
        first_row = 1 if len(rows) == end[0] + 1 else start[0] + 1
        width = max((len(row) for row in rows), default=0)
        first_col = 1 if width == end[1] + 1 else start[1] + 1
        merged = [
            (top + 1, left + 1, bottom + 1, right + 1)
            for (top, left), (bottom, right) in (sheet.merged_cell_ranges or [])
        ]
        sheets.append(Sheet(name, rows, first_row=first_row, first_col=first_col, merged=merged))
    return sheets


def _openpyxl(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
            # Read-only worksheets do not give merged ranges: a two-row header is read
            # from its cells alone (a merged cell's value sits in its first cell).
            sheets.append(Sheet(worksheet.title, rows))
        return sheets
    finally:
        workbook.close()


READERS = {"calamine": _calamine, "openpyxl": _openpyxl}


def read_workbook(data: bytes, *, reader: str = "calamine") -> list[Sheet]:
    """The workbook's sheets, or CellError(`invalid_file`) for what is not a readable workbook."""
    if len(data) > MAX_FILE_BYTES:
        raise CellError("file_too_large", _("文件超过 %(mb)d MB。") % {"mb": MAX_FILE_BYTES // 1024 // 1024})
    order = [reader, *(name for name in READERS if name != reader)]
    failure = None
    for name in order:
        try:
            sheets = READERS[name](data)
            break
        except Exception as error:  # noqa: BLE001 - a damaged or foreign file, told as such
            failure = error
    else:
        raise CellError(
            "invalid_file",
            _("无法读取该文件，请上传 Excel 工作簿（.xlsx）：%(error)s") % {"error": str(failure)[:120]},
        )
    if sum(len(sheet.rows) for sheet in sheets) > MAX_ROWS:
        raise CellError("file_too_large", _("文件超过 %(rows)d 行，请分批导入。") % {"rows": MAX_ROWS})
    for sheet in sheets:
        for row in sheet.rows:
            for index, value in enumerate(row):
                if isinstance(value, dt.time):
                    row[index] = value.isoformat()
    return sheets
