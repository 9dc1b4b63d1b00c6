"""The ledger page a slice at a time (pipeline.ledger_pages): every page of every column is the
full ledger's rows sliced, the totals stay the whole column's, and the Excel holds them all."""

import io

import pytest
from openpyxl import load_workbook

from pipeline.ledger import ledger
from pipeline.ledger_pages import movement_items, paged, section_rows
from projects.lifecycle import PIPELINE_STAGES
from tests.test_exports import build_ledger_world
from tests.test_ledger_pages import PAGE_CELLS, _parsed
from web.reports import views

pytestmark = pytest.mark.django_db

MONTH = "2025-06"


@pytest.fixture
def world(unit, other_unit, industry, manager):
    return build_ledger_world(unit, other_unit, industry, manager)


@pytest.mark.parametrize(
    "filters",
    [
        None,
        {"stage": ["started", "signed"]},
        {"is_overdue": "true"},
        {"is_overdue": "false"},
        {"unit": "jlp-econ"},
    ],
)
def test_every_slice_of_every_column_is_the_full_ledger_sliced(world, manager, filters):
    full = ledger(MONTH, user=manager, filters=filters)
    for stage in PIPELINE_STAGES:
        expected = [row for row in full["rows"] if row["stage"] == stage]
        for offset in range(0, len(expected) + 2, 2):
            got = section_rows(MONTH, stage=stage, offset=offset, limit=2, user=manager, filters=filters)
            assert got == expected[offset : offset + 2], (stage, offset)


def test_a_slice_includes_projects_that_changed_stage_after_the_month(world, manager):
    # Those are read from their events, not from their current stage (as_of_parts' second part).
    full = ledger(MONTH, user=manager)
    moved = [row for row in full["rows"] if row["stage"] != _current_stage(row["id"])]
    assert moved
    for row in moved:
        rows = section_rows(MONTH, stage=row["stage"], offset=0, limit=100, user=manager)
        assert row in rows


def _current_stage(pk):
    from projects.models import Project

    return Project.objects.get(pk=pk).stage


def test_movement_slices_are_the_months_movements_sliced(world, manager):
    items = ledger(MONTH, user=manager)["movements"]["items"]
    assert len(items) >= 3
    for offset in range(len(items) + 1):
        assert movement_items(MONTH, offset=offset, limit=2, user=manager) == items[offset : offset + 2]


def test_page_numbers_are_clamped_and_unreadable_ones_are_the_first():
    assert paged(0, "3", 50) == paged(0, 1, 50)
    assert paged(101, "99", 50)["page"] == 3
    assert paged(101, "x", 50)["page"] == 1
    assert paged(101, "-4", 50)["page"] == 1
    page = paged(101, "2", 50)
    assert (page["start"], page["end"], page["previous"], page["next"]) == (51, 100, 1, 3)


def test_the_page_shows_one_page_per_column_with_the_whole_columns_totals(
    client, manager, world, monkeypatch
):
    monkeypatch.setattr(views, "LEDGER_PAGE_SIZE", 2)
    client.force_login(manager)
    full = ledger(MONTH, user=manager)
    html = client.get(f"/ledger/{MONTH}/?page_started=2&page_signed=99&page_producing=x").content.decode()
    tables = _parsed(html).tables
    pages = {"started": 2, "signed": None, "producing": 1}
    for stage in PIPELINE_STAGES:
        expected = [row for row in full["rows"] if row["stage"] == stage]
        last = -(-len(expected) // 2)
        number = pages.get(stage) or (last if stage == "signed" else 1)
        want = expected[(number - 1) * 2 : number * 2]
        headers, rows = tables[stage]
        assert [row[0] for row in rows] == [
            str(n) for n in range((number - 1) * 2 + 1, (number - 1) * 2 + 1 + len(want))
        ]
        assert [row[1] for row in rows] == [PAGE_CELLS["项目"](row) for row in want], stage
        total = sum(row["total_investment"] for row in expected)
        assert f"{total:,.2f}" in html
        assert f"共 {len(expected)} 条" in html
    # The whole list is one click away, with the filters, and page numbers stay out of it.
    assert f'href="/ledger/{MONTH}/export.xlsx?' not in html
    assert f'href="/ledger/{MONTH}/export.xlsx"' in html
    response = client.get(f"/ledger/{MONTH}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    started = book[
        str(
            dict(zip(PIPELINE_STAGES, [s["label"] for s in full["summary"].values()], strict=True))["started"]
        )
    ]
    codes = [row[1] for row in started.iter_rows(min_row=4, values_only=True) if row[1] and row[0] != "合计"]
    assert codes == [row["code"] for row in full["rows"] if row["stage"] == "started"]


def test_filters_carry_to_the_next_page_and_the_excel(client, manager, world, monkeypatch):
    monkeypatch.setattr(views, "LEDGER_PAGE_SIZE", 1)
    client.force_login(manager)
    html = client.get(f"/ledger/{MONTH}/?unit=jlp-econ&page_started=1").content.decode()
    assert "?unit=jlp-econ&amp;page_started=2#col-started" in html
    assert f'href="/ledger/{MONTH}/export.xlsx?unit=jlp-econ"' in html
