"""The stale rule (谈而未定、定而未落), as a database condition so lists, filters, the ledger
and the figures all share it.

A project negotiating or approved for longer than N months, or signed but not started for
longer than N months, is overdue (N = settings.STALE_MONTHS, 3 by default). A started
project is overdue once its planned production date has passed.
"""

import datetime as dt

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q

from core.dates import add_months, local_today
from projects.lifecycle import Stage

STALE_STAGES = (Stage.NEGOTIATING, Stage.APPROVED, Stage.SIGNED)


def stale_cutoff(as_of: dt.date) -> dt.date:
    """A stage entered before this date has lasted longer than N months on `as_of`."""
    return add_months(as_of, -settings.STALE_MONTHS)


def overdue_q(
    as_of: dt.date | None = None,
    *,
    stage: str = "stage",
    since: str = "stage_since",
    planned_production: str = "planned_production_date",
) -> Q:
    """Q for 'overdue on as_of'; field names can point at annotations (the ledger's
    as-of stage) instead of the project's current fields."""
    as_of = as_of or local_today()
    return Q(**{f"{stage}__in": STALE_STAGES, f"{since}__lt": stale_cutoff(as_of)}) | Q(
        **{stage: Stage.STARTED, f"{planned_production}__lt": as_of}
    )


def overdue_expression(as_of: dt.date | None = None, **fields) -> ExpressionWrapper:
    return ExpressionWrapper(overdue_q(as_of, **fields), output_field=BooleanField())


def is_overdue(project, as_of: dt.date | None = None) -> bool:
    """The same rule for one in-memory project (forms, single pages)."""
    as_of = as_of or local_today()
    if project.stage in STALE_STAGES:
        return project.stage_since < stale_cutoff(as_of)
    if project.stage == Stage.STARTED:
        return bool(project.planned_production_date and project.planned_production_date < as_of)
    return False
