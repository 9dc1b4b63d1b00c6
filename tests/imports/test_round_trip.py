"""The product's own ledger export, imported into an empty district, gives that month's ledger
summary exactly: counts, total investment and overdue counts per column, and the month's funds."""

import datetime as dt
from decimal import Decimal

import pytest

from imports.models import ImportRun
from imports.services import import_file
from pipeline.exports import ledger_xlsx_bytes
from pipeline.ledger import ledger, ledger_summary
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from projects.models import Investor
from tests import factories

pytestmark = pytest.mark.django_db
MONTH = "2025-03"


@pytest.fixture
def source_ledger(district, unit, other_unit, industry, manager):
    """A district with projects in every column (some overdue, some moved on after March)."""
    park = factories.ParkFactory(code="jlp-xipeng", name="西彭园区", district=district)
    investor = Investor.objects.create(
        name="甲集团", credit_code=factories.make_credit_code("91500107MA5U12345")
    )
    specs = [
        ("在谈新项目", Stage.NEGOTIATING, dt.date(2025, 3, 3), {}),
        ("在谈老项目", Stage.NEGOTIATING, dt.date(2024, 6, 3), {}),  # overdue (谈而未定)
        ("审定项目", Stage.APPROVED, dt.date(2024, 11, 1), {}),
        ("签约项目", Stage.SIGNED, dt.date(2025, 1, 2), {"investor": investor, "park": park}),
        ("开工项目", Stage.STARTED, dt.date(2024, 9, 1), {"planned_production_date": dt.date(2025, 2, 1)}),
        ("投产项目", Stage.PRODUCING, dt.date(2024, 5, 1), {"lead_official": "王五"}),
        ("四月才签约", Stage.SIGNED, dt.date(2025, 3, 20), {}),
    ]
    for index, (name, stage, start, extra) in enumerate(specs):
        project = factories.make_project(
            unit=unit if index % 2 else other_unit,
            industry=industry,
            by=manager,
            name=name,
            started=start,
            total_investment=Decimal(1000 * (index + 1)) + Decimal("0.55"),
            **extra,
        )
        factories.reach(project, stage, start=start + dt.timedelta(days=5), step_days=12, by=manager)
        if stage in (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING):
            progress_save(
                project=project, by=manager, month=dt.date(2025, 3, 1), funds_in_place=Decimal("123.45")
            )
    data = ledger(MONTH, filters={"district": district.code})
    return data


@pytest.fixture
def empty_district(other_district):
    """Another district holding units, parks of the same names and no project."""
    for code, name in (("jj-econ", "区经济信息委"), ("jj-sci", "区科技局")):
        factories.UnitFactory(code=code, name=name, district=other_district)
    factories.ParkFactory(code="jj-xipeng", name="西彭园区", district=other_district)
    return other_district


def test_the_products_export_round_trips_into_an_empty_district(source_ledger, empty_district, district):
    assert sum(entry["count"] for entry in source_ledger["summary"].values()) == 7
    content = ledger_xlsx_bytes(source_ledger, area="九龙坡区")
    importer = factories.manager_of(empty_district, username="jj-manager")
    run = import_file(
        by=importer, district=empty_district, file_name="ledger.xlsx", content=content, commit=True
    )
    assert run.status == ImportRun.Status.DONE, [row for row in run.report["rows"] if row["errors"]]
    assert run.report["month"] == MONTH
    assert run.report["summary"]["created"] == 7
    skipped = [sheet["name"] for sheet in run.report["sheets"] if sheet["skipped"]]
    assert skipped == ["汇总"]
    imported = ledger(MONTH, filters={"district": empty_district.code})
    assert imported["summary"] == source_ledger["summary"]
    assert imported["totals"] == source_ledger["totals"]
    funds = lambda data: sum(row["month_funds_in_place"] for row in data["rows"])  # noqa: E731
    assert funds(imported) == funds(source_ledger) == Decimal("493.80")
    areas = (district, empty_district)
    summaries = [ledger_summary(MONTH, filters={"district": area.code}) for area in areas]
    assert summaries[0] == summaries[1]
    # Importing the same export again changes nothing.
    again = import_file(
        by=importer, district=empty_district, file_name="ledger.xlsx", content=content, commit=True
    )
    assert again.report["summary"]["unchanged"] == 7
