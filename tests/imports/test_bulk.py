"""The bulk path for new projects writes exactly what the services write one by one: the same
projects (derived fields and version included), events, reviews, progress, investors and change
records (types and payloads), and the same import records."""

import pytest

from changes.models import Change
from imports.models import ImportedRecord, ImportRun
from imports.services import import_file
from pipeline.models import MonthlyProgress, Review, StageEvent
from projects.models import Investor, Project
from tests import factories
from tests.imports.test_commit import march_file

pytestmark = pytest.mark.django_db
SKIP = {
    "id",
    "code",
    "district_id",
    "created_at",
    "updated_at",
    "recorded_at",
    "project_id",
    "event_id",
    "investor_id",
}


def written(district) -> dict:
    projects = {p.pk: p.name for p in Project.objects.filter(district=district)}

    def rows(model, **filters):
        found = []
        for values in model.objects.filter(**filters).order_by("id").values():
            owner = projects.get(values.get("project_id"), values.get("name"))
            found.append((owner, {k: v for k, v in values.items() if k not in SKIP}))
        return sorted(found, key=repr)

    changes = []
    for change in Change.objects.filter(district_id=district.pk).order_by("seq"):
        payload = {k: v for k, v in change.changes.items() if k not in ("code", "district", "investor")}
        changes.append((projects.get(change.project_id), change.type, payload, change.channel))
    investors = Investor.objects.filter(projects__district=district).distinct()
    return {
        "projects": rows(Project, district=district),
        "events": rows(StageEvent, project__district=district),
        "reviews": rows(Review, project__district=district),
        "progress": rows(MonthlyProgress, project__district=district),
        "investors": sorted((i.name, i.credit_code) for i in investors),
        "changes": sorted(changes, key=repr),
        "records": sorted(
            (
                (projects[r.project_id], r.event.stage if r.event else "", r.created, r.date_unknown)
                for r in ImportedRecord.objects.filter(project__district=district)
            ),
            key=repr,
        ),
    }


# What differs by district alone (units, parks, the importer), and the investors: created once.
DISTRICT_BOUND = {"unit_id", "park_id", "created_by_id", "recorded_by_id", "updated_by_id", "unit", "park"}


def comparable(key, rows):
    if key == "changes":
        return [
            (owner, kind, {k: v for k, v in payload.items() if k not in DISTRICT_BOUND}, channel)
            for owner, kind, payload, channel in rows
            if kind != "investor.created"
        ]
    if key in ("projects", "events", "reviews", "progress"):
        return [(owner, {k: v for k, v in row.items() if k not in DISTRICT_BOUND}) for owner, row in rows]
    return rows


def test_the_bulk_path_writes_what_the_services_write(district, refs, other_district):
    for code, name in (("jj-econ", "区经济信息委"), ("jj-sci", "区科技局")):
        factories.UnitFactory(code=code, name=name, district=other_district)
    factories.ParkFactory(code="jj-xipeng", name="西彭园区", district=other_district)
    content = march_file()
    results = {}
    # Services first (they create the investors), then bulk into a district of its own: the
    # investors are found again by credit code or name, not created twice.
    for bulk, target in ((False, other_district), (True, district)):
        importer = factories.manager_of(target, username=f"importer-{bulk}")
        run = import_file(
            by=importer, district=target, file_name="a.xlsx", content=content, commit=True, bulk=bulk
        )
        assert run.status == ImportRun.Status.DONE, run.report
        results[bulk] = written(target)
    one_by_one, bulk = results[False], results[True]
    for key in one_by_one:
        assert comparable(key, bulk[key]) == comparable(key, one_by_one[key]), key
    assert len(bulk["events"]) == 8 and len(bulk["changes"]) > 10


def test_many_changes_at_once_are_written_whole(project, manager):
    """Over BULK_INSERT_FROM changes in one transaction go in by COPY on PostgreSQL: every one
    with its seq, in order, its JSON as recorded."""
    from changes.recording import BULK_INSERT_FROM, atomic, channel, record

    count = BULK_INSERT_FROM + 101
    before = Change.objects.count()
    with channel("import", source={"import": 1, "file": "台账.xlsx", "sha256": "ab" * 32}), atomic():
        for index in range(count):
            record(
                "project.updated",
                project,
                by=manager,
                changes={"name": [f"旧{index}", f"新{index}"], "n": ["1.50", None]},
            )
    written = list(Change.objects.order_by("seq")[before:])
    assert len(written) == count
    assert [c.seq for c in written] == list(range(written[0].seq, written[0].seq + count))
    assert written[7].changes == {"name": ["旧7", "新7"], "n": ["1.50", None]}
    assert written[-1].source == {"import": 1, "file": "台账.xlsx", "sha256": "ab" * 32}
    assert {(c.channel, c.user_id, c.project_id, c.district_id) for c in written} == {
        ("import", manager.pk, project.pk, project.district_id)
    }
