"""The scorecard as an Excel workbook (openpyxl): one row per unit, its figures, targets,
completion rates, score and rank; every text cell is text (never a formula)."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from monthend.scorecard import ITEMS

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
PERCENT = '0.00"%"'
MONEY = "#,##0.00"

COLUMNS = (
    # (header, where, key, format)
    (gettext_lazy("排名"), "row", "rank", "0"),
    (gettext_lazy("责任单位"), "row", "name", None),
    (gettext_lazy("得分"), "row", "score", "0.00"),
    (gettext_lazy("新签约项目（个）"), "figures", "signed_count", "0"),
    (gettext_lazy("签约目标（个）"), "targets", "signed_count", "0"),
    (gettext_lazy("签约完成率"), "completion", "signed_count", PERCENT),
    (gettext_lazy("合同投资额（万元）"), "figures", "contract_investment", MONEY),
    (gettext_lazy("合同投资目标（万元）"), "targets", "contract_investment", MONEY),
    (gettext_lazy("合同投资完成率"), "completion", "contract_investment", PERCENT),
    (gettext_lazy("新开工项目（个）"), "figures", "started_count", "0"),
    (gettext_lazy("开工目标（个）"), "targets", "started_count", "0"),
    (gettext_lazy("开工完成率"), "completion", "started_count", PERCENT),
    (gettext_lazy("新投产项目（个）"), "figures", "producing_count", "0"),
    (gettext_lazy("资金到位额（万元）"), "figures", "funds_in_place", MONEY),
    (gettext_lazy("资金到位目标（万元）"), "targets", "funds_in_place", MONEY),
    (gettext_lazy("资金到位完成率"), "completion", "funds_in_place", PERCENT),
    (gettext_lazy("应填报进展（月·项目）"), "figures", "progress_owed", "0"),
    (gettext_lazy("按时填报"), "figures", "progress_on_time", "0"),
    (gettext_lazy("按时填报率"), "figures", "progress_on_time_rate", PERCENT),
    (gettext_lazy("到期督办事项（项）"), "figures", "task_due_count", "0"),
    (gettext_lazy("按期办结（项）"), "figures", "task_closed_on_time_count", "0"),
    (gettext_lazy("督办事项按期办结率"), "figures", "task_on_time_rate", PERCENT),
    (gettext_lazy("督办函（份）"), "figures", "letter_count", "0"),
    (gettext_lazy("督办函按期回复率"), "figures", "letter_on_time_rate", PERCENT),
    (gettext_lazy("期末逾期项目（个）"), "figures", "overdue_count", "0"),
)


def _value(row: dict, where: str, key: str):
    value = row.get(key) if where == "row" else (row.get(where) or {}).get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and (where != "row" or key == "score"):
        return Decimal(str(value))
    return value


def scorecard_xlsx_bytes(data: dict, *, area: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("考核")
    title = sheet.cell(
        row=1,
        column=1,
        value=_("%(area)s责任单位考核（%(from)s 至 %(to)s）")
        % {"area": area, "from": data["from"], "to": data["to"]},
    )
    title.font = Font(size=14, bold=True)
    weights = "；".join(f"{ITEMS.get(k, _('每个逾期项目扣分'))} {v}" for k, v in data["weights"].items())
    note = sheet.cell(
        row=2, column=1, value=_("序时进度 %(p)s%%；权重：%(w)s") % {"p": data["time_progress"], "w": weights}
    )
    note.data_type = "s"
    for index, (header, *_rest) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=3, column=index, value=str(header))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = 22 if index == 2 else 13
    rows = sorted(data["results"], key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]))
    for offset, row in enumerate([*rows, {**data["total"], "rank": None, "score": None}], start=4):
        for index, (_header, where, key, number_format) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=offset, column=index, value=_value(row, where, key))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "C4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
