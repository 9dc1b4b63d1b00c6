"""The filtered project list as an Excel workbook (the same queryset the list page shows)."""

from io import BytesIO

from django.utils.translation import gettext as _

from pipeline.xlsx import Book


def _columns():
    # (title, width, the values() field, kind)
    return [
        (_("项目编号"), 16, "code", "text"),
        (_("项目名称"), 36, "name", "wrap"),
        (_("投资主体"), 26, "investor__name", "wrap"),
        (_("产业"), 16, "industry__name", "text"),
        (_("园区"), 16, "park__name", "text"),
        (_("责任单位"), 16, "unit__name", "text"),
        (_("阶段"), 10, "stage", "stage"),
        (_("进入本阶段日期"), 14, "stage_since", "date"),
        (_("是否逾期"), 10, "is_overdue", "flag"),
        (_("总投资（万元）"), 16, "total_investment", "money"),
        (_("合同投资额（万元）"), 16, "contract_investment", "money"),
        (_("计划签约日期"), 14, "planned_sign_date", "date"),
        (_("签约日期"), 14, "signed_on", "date"),
        (_("计划开工日期"), 14, "planned_start_date", "date"),
        (_("开工日期"), 14, "started_on", "date"),
        (_("计划投产日期"), 14, "planned_production_date", "date"),
        (_("投产日期"), 14, "producing_on", "date"),
    ]


EXPORT_FIELDS = tuple(field for _title, _width, field, _kind in _columns())


def projects_workbook(projects, *, total: int | None = None) -> bytes:
    """One sheet, one row per project; money stays numeric (万元, two decimals), dates stay
    dates, text is text. `projects` yields dicts of EXPORT_FIELDS (a values() queryset: no
    model instances, the rows stream from the database). Written by pipeline.xlsx in
    constant-memory mode, so memory stays flat however long the list. `total` (when more
    matched than `projects` holds) adds a last row saying the list was cut."""
    from projects.lifecycle import Stage

    columns = _columns()
    stages = {value: str(label) for value, label in Stage.choices}
    yes, no = _("是"), _("否")
    stream = BytesIO()
    book = Book(stream)
    sheet = book.sheet(
        _("项目清单"),
        [width for _title, width, _field, _kind in columns],
        title=None,
        repeat_columns=2,
    )
    sheet.header([title for title, _width, _field, _kind in columns])
    fields = [field for _title, _width, field, _kind in columns]

    def values(project):
        row = [project[field] for field in fields]
        row[stage_at] = stages.get(row[stage_at], row[stage_at])
        row[flag_at] = yes if row[flag_at] else no
        return row

    stage_at, flag_at = fields.index("stage"), fields.index("is_overdue")
    first = sheet.next_row
    kinds = ["text" if kind in ("stage", "flag") else kind for _title, _width, _field, kind in columns]
    sheet.stream(kinds, (values(project) for project in projects))
    line = sheet.next_row
    ws = sheet.ws
    rows = line - first
    ws.autofilter(0, 0, line - 1, len(columns) - 1)
    if total is not None and total > rows:
        sheet.blank()
        sheet.row(
            (
                (
                    _("仅导出前 %(rows)s 个项目（共 %(total)s 个），请缩小筛选范围后分批导出。")
                    % {"rows": f"{rows:,}", "total": f"{total:,}"},
                    "plain",
                ),
            )
        )
    sheet.finish()
    book.close()
    return stream.getvalue()
