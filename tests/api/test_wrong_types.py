"""JSON's own types, strictly: a number where text belongs, or a word where a boolean belongs,
is a 400 naming the field, and nothing is written (DRF alone would read 123 as "123")."""

import pytest

from pipeline.models import MonthlyProgress, StageEvent
from projects.lifecycle import Stage
from projects.models import Investor, Project
from tests import factories
from tests.api.conftest import body
from tests.api.test_projects_api import new_project_payload

pytestmark = pytest.mark.django_db


def refused(response, field):
    assert response.status_code == 400, response.content
    assert body(response)["code"] == "invalid_value"
    assert field in body(response)


@pytest.mark.parametrize(
    ("field", "value"), [("name", 123), ("description", ["a"]), ("total_investment", True)]
)
def test_a_project_with_a_wrong_type_is_refused(api, manager, unit, industry, field, value):
    response = api.as_user(manager).post(
        "/api/v1/projects/", new_project_payload(**{field: value}), format="json"
    )
    refused(response, field)
    assert not Project.objects.exists()


def test_a_patch_with_a_wrong_type_changes_nothing(api, manager, project):
    response = api.as_user(manager).patch(f"/api/v1/projects/{project.pk}/", {"name": 42}, format="json")
    refused(response, "name")
    assert Project.objects.get(pk=project.pk).name == project.name


@pytest.mark.parametrize(("field", "value"), [("is_high_tech", "yes"), ("is_listed", 1), ("name", 7)])
def test_an_investor_with_a_wrong_type_is_refused(api, manager, field, value):
    payload = {"name": "某投资公司", field: value} if field != "name" else {"name": value}
    refused(api.as_user(manager).post("/api/v1/investors/", payload, format="json"), field)
    assert not Investor.objects.exists()


def test_a_milestone_with_a_numeric_contract_number_is_refused(api, manager, project):
    factories.reach(project, Stage.APPROVED, by=manager)
    before = StageEvent.objects.count()
    payload = {
        "stage": "signed",
        "date": "2025-04-10",
        "contract_no": 2025001,
        "contract_investment": "100.00",
    }
    refused(
        api.as_user(manager).post(f"/api/v1/projects/{project.pk}/events/", payload, format="json"),
        "contract_no",
    )
    assert StageEvent.objects.count() == before


def test_progress_with_a_numeric_text_is_refused(api, manager, project):
    response = api.as_user(manager).put(
        f"/api/v1/projects/{project.pk}/progress/2025-03/",
        {"funds_in_place": "1.00", "progress": 5},
        format="json",
    )
    refused(response, "progress")
    assert not MonthlyProgress.objects.exists()


def test_money_may_be_a_json_number_as_the_schema_says(api, manager, unit, industry, schema):
    payload = new_project_payload(total_investment=80000.5, land_area_mu=120)
    response = api.as_user(manager).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 201, response.content
    assert body(response)["total_investment"] == "80000.50"
    assert body(response)["land_area_mu"] == "120.00"
    documented = schema["components"]["schemas"]["ProjectCreateInputRequest"]["properties"]
    types = [variant["type"] for variant in documented["total_investment"]["oneOf"]]
    assert types == ["string", "number"]


def test_money_with_a_fraction_of_a_fen_is_refused(api, manager, unit, industry):
    payload = new_project_payload(total_investment=0.1 + 0.2)
    refused_amount = api.as_user(manager).post("/api/v1/projects/", payload, format="json")
    assert refused_amount.status_code == 400
    assert "total_investment" in body(refused_amount)
    assert not Project.objects.exists()
