"""/api/v1/reminders/: listing (scoped, filtered, paginated), one letter, issuing a month and
acknowledging — the rules are pipeline.reminders'; here the HTTP shape and the refusals."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pipeline.models import Reminder
from pipeline.reminders import reminder_acknowledge, reminders_issue
from tests import factories
from tests.api.conftest import body
from tests.factories import make_project

D = dt.date
URL = "/api/v1/reminders/"


@pytest.fixture
def april(stale, district, manager):
    return reminders_issue(district=district, month="2025-04", by=manager).created[0]


@pytest.fixture
def foreign_april(foreign_unit, industry, foreign_manager, other_district):
    make_project(unit=foreign_unit, industry=industry, by=foreign_manager, started=D(2025, 1, 6))
    return reminders_issue(district=other_district, month="2025-04", by=foreign_manager).created[0]


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in body(response)["results"]]


# --- reading ---------------------------------------------------------------------------------


def test_the_list_is_paginated_and_shows_unit_month_kind_projects_and_signing(api, april, staff, stale):
    response = api.as_user(staff).get(URL)
    data = body(response)
    assert set(data) == {"count", "next", "previous", "results"}
    [row] = data["results"]
    assert row["id"] == april.pk
    assert row["unit"] == "jlp-econ" and row["unit_name"] == "区经济信息委"
    assert row["district"] == "jiulongpo"
    assert (row["month"], row["kind"], row["kind_display"]) == ("2025-04", "notice", "工作提示函")
    assert row["project_count"] == 1
    assert row["projects"] == [{"id": stale.pk, "code": stale.code, "name": "久谈未定项目"}]
    assert row["issued_by"] == "manager" and row["issued_at"]
    assert row["is_acknowledged"] is False and row["acknowledged_by"] is None


def test_each_role_lists_the_reminders_of_its_scope(
    api, april, foreign_april, staff, colleague, manager, foreign_manager, city, system
):
    assert ids(api.as_user(staff).get(URL)) == [april.pk]
    assert ids(api.as_user(colleague).get(URL)) == []
    assert ids(api.as_user(manager).get(URL)) == [april.pk]
    assert ids(api.as_user(system).get(URL)) == [april.pk]
    assert ids(api.as_user(foreign_manager).get(URL)) == [foreign_april.pk]
    assert ids(api.as_user(city).get(URL)) == [april.pk, foreign_april.pk]


def test_the_list_filters_by_month_unit_kind_district_and_acknowledged(
    api, april, foreign_april, city, district, manager, staff
):
    [may] = reminders_issue(district=district, month="2025-05", by=manager).created
    reminder_acknowledge(reminder=april, by=staff)
    client = api.as_user(city)
    assert ids(client.get(URL, {"month": "2025-05"})) == [may.pk]
    assert ids(client.get(URL, {"unit": "jlp-econ"})) == [april.pk, may.pk]
    assert ids(client.get(URL, {"kind": "urging"})) == [may.pk]
    assert ids(client.get(URL, {"district": "jiangjin"})) == [foreign_april.pk]
    assert ids(client.get(URL, {"acknowledged": "true"})) == [april.pk]
    assert ids(client.get(URL, {"acknowledged": "false"})) == [foreign_april.pk, may.pk]
    assert ids(client.get(URL, {"ordering": "-month"})) == [may.pk, april.pk, foreign_april.pk]


def test_updated_since_returns_reminders_signed_for_since(api, april, foreign_april, city, staff):
    since = dt.datetime.now(dt.UTC).isoformat()
    assert ids(api.as_user(city).get(URL, {"updated_since": since})) == []
    reminder_acknowledge(reminder=april, by=staff)
    assert ids(api.as_user(city).get(URL, {"updated_since": since})) == [april.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2025/04"}, "month"),
        ({"kind": "letter"}, "kind"),
        ({"unit": "nowhere"}, "unit"),
        ({"acknowledged": "maybe"}, "acknowledged"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"monthh": "2025-04"}, "monthh"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(api, city, params, field):
    response = api.as_user(city).get(URL, params)
    assert response.status_code == 400
    assert body(response)["field"] == field
    assert body(response)["code"] in ("invalid_value", "unknown_parameter")


def test_listing_takes_the_same_queries_for_one_reminder_or_many(api, district, manager, city, industry):
    def add_units(count):
        for _ in range(count):
            unit = factories.UnitFactory(district=district)
            make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
            make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 8))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.as_user(city).get(URL)
        assert response.status_code == 200
        return len(captured.captured_queries), body(response)["count"]

    add_units(1)
    reminders_issue(district=district, month="2025-04", by=manager)
    one = queries()
    add_units(9)
    reminders_issue(district=district, month="2025-05", by=manager)
    many = queries()
    assert (one[1], many[1]) == (1, 11)
    assert one[0] == many[0] == 3  # count, page, the page's projects


def test_a_reminder_shows_its_projects_as_of_the_months_end(api, april, staff, stale):
    response = api.as_user(staff).get(f"{URL}{april.pk}/")
    assert response.status_code == 200
    [item] = body(response)["items"]
    assert item == {
        "id": stale.pk,
        "code": stale.code,
        "name": "久谈未定项目",
        "stage": "negotiating",
        "stage_label": "在谈",
        "stage_since": "2025-01-06",
        "months_in_stage": 3,
        "planned_production_date": None,
        "reason": "谈而未定",
        "still_overdue": True,
        "repeated": False,
    }


def test_a_reminder_outside_the_callers_scope_is_a_404(api, april, colleague, foreign_manager):
    for user in (colleague, foreign_manager):
        response = api.as_user(user).get(f"{URL}{april.pk}/")
        assert response.status_code == 404
        assert body(response)["code"] == "not_found"


# --- issuing ---------------------------------------------------------------------------------


def test_a_manager_issues_a_month_and_issuing_again_reports_the_units_already_issued(
    api, stale, manager, district
):
    client = api.as_user(manager)
    first = client.post(f"{URL}issue/", {"month": "2025-04", "district": "jiulongpo"}, format="json")
    assert first.status_code == 201, first.content
    data = body(first)
    assert (data["district"], data["month"], data["as_of"]) == ("jiulongpo", "2025-04", "2025-04-30")
    [created] = data["created"]
    assert created["kind"] == "notice" and created["unit"] == "jlp-econ"
    assert data["extended"] == [] and data["already_issued"] == []

    again = client.post(f"{URL}issue/", {"month": "2025-04"}, format="json")  # own district by default
    assert again.status_code == 200
    assert body(again)["created"] == []
    assert [row["id"] for row in body(again)["already_issued"]] == [created["id"]]
    assert Reminder.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "city", "foreign_manager", "read_only_system"])
def test_only_a_manager_of_the_district_may_issue(api, stale, who, request):
    user = request.getfixturevalue(who)
    response = api.as_user(user).post(
        f"{URL}issue/", {"month": "2025-04", "district": "jiulongpo"}, format="json"
    )
    assert response.status_code == 403
    assert body(response)["code"] == "forbidden"
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({}, "month", "missing_field"),
        ({"month": "2025-13"}, "month", "invalid_value"),
        ({"month": "2999-01"}, "month", "invalid_value"),
        ({"month": "2025-04", "district": "nowhere"}, "district", "invalid_value"),
        ({"month": "2025-04", "note": "x"}, "note", "unknown_field"),
    ],
)
def test_bad_issue_requests_are_a_400_naming_the_field(api, manager, stale, payload, field, code):
    response = api.as_user(manager).post(f"{URL}issue/", payload, format="json")
    assert response.status_code == 400, response.content
    assert (body(response)["field"], body(response)["code"]) == (field, code)
    assert not Reminder.objects.exists()


def test_a_city_wide_account_must_name_the_district(api, stale, db):
    robot = factories.system_user(None, username="city-robot")
    response = api.as_user(robot).post(f"{URL}issue/", {"month": "2025-04"}, format="json")
    assert response.status_code == 400
    assert body(response)["field"] == "district"


# --- acknowledging ---------------------------------------------------------------------------


def test_staff_of_the_unit_acknowledge_once(api, april, staff):
    client = api.as_user(staff)
    response = client.post(f"{URL}{april.pk}/acknowledge/")
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["is_acknowledged"] is True and data["acknowledged_by"] == "clerk"
    assert data["items"][0]["reason"] == "谈而未定"
    again = client.post(f"{URL}{april.pk}/acknowledge/")
    assert again.status_code == 400
    assert body(again)["code"] == "duplicate"


def test_a_clerk_of_another_unit_cannot_acknowledge_and_city_users_only_read(api, april, colleague, city):
    assert api.as_user(colleague).post(f"{URL}{april.pk}/acknowledge/").status_code == 404
    response = api.as_user(city).post(f"{URL}{april.pk}/acknowledge/")
    assert response.status_code == 403
    assert body(response)["code"] == "forbidden"
    assert Reminder.objects.get(pk=april.pk).acknowledged_at is None


def test_a_manager_of_the_district_may_acknowledge(api, april, manager):
    response = api.as_user(manager).post(f"{URL}{april.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 200
    assert body(response)["acknowledged_by"] == "manager"


def test_acknowledge_takes_no_body(api, april, staff):
    response = api.as_user(staff).post(f"{URL}{april.pk}/acknowledge/", {"when": "now"}, format="json")
    assert response.status_code == 400
    assert body(response)["code"] == "unknown_field"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"])
def test_updated_since_at_the_edge_of_the_calendar_is_a_400_naming_it(api, april, city, moment):
    """Regression: the reminders list had its own updated_since without the range check (a 500)."""
    response = api.as_user(city).get(URL, {"updated_since": moment})
    assert response.status_code == 400
    assert response.json()["field"] == "updated_since"
