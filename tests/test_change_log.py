"""The change log: every write of a fact records who, when, through which channel and what
changed (old → new), in the change's own transaction; `seq` follows commit order with no gaps."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import transaction

from changes.models import Change
from changes.recording import atomic, channel, record
from core import errors
from pipeline.progress import progress_save
from pipeline.publishing import ledger_publish
from pipeline.transitions import event_void, milestone_record, review_record
from projects.lifecycle import Stage
from projects.services import investor_create, investor_update, project_update
from tests.factories import STAGE_DATA, make_project, reach


def changes_of(project):
    return list(Change.objects.filter(project_id=project.pk).order_by("seq"))


def test_creating_a_project_records_the_project_and_its_first_event(project, manager):
    created, event = changes_of(project)
    assert (created.type, created.object_id, created.user, created.channel) == (
        "project.created",
        project.pk,
        manager,
        "command",
    )
    assert created.changes["name"] == [None, "立琻半导体项目"]
    assert created.changes["code"] == [None, project.code]
    assert created.changes["total_investment"] == [None, "10000.00"]
    assert (created.district_id, created.unit_id) == (project.district_id, project.unit_id)
    assert event.type == "event.recorded"
    assert event.changes["stage"] == [None, Stage.NEGOTIATING]
    assert event.seq == created.seq + 1


def test_a_project_update_records_only_the_fields_that_changed(project, manager):
    project_update(project=project, by=manager, name="立琻半导体二期", total_investment=Decimal("10000"))
    change = changes_of(project)[-1]
    assert change.type == "project.updated"
    assert change.changes == {"name": ["立琻半导体项目", "立琻半导体二期"]}


def test_an_update_that_changes_nothing_records_nothing(project, manager):
    before = len(changes_of(project))
    project_update(project=project, by=manager, name=project.name)
    assert len(changes_of(project)) == before


def test_milestones_reviews_and_voids_are_recorded_with_their_stages(project, manager):
    review_record(
        project=project,
        by=manager,
        decision="rejected",
        date=dt.date(2025, 2, 1),
        note="再议",
        **STAGE_DATA[Stage.APPROVED],
    )
    reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1), by=manager)
    project.refresh_from_db()
    event_void(project=project, by=manager, reason="合同未生效")
    types = [change.type for change in changes_of(project)]
    assert types == [
        "project.created",
        "event.recorded",
        "review.recorded",  # the rejection
        "review.recorded",  # the approval's review, with its event
        "event.recorded",
        "event.recorded",
        "event.voided",
    ]
    signing = changes_of(project)[-2]
    assert signing.changes["stage"] == [None, Stage.SIGNED]
    assert signing.changes["from_stage"] == [None, Stage.APPROVED]
    assert signing.changes["contract_investment"] == [None, "10000.00"]
    void = changes_of(project)[-1]
    assert void.object_id == signing.object_id
    assert void.changes == {
        "void_reason": [None, "合同未生效"],
        "project_stage": [Stage.SIGNED, Stage.APPROVED],
    }


def test_overwriting_monthly_progress_keeps_the_old_values(project, manager):
    progress_save(project=project, by=manager, month="2025-02", funds_in_place="100", progress="开工准备")
    progress_save(project=project, by=manager, month="2025-02", funds_in_place="150", progress="开工准备")
    first, second = [c for c in changes_of(project) if c.type == "progress.saved"]
    assert first.changes["funds_in_place"] == [None, "100.00"]
    assert second.changes == {"funds_in_place": ["100.00", "150.00"]}


def test_investor_changes_are_recorded_without_a_project(manager):
    investor = investor_create(by=manager, name="重庆某科技有限公司")
    investor_update(investor=investor, by=manager, is_high_tech=True)
    rows = list(Change.objects.filter(object_type="investor", object_id=investor.pk).order_by("seq"))
    assert [(row.type, row.project_id) for row in rows] == [
        ("investor.created", None),
        ("investor.updated", None),
    ]
    assert rows[1].changes == {"is_high_tech": [False, True]}


def test_publishing_records_the_ledger_with_its_district(district, manager):
    published = ledger_publish(district=district, month="2025-01", by=manager)
    change = Change.objects.get(type="ledger.published")
    assert (change.object_id, change.district_id) == (published.pk, district.pk)
    assert change.changes == {"month": [None, "2025-01"], "version": [None, 1]}


def test_a_refused_write_records_nothing(project, staff, manager):
    before = Change.objects.count()
    with pytest.raises(errors.ServiceError):
        milestone_record(project=project, by=staff, stage=Stage.SIGNED, date=dt.date(2025, 2, 1))
    with pytest.raises(errors.ServiceError):
        milestone_record(project=project, by=manager, stage=Stage.APPROVED, date=dt.date(2099, 1, 1))
    assert Change.objects.count() == before


def test_a_rolled_back_inner_block_drops_only_its_own_changes(project, manager):
    before = Change.objects.count()
    with atomic():
        project_update(project=project, by=manager, name="外层修改")
        try:
            with atomic():
                project_update(project=project, by=manager, description="内层修改")
                raise RuntimeError("inner fails")
        except RuntimeError:
            pass
    names = [change.changes for change in Change.objects.filter(seq__gt=before)]
    assert names == [{"name": ["立琻半导体项目", "外层修改"]}]


def test_changes_of_one_block_are_written_together_at_its_end(project, manager):
    before = Change.objects.count()
    with atomic():
        project_update(project=project, by=manager, name="第一处")
        assert Change.objects.count() == before  # not yet: written just before the commit
        project_update(project=project, by=manager, name="第二处")
    seqs = list(Change.objects.filter(seq__gt=before).values_list("seq", flat=True))
    assert seqs == [before + 1, before + 2]


def test_the_channel_and_source_are_recorded(project, manager):
    with channel("import", source={"import": 7, "file": "台账.xlsx", "sha256": "ab" * 32}):
        project_update(project=project, by=manager, name="导入修改")
    change = changes_of(project)[-1]
    assert change.channel == "import"
    assert change.source == {"import": 7, "file": "台账.xlsx", "sha256": "ab" * 32}


def test_each_request_records_its_channel(client, project, manager, unit, industry):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user=manager)
    response = api.patch(f"/api/v1/projects/{project.pk}/", {"name": "接口修改"}, format="json")
    assert response.status_code == 200
    client.force_login(manager)
    data = {
        "name": "页面新建项目",
        "industry": industry.pk,
        "unit": unit.pk,
        "source": "exhibition",
        "total_investment": "100",
    }
    assert client.post("/projects/new/", data).status_code == 302
    assert Change.objects.get(type="project.updated", project_id=project.pk).channel == "api"
    assert Change.objects.get(type="project.created", changes__name__1="页面新建项目").channel == "page"


def test_record_outside_a_block_writes_at_once(project, manager):
    change = record("project.updated", project, by=manager, changes={"x": [1, 2]})
    assert Change.objects.get(seq=change.seq).changes == {"x": [1, 2]}


# --- commit order (PostgreSQL: real row locks) ---------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seq_follows_commit_order_and_has_no_gaps(unit, industry, manager):
    """A writer that takes its seqs holds them until it commits: a second writer waits and gets
    the next ones, so nobody reading after a seq can miss a change committed later below it."""
    projects = [make_project(unit=unit, industry=industry, by=manager) for _ in range(2)]
    start = Change.objects.count()
    commits: list[tuple[int, float]] = []
    first_flushed = threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                with atomic():
                    project_update(project=projects[0], by=manager, name="慢")
                first_flushed.set()
                time.sleep(0.5)  # seqs taken, not yet committed
            committed_at = time.monotonic()  # before the lookup, which another writer may outrun
            commits.append((Change.objects.filter(changes__name__1="慢").get().seq, committed_at))
        finally:
            from django.db import connection

            connection.close()

    def fast_writer():
        try:
            first_flushed.wait(5)
            project_update(project=projects[1], by=manager, name="快")
            committed_at = time.monotonic()  # before the lookup, which another writer may outrun
            commits.append((Change.objects.filter(changes__name__1="快").get().seq, committed_at))
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=fast_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    by_commit_time = [seq for seq, _ in sorted(commits, key=lambda item: item[1])]
    assert by_commit_time == sorted(by_commit_time)
    assert sorted(Change.objects.filter(seq__gt=start).values_list("seq", flat=True)) == [
        start + 1,
        start + 2,
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_writers_get_unique_contiguous_seqs(unit, industry, manager):
    from tests.factories import run_concurrently

    projects = [make_project(unit=unit, industry=industry, by=manager) for _ in range(8)]
    start = Change.objects.order_by("-seq").values_list("seq", flat=True).first()
    calls = [
        (
            lambda p=p: milestone_record(
                project=p,
                by=manager,
                stage=Stage.APPROVED,
                date=dt.date(2025, 2, 1),
                **STAGE_DATA[Stage.APPROVED],
            )
        )
        for p in projects
    ]
    results = run_concurrently(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    seqs = sorted(Change.objects.filter(seq__gt=start).values_list("seq", flat=True))
    assert seqs == list(range(start + 1, start + 1 + 16))  # a review and an event each


def test_a_value_is_stored_as_its_json_round_trip_gives_it():
    """to_json skips the round trip for single values; what it stores must not change."""
    import datetime as dt
    import json
    import uuid
    from decimal import Decimal

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    from changes.recording import to_json

    values = [
        "文本", 7, 1.5, True, None, Decimal("12.30"), Decimal("-0.00"), dt.date(2025, 1, 2),
        dt.datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC), timezone.now(),
        dt.datetime(2025, 1, 2, 3, 4),
        dt.time(1, 2, 3, 456789), dt.timedelta(days=1, seconds=3), uuid.uuid4(),
        [Decimal("1"), dt.date(2025, 1, 1)], {"a": Decimal("2")}, gettext_lazy("在谈"),
    ]  # fmt: skip
    for value in values:
        expected = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
        assert to_json(value) == expected and type(to_json(value)) is type(expected), value
