"""The changes feed (GET /api/v1/changes/?after=<seq>): every committed change once, in seq
order, with the object as its own endpoint returns it, scoped by role; 诉求 and reviews in the
feed and in the pull; deletions in the admin leave a change a consumer can see."""

import datetime as dt
import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from changes.models import Change
from changes.recording import atomic
from pipeline.transitions import review_record
from projects.lifecycle import Stage
from projects.models import Investor, Park
from projects.services import investor_create, project_update
from supervision.tasks import task_create, task_report, task_verify
from tests import factories
from tests.factories import STAGE_DATA, make_project, reach


def feed(client, **params):
    response = client.get("/api/v1/changes/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_lists_changes_in_seq_order_with_the_object_as_its_endpoint_returns_it(
    api, project, manager
):
    reach(project, Stage.SIGNED, by=manager)
    client = api.as_user(manager)
    page = feed(client)
    types = [entry["type"] for entry in page["results"]]
    assert types == [
        "project.created",
        "event.recorded",
        "review.recorded",
        "event.recorded",
        "event.recorded",
    ]
    seqs = [entry["seq"] for entry in page["results"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert page["next"] is None
    created = page["results"][0]
    assert created["id"] == project.pk
    assert created["project"] == {"id": project.pk, "code": project.code}
    assert created["data"] == client.get(f"/api/v1/projects/{project.pk}/").json()
    assert created["changes"]["name"] == [None, project.name]
    signing = page["results"][-1]
    events = client.get(f"/api/v1/projects/{project.pk}/events/").json()["results"]
    assert signing["data"] == events[-1]
    # a stage change carries the previous and the new stage and the date
    assert (signing["data"]["from_stage"], signing["data"]["stage"]) == (Stage.APPROVED, Stage.SIGNED)
    assert signing["data"]["date"] and signing["at"].endswith("+08:00")


def test_after_and_limit_page_through_the_feed(api, project, manager):
    for name in ("一", "二", "三", "四"):
        project_update(project=project, by=manager, name=f"项目{name}")
    client = api.as_user(manager)
    everything = [entry["seq"] for entry in feed(client, limit=100)["results"]]
    assert len(everything) == 6
    first = feed(client, limit=4)
    assert [entry["seq"] for entry in first["results"]] == everything[:4]
    assert f"after={everything[3]}" in first["next"]
    rest = client.get(first["next"]).json()
    assert [entry["seq"] for entry in rest["results"]] == everything[4:]
    assert rest["next"] is None
    assert feed(client, after=everything[-1]) == {"results": [], "next": None}
    family = feed(client, type="project.*")["results"]
    assert [entry["type"] for entry in family] == ["project.created"] + ["project.updated"] * 4
    only = feed(client, type="project.updated", project=project.pk)
    assert [entry["changes"]["name"][1] for entry in only["results"]] == [
        "项目一",
        "项目二",
        "项目三",
        "项目四",
    ]


def test_a_feed_page_costs_the_same_queries_however_many_entries_it_holds(
    api, unit, industry, manager, django_assert_max_num_queries
):
    def one_of_each():
        project = make_project(unit=unit, industry=industry, by=manager)
        reach(project, Stage.SIGNED, by=manager)
        investor_create(by=manager, name=f"投资主体{project.pk}")

    one_of_each()
    client = api.as_user(manager)
    with CaptureQueriesContext(connection) as few:
        assert len(feed(client, limit=1000)["results"]) == 6
    for _ in range(5):
        one_of_each()
    with django_assert_max_num_queries(len(few)):
        assert len(feed(client, limit=1000)["results"]) == 36


@pytest.mark.parametrize(
    "params",
    [
        {"after": "-1"},
        {"after": "x"},
        {"limit": "0"},
        {"limit": "1001"},
        {"after": "9" * 40},
        {"page": "2"},
        {"project": "1.5"},
        {"type": [f"project.t{n}" for n in range(101)]},
    ],
)
def test_bad_feed_parameters_are_a_400_naming_the_parameter(api, manager, params):
    response = api.as_user(manager).get("/api/v1/changes/", params)
    assert response.status_code == 400
    assert response.json()["field"] == next(iter(params))


def test_the_feed_is_scoped_like_the_lists(api, unit, other_unit, foreign_unit, industry, manager):
    mine = make_project(unit=unit, industry=industry, by=manager)
    sibling = make_project(unit=other_unit, industry=industry, by=manager)
    foreign = make_project(unit=foreign_unit, industry=industry)
    investor = investor_create(by=manager, name="共享投资主体")

    def seen(user):
        results = feed(api.as_user(user), limit=1000)["results"]
        return {(entry["type"], entry["id"]) for entry in results}

    clerk = factories.staff_of(unit, username="feed-clerk")
    assert ("project.created", mine.pk) in seen(clerk)
    assert ("project.created", sibling.pk) not in seen(clerk)
    assert ("investor.created", investor.pk) in seen(clerk)  # investors are shared records
    district_view = seen(manager)
    assert {("project.created", mine.pk), ("project.created", sibling.pk)} <= district_view
    assert ("project.created", foreign.pk) not in district_view
    assert ("project.created", foreign.pk) in seen(factories.city_user(username="feed-city"))
    response = APIClient().get("/api/v1/changes/")
    assert response.status_code == 401


def test_requests_and_reviews_are_in_the_feed_and_the_pull(api, project, unit, manager):
    review = review_record(
        project=project,
        by=manager,
        decision="rejected",
        date=dt.date(2025, 2, 1),
        **STAGE_DATA[Stage.APPROVED],
    )
    raised = task_create(
        project=project,
        by=manager,
        source="request",
        category="land",
        content="用地指标",
        unit=unit,
        due_date=dt.date(2025, 3, 1),
        assigned_on=dt.date(2025, 2, 1),
    )
    task_report(task=raised, by=manager, text="已协调", date=dt.date(2025, 2, 10))
    task_verify(task=raised, by=manager, date=dt.date(2025, 2, 10))
    client = api.as_user(manager)
    results = feed(client, type=["review.recorded", "task.created", "task.closed"])["results"]
    assert [entry["type"] for entry in results] == ["review.recorded", "task.created", "task.closed"]
    pulled_reviews = client.get("/api/v1/reviews/").json()["results"]
    assert [item["id"] for item in pulled_reviews] == [review.pk]
    assert results[0]["data"] == pulled_reviews[0]
    pulled = client.get("/api/v1/requests/", {"status": "resolved"}).json()["results"]
    assert [item["id"] for item in pulled] == [raised.pk]
    assert pulled[0]["assigned_unit"] == unit.code and pulled[0]["resolution"] == "已协调"
    assert results[2]["data"] == client.get("/api/v1/tasks/", {"project": project.pk}).json()["results"][0]
    assert results[2]["data"]["id"] == pulled[0]["id"] and results[2]["data"]["status"] == "closed"
    assert results[2]["changes"]["status"] == ["reported", "closed"]
    foreign = api.as_user(factories.manager_of(factories.DistrictFactory(code="x"), username="far"))
    assert foreign.get("/api/v1/requests/").json()["results"] == []


def test_deleting_reference_data_or_an_investor_in_the_admin_leaves_a_change(client, api, district, manager):
    admin_user = factories.UserFactory(is_superuser=True, is_staff=True, username="root")
    park = Park.objects.create(code="jlp-park-x", name="西彭园区", district=district)
    investor = Investor.objects.create(name="将删除的投资主体")
    client.force_login(admin_user)
    response = client.post(f"/admin/projects/park/{park.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        "/admin/projects/investor/",
        {"action": "delete_selected", "_selected_action": [investor.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert (
        not Park.objects.filter(pk=park.pk).exists() and not Investor.objects.filter(pk=investor.pk).exists()
    )
    results = feed(api.as_user(manager), type=["reference.deleted", "investor.deleted"])["results"]
    assert [(entry["type"], entry["id"]) for entry in results] == [
        ("reference.deleted", park.pk),
        ("investor.deleted", investor.pk),
    ]
    assert results[0]["data"] == {"id": park.pk, "model": "park", "code": "jlp-park-x", "name": "西彭园区"}
    assert results[1]["data"] == {"id": investor.pk}
    assert results[1]["changes"]["name"] == ["将删除的投资主体", None]
    change = Change.objects.get(type="investor.deleted")
    assert (change.user, change.channel) == (admin_user, "admin")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reader_polling_the_feed_while_many_writers_commit_out_of_order_misses_nothing(
    unit, industry, manager
):
    """Writers hold their transactions open for random times, so they commit in another order
    than they began; one reader polls `after=<last seq>` all the while. What it read must be
    exactly what was committed, each once, in seq order."""
    projects = [make_project(unit=unit, industry=industry, by=manager) for _ in range(6)]
    reader_user = factories.city_user(username="feed-reader")
    start = Change.objects.order_by("-seq").values_list("seq", flat=True).first()
    done = threading.Event()
    errors: list[BaseException] = []
    read: list[int] = []

    def writer(project, rounds=8):
        try:
            for round_ in range(rounds):
                with transaction.atomic():
                    with atomic():
                        project_update(project=project, by=manager, name=f"{project.pk}-{round_}")
                        time.sleep(random.uniform(0, 0.03))  # begun early, committed late
                    if round_ % 2:
                        time.sleep(random.uniform(0, 0.01))  # seqs taken, commit still pending
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    def reader():
        client = APIClient()
        client.force_authenticate(reader_user)
        last = start
        try:
            while True:
                finished = done.is_set()
                page = client.get("/api/v1/changes/", {"after": last, "limit": 7}).json()
                read.extend(entry["seq"] for entry in page["results"])
                if page["results"]:
                    last = page["results"][-1]["seq"]
                elif finished:
                    return
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    reading = threading.Thread(target=reader)
    reading.start()
    writers = [threading.Thread(target=writer, args=(project,)) for project in projects]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(60)
    done.set()
    reading.join(60)
    assert errors == []
    committed = list(Change.objects.filter(seq__gt=start).order_by("seq").values_list("seq", flat=True))
    assert len(committed) == 6 * 8
    assert read == committed
