"""The preview's report as a workbook the bureau can fix its file from: each sheet of the upload
with its header and every data row as it was, plus two columns — the row's outcome and its
errors — the error rows in red. Text stays text (styled_cell writes every str as a string, never
a formula)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from imports.reader import read_workbook
from imports.values import CellError
from pipeline.openpyxl_cells import BOLD, HEADER_FILL, HEADER_FONT, styled_cell

ERROR_FILL = PatternFill("solid", fgColor="FDE2E1")
ERROR_FONT = Font(color="9B1C1C")
STATUS_LABELS = {
    "created": gettext_lazy("新建"),
    "updated": gettext_lazy("更新"),
    "unchanged": gettext_lazy("无变化"),
    "error": gettext_lazy("错误"),
}


def _messages(row: dict) -> str:
    return "；".join(
        f"{error['column'] or error['field']}：{error['message']}"
        if error.get("column")
        else error["message"]
        for error in row["errors"]
    )


def error_workbook(run) -> bytes:
    report = run.report or {}
    by_sheet: dict[str, dict[int, dict]] = {}
    for row in report.get("rows", []):
        by_sheet.setdefault(row["sheet"], {})[row["row"]] = row
    workbook = Workbook(write_only=True)
    if report.get("file_errors"):
        ws = workbook.create_sheet(_("文件问题"))
        for error in report["file_errors"]:
            ws.append([styled_cell(ws, error["code"]), styled_cell(ws, error["message"])])
    try:
        sheets = read_workbook(bytes(run.content or b""))
    except CellError:
        sheets = []
    described = {sheet["name"]: sheet for sheet in report.get("sheets", [])}
    for sheet in sheets:
        info = described.get(sheet.name)
        if not info or info.get("skipped"):
            continue
        ws = workbook.create_sheet(sheet.name[:31])
        width = max((len(values) for values in sheet.rows), default=0)
        for excel_row in info["header_rows"]:
            values = sheet.rows[excel_row - sheet.first_row]
            ws.append(
                [
                    *(styled_cell(ws, value, font=HEADER_FONT, fill=HEADER_FILL) for value in values),
                    *(styled_cell(ws, None, fill=HEADER_FILL) for _ in range(width - len(values))),
                    styled_cell(ws, _("导入结果"), font=HEADER_FONT, fill=HEADER_FILL),
                    styled_cell(ws, _("错误说明"), font=HEADER_FONT, fill=HEADER_FILL),
                ]
            )
        for number, row in sorted(by_sheet.get(sheet.name, {}).items()):
            values = list(sheet.rows[number - sheet.first_row])
            values += [None] * (width - len(values))
            error = row["status"] == "error"
            style = {"fill": ERROR_FILL, "font": ERROR_FONT} if error else {}
            ws.append(
                [
                    *(styled_cell(ws, value, **style) for value in values),
                    styled_cell(ws, str(STATUS_LABELS[row["status"]]), **({"font": BOLD} if error else {})),
                    styled_cell(ws, _messages(row), **style),
                ]
            )
    if not workbook.worksheets:
        workbook.create_sheet(_("导入结果"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
