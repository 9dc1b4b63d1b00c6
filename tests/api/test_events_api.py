import datetime as dt
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from pipeline.models import Review, StageEvent
from projects.lifecycle import Stage
from tests import factories
from tests.api.helpers import bulk_events

pytestmark = pytest.mark.django_db

APPROVAL = {
    "stage": "approved",
    "date": "2025-03-02",
    "note": "第3次局务会",
    "industry_opinion": "符合产业方向",
    "expert_opinion": "技术可行",
    "department_opinion": "各部门同意",
}
SIGNING = {
    "stage": "signed",
    "date": "2025-04-10",
    "contract_no": "HT-18",
    "contract_investment": "120000.00",
}
EXIT = {"stage": "terminated", "date": "2025-03-01", "reason": "other"}


def events_url(project):
    return f"/api/v1/projects/{project.pk}/events/"


def void_url(project, event):
    return f"/api/v1/projects/{project.pk}/events/{event.pk}/void/"


def reviews_url(project):
    return f"/api/v1/projects/{project.pk}/reviews/"


# --- history ------------------------------------------------------------------------------------


def test_history_is_oldest_first_with_voided_events_marked(api, manager, project):
    factories.reach(project, Stage.SIGNED, start=dt.date(2025, 2, 1))
    client = api.as_user(manager)
    signing = project.events.get(stage=Stage.SIGNED)
    client.post(void_url(project, signing), {"reason": "合同金额录错"}, format="json")
    results = client.get(events_url(project)).json()["results"]
    assert [e["stage"] for e in results] == ["negotiating", "approved", "signed"]
    assert [e["is_voided"] for e in results] == [False, False, True]
    assert results[2]["void_reason"] == "合同金额录错"
    assert results[2]["voided_by"] == "manager"
    assert results[1]["industry_opinion"] == "符合产业方向"
    assert results[2]["contract_investment"] == "10000.00"


def test_history_can_be_pulled_incrementally(api, manager, project):
    StageEvent.objects.filter(project=project).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    factories.reach(project, Stage.APPROVED, start=dt.date(2025, 2, 1))
    client = api.as_user(manager)
    results = client.get(events_url(project) + "?updated_since=2021-01-01T00:00:00Z").json()["results"]
    assert [e["stage"] for e in results] == ["approved"]
    assert client.get(events_url(project) + "?since=2021").status_code == 400


def test_history_queries_do_not_grow_with_events(api, manager, project, django_assert_num_queries):
    client = api.as_user(manager)
    with django_assert_num_queries(3):  # project (scoped), count, page with users and reviews joined
        assert client.get(events_url(project) + "?page_size=500").json()["count"] == 1
    bulk_events(project, 499)
    with django_assert_num_queries(3):
        assert len(client.get(events_url(project) + "?page_size=500").json()["results"]) == 500


def test_history_of_a_project_outside_the_scope_is_404(api, foreign_manager, project):
    assert api.as_user(foreign_manager).get(events_url(project)).status_code == 404


# --- recording milestones -------------------------------------------------------------------------


def test_manager_records_the_approval_with_its_opinions(api, manager, project):
    response = api.as_user(manager).post(events_url(project), APPROVAL, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"] == "approved"
    assert data["from_stage"] == "negotiating"
    assert data["expert_opinion"] == "技术可行"
    assert response["ETag"] == '"2"'
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert Review.objects.get(project=project).decision == Review.Decision.APPROVED


def test_staff_record_the_signing_and_the_start(api, staff, staff_project):
    factories.reach(staff_project, Stage.APPROVED, start=dt.date(2025, 2, 1))
    client = api.as_user(staff)
    signing = {
        "stage": "signed",
        "date": "2025-04-10",
        "contract_no": "HT-18",
        "contract_investment": "120000.00",
    }
    response = client.post(events_url(staff_project), signing, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["contract_investment"] == "120000.00"
    assert (
        client.post(
            events_url(staff_project), {"stage": "started", "date": "2025-06-01"}, format="json"
        ).status_code
        == 201
    )
    staff_project.refresh_from_db()
    assert staff_project.stage == Stage.STARTED
    assert staff_project.contract_investment == 120000


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({**SIGNING, "date": "2025-03-01"}, "illegal_transition", "stage"),
        ({**APPROVAL, "date": "2024-12-31"}, "date_out_of_order", "date"),
        ({**APPROVAL, "date": "2999-01-01"}, "date_in_future", "date"),
        ({**APPROVAL, "expert_opinion": ""}, "missing_field", "expert_opinion"),
        ({**APPROVAL, "date": None}, "missing_field", "date"),
        ({**APPROVAL, "date": "2025-02-30"}, "invalid_value", "date"),
        ({**APPROVAL, "stage": "dreaming"}, "invalid_value", "stage"),
        ({**APPROVAL, "contract_no": "HT-1"}, "invalid_value", "contract_no"),
        ({**APPROVAL, "colour": "red"}, "unknown_field", "colour"),
        ({"stage": "terminated", "date": "2025-03-01", "reason": "boredom"}, "invalid_value", "reason"),
        ({"stage": "terminated", "date": "2025-03-01"}, "missing_field", "reason"),
        ({**EXIT, "reclaimed_land_mu": "-3"}, "invalid_value", "reclaimed_land_mu"),
    ],
)  # fmt: skip
def test_refused_milestones_name_the_rule_and_write_nothing(api, manager, project, payload, code, field):
    response = api.as_user(manager).post(events_url(project), payload, format="json")
    assert response.status_code == 400, response.json()
    data = response.json()
    assert (data["code"], data["field"]) == (code, field)
    assert data["detail"]
    assert project.events.count() == 1
    project.refresh_from_db()
    assert (project.stage, project.version) == (Stage.NEGOTIATING, 1)


def test_signing_without_contract_data_is_missing_field(api, manager, project):
    factories.reach(project, Stage.APPROVED, start=dt.date(2025, 2, 1))
    response = api.as_user(manager).post(
        events_url(project), {"stage": "signed", "date": "2025-04-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "missing_field"
    assert response.json()["field"] in ("contract_no", "contract_investment")


def test_staff_may_not_approve_or_terminate(api, staff, staff_project):
    client = api.as_user(staff)
    response = client.post(events_url(staff_project), APPROVAL, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    exit_ = {"stage": "terminated", "date": "2025-03-01", "reason": "other"}
    assert client.post(events_url(staff_project), exit_, format="json").status_code == 403


def test_milestone_with_an_older_version_is_412(api, manager, project):
    response = api.as_user(manager).post(events_url(project), APPROVAL, format="json", HTTP_IF_MATCH='"0"')
    assert response.status_code == 412
    assert response.json()["code"] == "conflict"
    assert project.events.count() == 1


def test_milestone_with_the_current_version_is_written(api, manager, project):
    response = api.as_user(manager).post(events_url(project), APPROVAL, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 201


@pytest.mark.parametrize("who", ["city", "read_only_system"])
def test_read_only_users_record_nothing(api, project, who, request):
    response = api.as_user(request.getfixturevalue(who)).post(events_url(project), APPROVAL, format="json")
    assert response.status_code == 403
    assert project.events.count() == 1


def test_foreign_manager_cannot_record_on_another_district(api, foreign_manager, project):
    assert api.as_user(foreign_manager).post(events_url(project), APPROVAL, format="json").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_callers_racing_for_the_same_step_one_wins(district, unit, industry, manager):
    project = factories.make_project(unit=unit, industry=industry)
    barrier = threading.Barrier(2)
    statuses, bodies = [], []

    def post():
        client = APIClient()
        client.force_authenticate(manager)
        barrier.wait()
        response = client.post(events_url(project), APPROVAL, format="json")
        statuses.append(response.status_code)
        bodies.append(response.json())
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 400]
    assert [b["code"] for b in bodies if "code" in b] == ["illegal_transition"]
    assert project.events.filter(stage=Stage.APPROVED).count() == 1


# --- voiding ------------------------------------------------------------------------------------------


def test_manager_voids_the_latest_event_and_the_project_falls_back(api, manager, project):
    factories.reach(project, Stage.SIGNED, start=dt.date(2025, 2, 1))
    project.refresh_from_db()
    signing = project.events.get(stage=Stage.SIGNED)
    response = api.as_user(manager).post(
        void_url(project, signing), {"reason": "录错"}, format="json", HTTP_IF_MATCH=f'"{project.version}"'
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_voided"] is True
    assert response["ETag"] == f'"{project.version + 1}"'
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert project.signed_on is None


def test_void_refusals(api, manager, project):
    factories.reach(project, Stage.SIGNED, start=dt.date(2025, 2, 1))
    client = api.as_user(manager)
    approval = project.events.get(stage=Stage.APPROVED)
    signing = project.events.get(stage=Stage.SIGNED)
    creation = project.events.get(stage=Stage.NEGOTIATING)

    no_reason = client.post(void_url(project, signing), {"reason": " "}, format="json")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "missing_field")
    not_latest = client.post(void_url(project, approval), {"reason": "x"}, format="json")
    assert (not_latest.status_code, not_latest.json()["code"]) == (400, "not_voidable")
    stale = client.post(void_url(project, signing), {"reason": "x"}, format="json", HTTP_IF_MATCH='"1"')
    assert (stale.status_code, stale.json()["code"]) == (412, "conflict")
    assert client.post(void_url(project, signing), {"reason": "x"}, format="json").status_code == 200
    again = client.post(void_url(project, signing), {"reason": "x"}, format="json")
    assert (again.status_code, again.json()["code"]) == (400, "not_voidable")
    client.post(void_url(project, approval), {"reason": "x"}, format="json")
    first = client.post(void_url(project, creation), {"reason": "x"}, format="json")
    assert (first.status_code, first.json()["code"]) == (400, "not_voidable")


def test_an_event_of_another_project_is_404(api, manager, project, unit, industry):
    other = factories.make_project(unit=unit, industry=industry)
    response = api.as_user(manager).post(
        void_url(project, other.events.get()), {"reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_staff_cannot_void(api, staff, staff_project):
    factories.reach(staff_project, Stage.APPROVED, start=dt.date(2025, 2, 1))
    event = staff_project.events.get(stage=Stage.APPROVED)
    response = api.as_user(staff).post(void_url(staff_project, event), {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


# --- reviews --------------------------------------------------------------------------------------------


REVIEW = {
    "date": "2025-03-02",
    "industry_opinion": "符合产业方向",
    "expert_opinion": "市场风险较大",
    "department_opinion": "暂缓",
}


def test_a_rejecting_review_is_kept_and_the_project_stays_negotiating(api, manager, project):
    client = api.as_user(manager)
    response = client.post(reviews_url(project), {**REVIEW, "decision": "rejected"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["event"] is None
    assert response["ETag"] == '"2"'
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    approve = client.post(reviews_url(project), {**REVIEW, "decision": "approved"}, format="json")
    assert approve.status_code == 201
    assert approve.json()["event"] is not None
    listed = client.get(reviews_url(project)).json()["results"]
    assert [r["decision"] for r in listed] == ["rejected", "approved"]
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"decision": "maybe"}, 400, "invalid_value"),
        ({"decision": "rejected", "expert_opinion": ""}, 400, "missing_field"),
        ({"decision": "rejected", "date": "2999-01-01"}, 400, "date_in_future"),
    ],
)
def test_refused_reviews(api, manager, project, change, status, code):
    response = api.as_user(manager).post(reviews_url(project), {**REVIEW, **change}, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Review.objects.exists()


def test_only_managers_review(api, staff, staff_project, city):
    payload = {**REVIEW, "decision": "rejected"}
    assert api.as_user(staff).post(reviews_url(staff_project), payload, format="json").status_code == 403
    assert api.as_user(city).post(reviews_url(staff_project), payload, format="json").status_code == 403
    assert api.as_user(city).get(reviews_url(staff_project)).status_code == 200


def test_review_with_an_older_version_is_412(api, manager, project):
    response = api.as_user(manager).post(
        reviews_url(project), {**REVIEW, "decision": "rejected"}, format="json", HTTP_IF_MATCH='"7"'
    )
    assert (response.status_code, response.json()["code"]) == (412, "conflict")


# --- incremental pulls across projects -------------------------------------------------------------------


def test_all_events_are_scoped_and_pullable_since(api, manager, city, project, foreign_project):
    assert api.as_user(manager).get("/api/v1/events/").json()["count"] == 1
    assert api.as_user(city).get("/api/v1/events/").json()["count"] == 2
    assert api.as_user(city).get(f"/api/v1/events/?project={project.pk}").json()["count"] == 1
    assert api.as_user(city).get("/api/v1/events/?updated_since=2999-01-01T00:00:00Z").json()["count"] == 0
    assert api.as_user(city).get("/api/v1/events/?project=x").status_code == 400
