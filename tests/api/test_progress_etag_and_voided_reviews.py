"""Issue 13, findings 4 and 5: a month's progress is replaced only by a writer who saw its
current version (If-Match / ETag, as every other write), and voiding an approval reaches the
review it was: its decision becomes `voided` and its updated_at moves on."""

import datetime as dt
import time
from decimal import Decimal

import pytest

from changes.models import Change
from pipeline.models import MonthlyProgress, Review
from pipeline.progress import progress_save
from pipeline.transitions import review_record
from projects.lifecycle import Stage

pytestmark = pytest.mark.django_db

OPINIONS = {"industry_opinion": "符合", "expert_opinion": "可行", "department_opinion": "同意"}


def month_url(project, month="2025-02"):
    return f"/api/v1/projects/{project.pk}/progress/{month}/"


# --- finding 5: progress PUT with If-Match ----------------------------------------------------


def test_put_and_get_return_the_months_etag(api, manager, project):
    client = api.as_user(manager)
    created = client.put(month_url(project), {"funds_in_place": "1.00"}, format="json")
    assert created.status_code == 201
    tag = created["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert client.get(month_url(project))["ETag"] == tag


def test_put_with_the_current_etag_replaces_and_moves_the_etag_on(api, manager, project):
    client = api.as_user(manager)
    tag = client.put(month_url(project), {"funds_in_place": "1.00"}, format="json")["ETag"]
    time.sleep(0.002)
    replaced = client.put(month_url(project), {"funds_in_place": "2.00"}, format="json", HTTP_IF_MATCH=tag)
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["funds_in_place"] == "2.00"
    assert replaced["ETag"] != tag


def test_put_with_a_stale_etag_is_412_and_writes_nothing(api, manager, staff, project):
    client = api.as_user(manager)
    stale = client.put(month_url(project), {"funds_in_place": "1.00"}, format="json")["ETag"]
    time.sleep(0.002)
    progress_save(project=project, by=manager, month=dt.date(2025, 2, 1), funds_in_place=Decimal("7"))
    changes = Change.objects.count()
    refused = client.put(month_url(project), {"funds_in_place": "3.00"}, format="json", HTTP_IF_MATCH=stale)
    assert refused.status_code == 412
    assert refused.json()["code"] == "conflict"
    assert MonthlyProgress.objects.get().funds_in_place == Decimal("7.00")
    assert Change.objects.count() == changes


def test_put_with_an_etag_for_a_month_not_filed_is_412(api, manager, project):
    response = api.as_user(manager).put(
        month_url(project), {"funds_in_place": "1"}, format="json", HTTP_IF_MATCH='"1733300000000000"'
    )
    assert response.status_code == 412
    assert not MonthlyProgress.objects.exists()


def test_an_unreadable_if_match_is_400_naming_the_header(api, manager, project):
    response = api.as_user(manager).put(
        month_url(project), {"funds_in_place": "1"}, format="json", HTTP_IF_MATCH="yesterday"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "If-Match"


def test_the_schema_documents_if_match_etag_and_412_on_progress(schema):
    put = schema["paths"]["/api/v1/projects/{project_id}/progress/{month}/"]["put"]
    assert "If-Match" in {p["name"] for p in put["parameters"]}
    assert "412" in put["responses"]
    assert "ETag" in put["responses"]["200"]["headers"] and "ETag" in put["responses"]["201"]["headers"]


# --- finding 4: voiding an approval reaches its review ----------------------------------------


def test_voiding_the_approval_marks_its_review_voided(api, manager, project):
    review = review_record(
        project=project, by=manager, decision="approved", date=dt.date(2025, 2, 1), **OPINIONS
    )
    before = Review.objects.get(pk=review.pk).updated_at
    client = api.as_user(manager)
    listed = client.get(f"/api/v1/projects/{project.pk}/reviews/").json()["results"]
    assert [r["decision"] for r in listed] == ["approved"]

    time.sleep(0.002)
    voided = client.post(
        f"/api/v1/projects/{project.pk}/events/{review.event_id}/void/",
        {"reason": "审议材料有误"},
        format="json",
    )
    assert voided.status_code == 200, voided.json()

    (row,) = client.get(f"/api/v1/projects/{project.pk}/reviews/").json()["results"]
    assert row["decision"] == "voided"
    assert row["updated_at"] > before.isoformat()
    since = client.get(f"/api/v1/projects/{project.pk}/reviews/", {"updated_since": row["updated_at"]})
    assert [r["id"] for r in since.json()["results"]] == [review.pk]
    change = Change.objects.filter(type="review.voided").get()
    assert change.object_id == review.pk and change.changes == {"decision": ["approved", "voided"]}


def test_a_voided_approval_can_be_approved_again_and_both_reviews_remain(api, manager, project):
    first = review_record(
        project=project, by=manager, decision="approved", date=dt.date(2025, 2, 1), **OPINIONS
    )
    client = api.as_user(manager)
    client.post(
        f"/api/v1/projects/{project.pk}/events/{first.event_id}/void/", {"reason": "重审"}, format="json"
    )
    again = client.post(
        f"/api/v1/projects/{project.pk}/reviews/",
        {"decision": "approved", "date": "2025-02-10", **OPINIONS},
        format="json",
    )
    assert again.status_code == 201, again.json()
    decisions = [
        r["decision"] for r in client.get(f"/api/v1/projects/{project.pk}/reviews/").json()["results"]
    ]
    assert decisions == ["voided", "approved"]
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED


def test_voided_is_not_a_decision_a_caller_can_record(api, manager, project):
    response = api.as_user(manager).post(
        f"/api/v1/projects/{project.pk}/reviews/", {"decision": "voided", **OPINIONS}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "decision"
    assert not Review.objects.exists()


def test_voiding_a_signing_leaves_the_approving_review_standing(api, manager, project):
    from tests import factories

    factories.advance(
        project, (Stage.APPROVED, dt.date(2025, 2, 1)), (Stage.SIGNED, dt.date(2025, 3, 1)), by=manager
    )
    signing = project.events.get(stage=Stage.SIGNED)
    client = api.as_user(manager)
    client.post(f"/api/v1/projects/{project.pk}/events/{signing.pk}/void/", {"reason": "录错"}, format="json")
    assert list(Review.objects.values_list("decision", flat=True)) == ["approved"]
