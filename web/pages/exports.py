"""The filtered project list as an Excel workbook (the same queryset the list page shows)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pipeline.exports import CENTER, HEADER_FILL, HEADER_FONT, styled_cell, text_value


def _columns():
    return [
        (_("项目编号"), 16, lambda p: p.code),
        (_("项目名称"), 36, lambda p: p.name),
        (_("投资主体"), 26, lambda p: p.investor.name if p.investor_id else ""),
        (_("产业"), 16, lambda p: p.industry.name),
        (_("园区"), 16, lambda p: p.park.name if p.park_id else ""),
        (_("责任单位"), 16, lambda p: p.unit.name),
        (_("阶段"), 10, lambda p: p.get_stage_display()),
        (_("进入本阶段日期"), 14, lambda p: p.stage_since),
        (_("是否逾期"), 10, lambda p: _("是") if p.is_overdue else _("否")),
        (_("总投资（万元）"), 16, lambda p: p.total_investment),
        (_("合同投资额（万元）"), 16, lambda p: p.contract_investment),
        (_("计划签约日期"), 14, lambda p: p.planned_sign_date),
        (_("签约日期"), 14, lambda p: p.signed_on),
        (_("计划开工日期"), 14, lambda p: p.planned_start_date),
        (_("开工日期"), 14, lambda p: p.started_on),
        (_("计划投产日期"), 14, lambda p: p.planned_production_date),
        (_("投产日期"), 14, lambda p: p.producing_on),
    ]


def projects_workbook(projects, *, total: int | None = None) -> bytes:
    """One sheet, one row per project; money stays numeric (万元, two decimals), dates stay
    dates. Written in openpyxl's write-only mode, so memory stays flat however long the list.
    `total` (when more matched than `projects` holds) adds a last row saying the list was cut."""
    columns = _columns()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("项目清单"))
    for index, (_title, width, _get) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    header = {"font": HEADER_FONT, "fill": HEADER_FILL, "alignment": CENTER, "border": False}
    sheet.append([styled_cell(sheet, title, **header) for title, _width, _get in columns])

    def formatted(value):
        if isinstance(value, dt.date):
            return styled_cell(sheet, value, kind="date", border=False)
        if isinstance(value, Decimal):
            return styled_cell(sheet, value, kind="money", border=False)
        return text_value(sheet, value)

    rows = 0
    for project in projects:
        sheet.append([formatted(get(project)) for _title, _width, get in columns])
        rows += 1
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
    if total is not None and total > rows:
        sheet.append([])
        sheet.append(
            [
                _("仅导出前 %(rows)s 个项目（共 %(total)s 个），请缩小筛选范围后分批导出。")
                % {"rows": f"{rows:,}", "total": f"{total:,}"}
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
