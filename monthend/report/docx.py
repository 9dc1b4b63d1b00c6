"""The 专项报告 as a Word document (python-docx), rendered from the report's data
(monthend.report.content) and nothing else: title and 编制单位, 一、总体情况, 二、重点项目进展,
三、存在问题, 四、逾期项目及处置, 五、责任单位考核, 六、下步工作 (a heading and an empty paragraph to
write), with the funnel and the trend as PNG images. Amounts are written in 亿元 with two
decimals in the text and in 万元 in the tables.

    render_docx(data) -> bytes
        The same data gives the same bytes: the document's dates are the report's own and the
        zip entries carry a fixed time.
"""

import datetime as dt
import io
import zipfile

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from monthend.report import text
from monthend.report.charts import funnel_png, trend_png

FONT = "Noto Sans CJK SC"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _font(style, name: str = FONT, size: float | None = None) -> None:
    style.font.name = name
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        style.font.size = Pt(size)


def _table(document, header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), widths=None):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if index in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:  # in cm, each column's cells alike (Word reads the cells, LibreOffice the grid)
        table.autofit = False
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    return table


def _picture(document, png: bytes) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(15.5))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _fixed(content: bytes) -> bytes:
    """The package rewritten with every entry at the same time and order."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(data: dict) -> bytes:
    document = Document()
    _font(document.styles["Normal"], size=12)
    for level in (0, 1, 2):
        _font(document.styles["Title" if level == 0 else f"Heading {level}"])
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)

    stamp = dt.datetime.fromisoformat(
        (data.get("published") or {}).get("published_at") or data["generated_at"]
    )
    properties = document.core_properties
    properties.title = data["title"]
    properties.author = properties.last_modified_by = data["prepared_by"]
    properties.created = properties.modified = stamp.replace(tzinfo=None)
    properties.revision = 1

    title = document.add_heading(level=0)
    title.add_run(data["title"])
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(f"（{data['period']}）")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = document.add_paragraph(text.meta_line(data))
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # 一、总体情况
    document.add_heading(text.HEADINGS[0], level=1)
    for paragraph in text.overview_paragraphs(data):
        document.add_paragraph(paragraph)
    columns = data["overview"]["columns"]
    _table(
        document,
        [_("台账栏目"), _("项目数（个）"), _("总投资（万元）"), _("其中逾期（个）")],
        [[c["label"], str(c["count"]), text.wan(c["total_investment"]), str(c["overdue"])] for c in columns]
        + [
            [
                _("合计"),
                str(data["overview"]["totals"]["count"]),
                text.wan(data["overview"]["totals"]["total_investment"]),
                str(data["overview"]["totals"]["overdue"]),
            ]
        ],
        numeric={1, 2, 3},
    )
    _picture(document, funnel_png(columns, title=_("项目阶段漏斗"), unit_label=_("亿元")))
    _picture(
        document,
        trend_png(
            data["trend"],
            title=_("近12个月签约、开工与资金到位"),
            labels=(_("签约"), _("开工"), _("资金到位")),
            unit_label=_("亿元"),
        ),
    )

    # 二、重点项目进展
    document.add_heading(text.HEADINGS[1], level=1)
    document.add_paragraph(text.key_projects_intro(data))
    _table(
        document,
        [_("序号"), _("项目"), _("责任单位"), _("阶段"), _("总投资（万元）"), _("本月进展"), _("存在问题")],
        [
            [
                str(i),
                row["name"],
                row["unit_name"],
                row["stage_label"],
                text.wan(row["total_investment"]),
                row["progress"] or "—",
                row["problems"] or "—",
            ]
            for i, row in enumerate(data["key_projects"], start=1)
        ],
        numeric={0, 4},
        widths=(1.1, 4.2, 2.4, 1.6, 2.6, 2.6, 2.0),
    )

    # 三、存在问题
    document.add_heading(text.HEADINGS[2], level=1)
    document.add_paragraph(text.problems_paragraph(data))
    if text.problem_rows(data):
        _table(
            document,
            text.problem_header(),
            [text.problem_row(row) for row in text.problem_rows(data)],
            numeric={1, 2, 3, 4, 5},
        )

    # 四、逾期项目及处置
    document.add_heading(text.HEADINGS[3], level=1)
    for paragraph in text.exits_paragraphs(data):
        document.add_paragraph(paragraph)
    if data["exits"]["results"]:
        _table(
            document,
            [_("项目"), _("责任单位"), _("逾期情形"), _("停滞月数")],
            [
                [row["name"], row["unit_name"], row["kind_label"], str(row["months_stuck"])]
                for row in data["exits"]["results"]
            ],
            numeric={3},
        )
    if data["exits"]["decisions"]:
        document.add_paragraph(_("本月审议决定："))
        _table(
            document,
            [_("项目"), _("决定"), _("日期"), _("收回土地（亩）"), _("收回厂房（平方米）"), _("保留至")],
            [text.decision_row(row) for row in data["exits"]["decisions"]],
            numeric={3, 4},
        )

    # 五、责任单位考核
    document.add_heading(text.HEADINGS[4], level=1)
    document.add_paragraph(text.scorecard_paragraph(data))
    _table(
        document,
        text.scorecard_header(),
        text.scorecard_rows(data),
        numeric={1, 2, 3, 4, 5, 6, 7, 8},
        widths=(2.6, 1.95, 1.95, 1.95, 1.95, 1.95, 1.2, 1.5, 1.0),
    )

    # 六、下步工作
    document.add_heading(text.HEADINGS[5], level=1)
    document.add_paragraph("")

    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed(buffer.getvalue())
