"""A small district year for the month end (the `month_end_year` fixture, shared through tests/conftest.py):
hand-countable projects, progress and reviews.

As of 2025-10-31 (unit jlp-econ "区经济信息委" and jlp-sci "区科技局"):
- A (econ): signed 2025-03-10 (contract 30000), started 2025-05-06, planned production
  2025-09-30 → 逾期未投产 at October's end; progress filed for October.
- B (econ): signed 2025-06-20 (contract 12000), not started → 定而未落 from 2025-09-21;
  owes October progress, none filed.
- C (sci): negotiating since 2025-01-06 → 谈而未定; owes no progress.
- D (sci): signed 2025-10-08 (contract 8000), started 2025-10-20; October progress filed.
"""

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests.factories import advance, make_project

D = dt.date


def _signed(project, day, amount, by, *more):
    advance(
        project,
        (Stage.APPROVED, day),
        (Stage.SIGNED, day),
        *more,
        by=by,
        signed={"contract_investment": Decimal(amount)},
    )
    project.refresh_from_db()
    return project


@pytest.fixture
def month_end_year(unit, other_unit, industry, manager):
    a = make_project(
        unit=unit,
        industry=industry,
        by=manager,
        name="甲项目",
        total_investment=Decimal("50000"),
        planned_production_date=D(2025, 9, 30),
    )
    _signed(a, D(2025, 3, 10), "30000", manager, (Stage.STARTED, D(2025, 5, 6)))
    b = _signed(
        make_project(
            unit=unit, industry=industry, by=manager, name="乙项目", total_investment=Decimal("20000")
        ),
        D(2025, 6, 20),
        "12000",
        manager,
    )
    c = make_project(
        unit=other_unit, industry=industry, by=manager, name="丙项目", total_investment=Decimal("9000")
    )
    d = make_project(
        unit=other_unit, industry=industry, by=manager, name="丁项目", total_investment=Decimal("8000")
    )
    _signed(d, D(2025, 10, 8), "8000", manager, (Stage.STARTED, D(2025, 10, 20)))
    progress_save(
        project=a, by=manager, month=D(2025, 10, 1), funds_in_place=Decimal("1500"), progress="主体封顶"
    )
    progress_save(
        project=d, by=manager, month=D(2025, 10, 1), funds_in_place=Decimal("800"), progress="开工建设"
    )
    progress_save(project=a, by=manager, month=D(2025, 9, 1), funds_in_place=Decimal("500"))
    return {"A": a, "B": b, "C": c, "D": d}
