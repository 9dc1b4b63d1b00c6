"""The filtered project list as an Excel workbook (the same queryset the list page shows)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


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


def projects_workbook(projects) -> bytes:
    """One sheet, one row per project; money stays numeric (万元), dates stay dates."""
    columns = _columns()
    book = Workbook()
    sheet = book.active
    sheet.title = _("项目清单")
    sheet.append([title for title, _width, _get in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for project in projects:
        sheet.append([get(project) for _title, _width, get in columns])
    for index, (_title, width, _get) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][1:]:
            if cell.is_date:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, int | float) or cell.data_type == "n":
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
