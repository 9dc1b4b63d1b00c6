"""The pre-flight of a month's publication, and the progress-filing figures it shares with the
scorecard.

    preflight(*, district, month) -> dict
        Per unit of the district: how many projects owe the month's progress and how many filed
        (with the missing ones), the projects on the screening list with no exit review (none
        under way, none decided since the month's end), and the milestones recorded or voided
        after the month's end (or its last publication) that change the month. `gaps` counts the
        missing reports and the unreviewed projects: publishing with gaps needs a confirmation.
    progress_filing(*, district, months) -> {unit_id: {"owed", "on_time"}}
        Over `months` (ended ones): the reports owed and those filed by the month's first
        publication (by now, for a month not yet published).

A project owes a month's progress (进度跟踪台账) when it stands signed, started or producing
(拟开工 / 拟投产 / 投产未达产) on the month's last day: pipeline.selectors.progress_due.
"""

import datetime as dt

from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone

from core.dates import month_end
from exits.models import ExitReview
from exits.screening import screening
from pipeline.asof import as_of_day
from pipeline.filters import as_month
from pipeline.models import MonthlyProgress, PublishedLedger, StageEvent
from pipeline.selectors import progress_due
from projects.models import Project, Unit


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day`, local time."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def _owing(district, first: dt.date, filed_by: dt.datetime | None, unit_id: int | None = None):
    """The district's (or one unit's) projects owing `first`'s progress
    (pipeline.selectors.progress_due), each with `filed` (by `filed_by` when given): one query."""
    progress = MonthlyProgress.objects.filter(project=OuterRef("pk"), month=first)
    if filed_by is not None:
        progress = progress.filter(created_at__lte=filed_by)
    projects = Project.objects.filter(district=district)
    if unit_id is not None:
        projects = projects.filter(unit_id=unit_id)
    return (
        progress_due(first, projects)
        .annotate(filed=Exists(progress))
        .order_by()
        .values("filed", row_id=F("pk"), row_code=F("code"), row_name=F("name"), row_unit=F("unit_id"))
    )


def first_publications(district, months) -> dict[dt.date, dt.datetime]:
    rows = (
        PublishedLedger.objects.filter(district=district, month__in=list(months))
        .values("month")
        .annotate(first=Min("published_at"))
    )
    return {row["month"]: row["first"] for row in rows}


def progress_filing(*, district, months) -> dict[int, dict]:
    """Owed month reports and those filed on time, per unit, over `months` (see module doc)."""
    published = first_publications(district, months)
    totals: dict[int, dict] = {}
    for first in months:
        for row in _owing(district, first, published.get(first)):
            entry = totals.setdefault(row["row_unit"], {"owed": 0, "on_time": 0})
            entry["owed"] += 1
            entry["on_time"] += bool(row["filed"])
    return totals


def unfiled_progress(district, month, *, unit_id: int | None = None) -> list[dict]:
    """The projects (of one unit, or the whole district) owing `month`'s progress and not
    filed yet, by code: {"id", "code", "name", "unit_id"}. The pre-flight's own rule."""
    rows = _owing(district, as_month(month), None, unit_id)
    return sorted(
        (
            {"id": row["row_id"], "code": row["row_code"], "name": row["row_name"]}
            for row in rows
            if not row["filed"]
        ),
        key=lambda row: row["code"],
    )


def _brief(project_id, code, name) -> dict:
    return {"id": project_id, "code": code, "name": name}


def preflight(*, district, month) -> dict:
    """What the manager sees before publishing `month` (see the module docstring)."""
    first = as_month(month)
    day = as_of_day(first)
    units = {
        unit.pk: {
            "unit": unit.code,
            "name": unit.name,
            "owed": 0,
            "filed": 0,
            "missing": [],
            "unreviewed": [],
            "late_milestones": [],
        }
        for unit in Unit.objects.filter(district=district).order_by("code")
    }

    def unit_entry(unit_id):
        return units[unit_id]

    for row in sorted(_owing(district, first, None), key=lambda r: r["row_code"]):
        entry = unit_entry(row["row_unit"])
        entry["owed"] += 1
        if row["filed"]:
            entry["filed"] += 1
        else:
            entry["missing"].append(_brief(row["row_id"], row["row_code"], row["row_name"]))

    listed = screening(first, filters={"district": district.code})["results"]
    reviewed = set(
        ExitReview.objects.filter(project_id__in=[row["id"] for row in listed])
        .filter(Q(decision="") | Q(decided_on__gt=day))
        .values_list("project_id", flat=True)
    )
    unit_ids = dict(Unit.objects.filter(district=district).values_list("code", "pk"))
    for row in listed:
        if row["id"] not in reviewed:
            item = {**_brief(row["id"], row["code"], row["name"]), "kind_label": row["kind_label"]}
            item["months_stuck"] = row["months_stuck"]
            unit_entry(unit_ids[row["unit"]])["unreviewed"].append(item)

    last = PublishedLedger.objects.filter(district=district, month=first).order_by("-version").first()
    since = last.published_at if last else _end_of(month_end(first))
    late = (
        StageEvent.objects.filter(project__district=district, date__lte=day)
        .filter(Q(recorded_at__gt=since) | Q(voided_at__gt=since))
        .select_related("project")
        .order_by("project__code", "date", "id")
    )
    for event in late:
        unit_entry(event.project.unit_id)["late_milestones"].append(
            {
                **_brief(event.project_id, event.project.code, event.project.name),
                "stage": event.stage,
                "stage_label": event.get_stage_display(),
                "date": event.date,
                "recorded_at": timezone.localtime(event.recorded_at),
                "voided": event.voided_at is not None and event.voided_at > since,
            }
        )
    rows = list(units.values())
    missing = sum(len(entry["missing"]) for entry in rows)
    unreviewed = sum(len(entry["unreviewed"]) for entry in rows)
    return {
        "district": district.code,
        "month": f"{first:%Y-%m}",
        "as_of": day,
        "since": timezone.localtime(since),
        "owed": sum(entry["owed"] for entry in rows),
        "filed": sum(entry["filed"] for entry in rows),
        "missing": missing,
        "unreviewed": unreviewed,
        "late_milestones": sum(len(entry["late_milestones"]) for entry in rows),
        "gaps": missing + unreviewed,
        "units": rows,
    }
