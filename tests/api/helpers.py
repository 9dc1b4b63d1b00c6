"""Bulk rows for query-count tests: many records in a few INSERTs (the services are
exercised by the other tests; here only the shape of the read matters)."""

import datetime as dt
from decimal import Decimal

from pipeline.models import MonthlyProgress, Review, StageEvent
from pipeline.transitions import derive_state
from projects.lifecycle import Stage
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


FORWARD_DATA = {
    Stage.SIGNED: {"contract_no": "HT-BULK", "contract_investment": Decimal("800.00")},
}


def bulk_pipeline_projects(unit, industry, count, *, prefix, by, began, milestones=(), progress=(), **fields):
    """`count` projects negotiating since `began` and walked through `milestones`
    ([(stage, date), ...]), with `progress` ([(month, funds_in_place), ...]) filed — in a few
    INSERTs, writing what the services would: each event with its `from_stage` (the approval
    with its approving Review), and the project's derived fields from
    pipeline.transitions.derive_state() over those events, one version per milestone."""
    events_of = []
    for _ in range(count):
        events = [StageEvent(stage=Stage.NEGOTIATING, date=began, recorded_by=by)]
        for stage, date in milestones:
            events.append(
                StageEvent(
                    stage=stage,
                    from_stage=events[-1].stage,
                    date=date,
                    recorded_by=by,
                    **FORWARD_DATA.get(stage, {}),
                )
            )
        events_of.append(events)
    projects = Project.objects.bulk_create(
        Project(
            code=f"{prefix}-{i:05d}",
            name=f"批量项目{prefix}{i}",
            district_id=unit.district_id,
            unit=unit,
            industry=industry,
            version=len(events),
            created_by=by,
            **derive_state(events),
            **{"total_investment": Decimal("1000.00"), **fields},
        )
        for i, events in enumerate(events_of)
    )
    # SQLite and PostgreSQL both hand back the new ids from bulk_create.
    for project, events in zip(projects, events_of, strict=True):
        for event in events:
            event.project = project
    StageEvent.objects.bulk_create(event for events in events_of for event in events)
    Review.objects.bulk_create(
        Review(
            project=event.project,
            date=event.date,
            decision=Review.Decision.APPROVED,
            event=event,
            recorded_by=by,
            industry_opinion="符合产业方向",
            expert_opinion="技术可行",
            department_opinion="各部门同意",
        )
        for events in events_of
        for event in events
        if event.stage == Stage.APPROVED
    )
    MonthlyProgress.objects.bulk_create(
        MonthlyProgress(project=project, month=month, funds_in_place=funds, updated_by=by)
        for project in projects
        for month, funds in progress
    )
    return projects


MARCH_2025 = {
    "began": dt.date(2025, 1, 6),
    "milestones": [
        (Stage.APPROVED, dt.date(2025, 2, 1)),
        (Stage.SIGNED, dt.date(2025, 3, 5)),
        (Stage.STARTED, dt.date(2025, 3, 20)),
    ],
    "progress": [(dt.date(2025, 2, 1), Decimal("3.00")), (dt.date(2025, 3, 1), Decimal("5.00"))],
    "planned_production_date": dt.date(2025, 5, 31),
}


def march_pipeline(unit, industry, count, *, prefix, by):
    """`count` projects signed and started in March 2025, with February's and March's progress
    filed. Every second one went into production in April (the March ledger finds those
    through their events, the others through their current stage); the rest are overdue
    from June, their planned production date having passed."""
    producing = count // 2
    march = MARCH_2025["milestones"]
    return [
        *bulk_pipeline_projects(unit, industry, count - producing, prefix=f"{prefix}S", by=by, **MARCH_2025),
        *bulk_pipeline_projects(
            unit,
            industry,
            producing,
            prefix=f"{prefix}P",
            by=by,
            **{**MARCH_2025, "milestones": [*march, (Stage.PRODUCING, dt.date(2025, 4, 15))]},
        ),
    ]
