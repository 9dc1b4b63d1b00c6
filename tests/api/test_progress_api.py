import datetime as dt
from decimal import Decimal

import pytest

from core.dates import add_months, format_month, local_today
from pipeline.models import MonthlyProgress
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests import factories

pytestmark = pytest.mark.django_db


def month_url(project, month):
    return f"/api/v1/projects/{project.pk}/progress/{month}/"


def list_url(project):
    return f"/api/v1/projects/{project.pk}/progress/"


FILING = {
    "funds_in_place": "1200.50",
    "investment_completed": "800.00",
    "progress": "主体封顶",
    "problems": "缺电",
}


def test_put_creates_then_replaces_the_months_record(api, staff, staff_project):
    client = api.as_user(staff)
    created = client.put(month_url(staff_project, "2025-02"), FILING, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["month"] == "2025-02"
    assert created.json()["funds_in_place"] == "1200.50"
    replaced = client.put(month_url(staff_project, "2025-02"), {"funds_in_place": "5"}, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["funds_in_place"] == "5.00"
    assert replaced.json()["problems"] == ""
    record = MonthlyProgress.objects.get()
    assert (record.month, record.funds_in_place) == (dt.date(2025, 2, 1), Decimal("5.00"))


def test_list_is_oldest_month_first_and_read_by_month(api, manager, project):
    for month in (dt.date(2025, 3, 1), dt.date(2025, 2, 1)):
        progress_save(project=project, by=manager, month=month, funds_in_place=Decimal("1"))
    client = api.as_user(manager)
    assert [r["month"] for r in client.get(list_url(project)).json()["results"]] == ["2025-02", "2025-03"]
    assert client.get(list_url(project) + "?month_from=2025-03").json()["count"] == 1
    assert client.get(list_url(project) + "?month_from=2025-3").status_code == 400
    assert client.get(month_url(project, "2025-03")).json()["funds_in_place"] == "1.00"
    missing = client.get(month_url(project, "2025-04"))
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("month", ["2025-13", "2025-1", "25-01", "garbage", "2025-00", "0000-01"])
def test_a_bad_month_is_400(api, manager, project, month):
    response = api.as_user(manager).put(month_url(project, month), FILING, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid_value", "month")
    assert not MonthlyProgress.objects.exists()


def test_future_months_and_months_before_negotiations_are_refused(api, manager, project):
    client = api.as_user(manager)
    future = format_month(add_months(local_today(), 1))
    assert client.put(month_url(project, future), FILING, format="json").json()["field"] == "month"
    early = client.put(month_url(project, "2024-12"), FILING, format="json")
    assert (early.status_code, early.json()["field"]) == (400, "month")
    assert not MonthlyProgress.objects.exists()


def test_no_months_after_termination(api, manager, project):
    factories.advance(project, (Stage.TERMINATED, dt.date(2025, 3, 10)))
    response = api.as_user(manager).put(month_url(project, "2025-04"), FILING, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_value")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"funds_in_place": "-1"}, "funds_in_place"),
        ({"funds_in_place": "abc"}, "funds_in_place"),
        ({"investment_completed": "1e30"}, "investment_completed"),
        ({"month": "2025-03"}, "month"),
    ],
)
def test_bad_amounts_are_400(api, manager, project, change, field):
    response = api.as_user(manager).put(month_url(project, "2025-02"), {**FILING, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not MonthlyProgress.objects.exists()


def test_only_the_projects_unit_or_managers_file(api, colleague, foreign_manager, city, project, staff):
    assert api.as_user(colleague).put(month_url(project, "2025-02"), FILING, format="json").status_code == 404
    assert (
        api.as_user(foreign_manager).put(month_url(project, "2025-02"), FILING, format="json").status_code
        == 404
    )
    assert api.as_user(city).put(month_url(project, "2025-02"), FILING, format="json").status_code == 403
    assert api.as_user(city).get(list_url(project)).status_code == 200
    assert api.as_user(staff).put(month_url(project, "2025-02"), FILING, format="json").status_code == 201


def test_all_progress_is_scoped_and_pullable_since(api, manager, city, project, foreign_project):
    progress_save(project=project, by=manager, month=dt.date(2025, 2, 1), funds_in_place=Decimal("1"))
    foreign = factories.manager_of(foreign_project.district)
    progress_save(project=foreign_project, by=foreign, month=dt.date(2025, 2, 1), funds_in_place=Decimal("1"))
    assert api.as_user(manager).get("/api/v1/progress/").json()["count"] == 1
    assert api.as_user(city).get("/api/v1/progress/").json()["count"] == 2
    assert api.as_user(city).get("/api/v1/progress/?updated_since=2999-01-01T00:00:00Z").json()["count"] == 0
