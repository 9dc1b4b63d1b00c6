"""Hand-kept 台账 workbooks written by openpyxl, as bureaus keep them: a title and a 编制单位 line
above the header, headers over two rows with merged cells, 序号, 合计 rows, blank rows, a sheet
per ledger column or one sheet with a stage column."""

import io

from openpyxl import Workbook


def sheet_with(ws, *, title=None, subtitle=None, header, rows, second_header=None, merges=(), total=True):
    """Write a sheet; `header` (and `second_header` under it) then the rows, each numbered in
    a 序号 column when the header starts with 序号. Returns the Excel row of the first data row."""
    if title:
        ws.append([title])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    if subtitle:
        ws.append([subtitle])
    ws.append(header)
    header_row = ws.max_row
    if second_header:
        ws.append(second_header)
    for merge in merges:
        ws.merge_cells(merge.format(h=header_row, n=header_row + 1))
    first = ws.max_row + 1
    numbered = header[0] == "序号"
    for index, row in enumerate(rows, start=1):
        ws.append([index, *row] if numbered else list(row))
    if total:
        ws.append([None])
        ws.append(["合计", *([None] * (len(header) - 1))])
    return first


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def one_sheet(
    header,
    rows,
    *,
    title="九龙坡区招商引资项目台账（2025年3月）",
    subtitle="编制单位：区招商投资局　金额单位：万元",
    **kwargs,
) -> bytes:
    workbook = Workbook()
    sheet_with(workbook.active, title=title, subtitle=subtitle, header=header, rows=rows, **kwargs)
    return to_bytes(workbook)
