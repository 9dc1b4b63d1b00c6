"""Bulk rows for query-count tests: many records in a few INSERTs (the services are
exercised by the other tests; here only the shape of the read matters)."""

import datetime as dt
from decimal import Decimal

from pipeline.models import MonthlyProgress, StageEvent
from pipeline.stages import Stage
from projects.models import Investor, Project
from tests.factories import InvestorFactory


def bulk_projects(unit, industry, count, *, prefix="BULK"):
    investor = InvestorFactory()
    projects = Project.objects.bulk_create(
        Project(
            code=f"{prefix}-{i:05d}",
            name=f"批量项目{i}",
            district_id=unit.district_id,
            unit=unit,
            industry=industry,
            investor=investor,
            total_investment=Decimal("1000.00"),
            stage=Stage.NEGOTIATING,
            stage_since=dt.date(2025, 1, 6),
            negotiation_started_on=dt.date(2025, 1, 6),
        )
        for i in range(count)
    )
    projects = list(Project.objects.filter(code__startswith=f"{prefix}-"))
    StageEvent.objects.bulk_create(
        StageEvent(project=p, stage=Stage.NEGOTIATING, date=dt.date(2025, 1, 6)) for p in projects
    )
    MonthlyProgress.objects.bulk_create(
        MonthlyProgress(project=p, month=dt.date(2025, 2, 1), funds_in_place=Decimal("5.00"))
        for p in projects
    )
    return projects


def bulk_events(project, count):
    """`count` extra (voided) events on one project, enough to fill a page."""
    StageEvent.objects.bulk_create(
        StageEvent(
            project=project,
            stage=Stage.APPROVED,
            from_stage=Stage.NEGOTIATING,
            date=dt.date(2025, 2, 1),
            voided_at=dt.datetime(2025, 2, 2, tzinfo=dt.UTC),
            void_reason="批量",
        )
        for _ in range(count)
    )


def bulk_investors(count):
    Investor.objects.bulk_create(Investor(name=f"批量投资{i}") for i in range(count))
