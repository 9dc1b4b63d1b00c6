"""From sheets to data rows: which rows hold projects, and each row's cells by field.

Skipped without a word: blank rows, 合计/小计/总计 rows, a row holding nothing but its 序号, note
lines (注：, 填表说明, 制表人…). Sheets without a header naming the project (a summary sheet) are
listed as skipped in the report."""

import re
from dataclasses import dataclass, field

from imports.columns import Layout, layout
from imports.reader import Sheet
from imports.values import is_blank, sheet_stage, text

_TOTAL = re.compile(r"^(合计|小计|总计|总合计|共计)")
_NOTE = re.compile(r"^(注|备注|说明|填表说明|填表人|制表人|审核人|负责人|联系人|联系电话)[：:\s]")


@dataclass
class RawRow:
    sheet: str
    row: int  # as Excel shows it
    cells: dict[str, object]  # field key (or funds:YYYY-MM) → cell value, blanks left out
    sheet_stage: str | None
    layout: Layout = field(repr=False)


def _skip(values: list, cells: dict) -> bool:
    texts = [text(value).replace(" ", "").replace("\u3000", "") for value in values if not is_blank(value)]
    if not texts:
        return True
    if any(_TOTAL.match(item) for item in texts[:3]):
        return True
    if not cells:
        return True  # only a 序号, or only columns nobody reads
    name = text(cells.get("name", ""))
    return bool(_NOTE.match(name + " ")) and len(cells) == 1


def sheet_rows(sheet: Sheet) -> tuple[Layout | None, list[RawRow]]:
    found = layout(sheet)
    if found is None:
        return None, []
    stage = sheet_stage(sheet.name)
    columns = list(found.columns.values())
    rows = []
    for index in range(found.data_start, len(sheet.rows)):
        values = sheet.rows[index]
        cells = {}
        for column in columns:
            if column.index < len(values) and not is_blank(values[column.index]):
                cells[column.key] = values[column.index]
        if _skip(values, cells):
            continue
        rows.append(RawRow(sheet.name, sheet.excel_row(index), cells, stage, found))
    found.sheet = None  # the rows hold what they need; the sheet's cells can go
    return found, rows
