"""The screening list and the exit reviews over the API."""

import datetime as dt

import pytest

from exits.models import ExitReview
from pipeline.models import StageEvent
from projects.lifecycle import Stage
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def stalled(unit, industry, manager):
    project = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="久签未落项目"
    )
    advance(project, (Stage.APPROVED, D(2025, 2, 1)), (Stage.SIGNED, D(2025, 3, 10)), by=manager)
    return project


PROPOSAL = {
    "proposal": "exit",
    "reason": "签约后长期未开工",
    "date": "2025-07-01",
    "opinions": [{"from": "区经济信息委", "text": "建议退出"}, {"from": "行业主管部门", "text": "同意"}],
}


def _propose(api, user, project, body=PROPOSAL):
    return api.as_user(user).post(f"/api/v1/projects/{project.pk}/exit-reviews/", body, format="json")


def test_the_unit_proposes_and_the_manager_decides_exit(api, stalled, staff, manager):
    created = _propose(api, staff, stalled)
    assert created.status_code == 201, created.json()
    review = created.json()
    assert (review["origin"], review["proposal"], review["decision"]) == ("unit", "exit", "")
    assert [o["from"] for o in review["opinions"]] == ["区经济信息委", "行业主管部门"]
    decided = api.as_user(manager).post(
        f"/api/v1/exit-reviews/{review['id']}/decide/",
        {
            "decision": "exit",
            "date": "2025-07-20",
            "reason": "收回土地",
            "reclaimed_land_mu": "35.50",
            "reclaimed_building_m2": 1200,
        },
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert (body["decision"], body["reclaimed_land_mu"], body["reclaimed_building_m2"]) == (
        "exit",
        "35.50",
        "1200.00",
    )
    event = StageEvent.objects.get(pk=body["event"])
    assert (event.stage, event.date) == (Stage.TERMINATED, D(2025, 7, 20))
    listed = api.as_user(staff).get(f"/api/v1/projects/{stalled.pk}/exit-reviews/").json()
    assert [r["id"] for r in listed["results"]] == [review["id"]]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"decision": "exit", "date": "2025-07-20", "reason": "退出"}, "missing_field", "reclaimed_land_mu"),
        ({"decision": "keep", "date": "2025-07-20", "reason": "保留"}, "missing_field", "keep_until"),
        ({"decision": "maybe", "date": "2025-07-20", "reason": "?"}, "invalid_value", "decision"),
        (
            {"decision": "exit", "date": "2999-01-01", "reason": "退出", "reclaimed_land_mu": 1},
            "date_in_future",
            "date",
        ),
        (
            {"decision": "keep", "date": "2025-07-20", "reason": "保留", "keep_until": "2025-12-31", "x": 1},
            "unknown_field",
            "x",
        ),
    ],
)
def test_refused_decisions_write_nothing(api, stalled, manager, body, code, field):
    review_id = _propose(api, manager, stalled).json()["id"]
    response = api.as_user(manager).post(f"/api/v1/exit-reviews/{review_id}/decide/", body, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert ExitReview.objects.get(pk=review_id).decision == ""
    assert not StageEvent.objects.filter(project=stalled, stage=Stage.TERMINATED).exists()


def test_a_clerk_cannot_decide_and_nobody_decides_twice(api, stalled, staff, manager):
    review_id = _propose(api, staff, stalled).json()["id"]
    keep = {"decision": "keep", "date": "2025-07-20", "reason": "保留", "keep_until": "2025-12-31"}
    url = f"/api/v1/exit-reviews/{review_id}/decide/"
    assert api.as_user(staff).post(url, keep, format="json").status_code == 403
    assert api.as_user(manager).post(url, keep, format="json").status_code == 200
    again = api.as_user(manager).post(url, keep, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "duplicate")


def test_reviews_are_scoped_like_their_projects(api, stalled, staff, foreign_manager, city):
    review_id = _propose(api, staff, stalled).json()["id"]
    assert api.as_user(foreign_manager).get(f"/api/v1/exit-reviews/{review_id}/").status_code == 404
    assert _propose(api, foreign_manager, stalled).status_code == 404
    assert api.as_user(city).get(f"/api/v1/exit-reviews/{review_id}/").status_code == 200
    assert _propose(api, city, stalled).status_code == 403


def test_an_opinion_is_added_while_the_review_is_open(api, stalled, staff, manager):
    review_id = _propose(api, manager, stalled, {**PROPOSAL, "opinions": []}).json()["id"]
    added = api.as_user(staff).post(
        f"/api/v1/exit-reviews/{review_id}/opinions/", {"from": "区发展改革委", "text": "同意"}, format="json"
    )
    assert added.status_code == 201
    assert added.json()["opinions"][-1]["from"] == "区发展改革委"


def test_the_screening_list_of_a_month(api, stalled, manager, staff):
    response = api.as_user(manager).get("/api/v1/screenings/2025-07/")
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2025-07-31"
    assert [(r["name"], r["kind"], r["months_stuck"]) for r in body["results"]] == [
        ("久签未落项目", "not_started", 4)
    ]
    assert (
        api.as_user(manager).get("/api/v1/screenings/2025-07/?bogus=1").json()["code"] == "unknown_parameter"
    )
    assert api.as_user(manager).get("/api/v1/screenings/2025-13/").json()["field"] == "month"
    assert api.as_user(manager).get("/api/v1/screenings/2999-01/").status_code == 400


def test_the_review_list_takes_the_same_queries_for_one_review_and_for_many(
    api, unit, industry, manager, django_assert_num_queries
):
    def propose(n):
        for i in range(n):
            project = make_project(unit=unit, industry=industry, by=manager, name=f"待审项目{i}-{n}")
            _propose(api, manager, project)

    propose(1)
    client = api.as_user(manager)
    with django_assert_num_queries(3):  # count, the page, its opinions
        assert client.get("/api/v1/exit-reviews/?page=1").json()["count"] == 1
    propose(6)
    with django_assert_num_queries(3):
        assert client.get("/api/v1/exit-reviews/?page=1").json()["count"] == 7
