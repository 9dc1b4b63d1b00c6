"""Finding 8 (issue 12): the smaller holes, each as it was shown."""

import datetime as dt
import io

import pytest
from django.core import serializers
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from projects.models import Project
from tests import factories


@pytest.fixture
def api(manager):
    client = APIClient()
    client.force_authenticate(user=manager)
    return client


def test_an_error_echoes_a_bounded_part_of_the_request(api, project):
    body = {f"key-{n:06d}": 1 for n in range(200_000)}
    body["x" * 10_000] = 1
    response = api.patch(f"/api/v1/projects/{project.pk}/", body, format="json")
    assert response.status_code == 400
    assert len(response.content) < 10_000  # was 11.5 MB
    answer = response.json()
    assert answer["code"] == "unknown_field"
    assert "200001 个字段" in answer["detail"]
    assert sum(1 for key in answer if key.startswith("key-")) == 20


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
@pytest.mark.parametrize("field", ["planned_sign_date", "planned_start_date", "planned_production_date"])
def test_planned_dates_keep_to_the_range_of_event_dates(api, project, field, day):
    response = api.patch(f"/api/v1/projects/{project.pk}/", {field: day}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert "1900 年至 2100 年" in response.json()["detail"]
    assert getattr(Project.objects.get(pk=project.pk), field) is None


def test_a_planned_date_within_the_range_is_taken(api, project):
    response = api.patch(
        f"/api/v1/projects/{project.pk}/", {"planned_sign_date": "2100-12-31"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", [1.5, 1.0, True, "1.5", [1], {"id": 1}])
def test_an_investor_id_must_be_a_whole_number(api, project, value):
    investor = factories.InvestorFactory(pk=1)
    response = api.patch(f"/api/v1/projects/{project.pk}/", {"investor": value}, format="json")
    assert response.status_code == 400, value
    assert response.json()["field"] == "investor"
    assert Project.objects.get(pk=project.pk).investor_id is None
    assert (
        api.patch(f"/api/v1/projects/{project.pk}/", {"investor": investor.pk}, format="json").status_code
        == 200
    )


def test_a_system_account_signs_in_with_its_token_only(db):
    robot = factories.system_user(username="robot", read_only=True)
    robot.set_password("robot-password-1")
    robot.save()
    client = Client()
    response = client.post("/login/", {"username": "robot", "password": "robot-password-1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    robot.password_sign_in = True
    robot.save()
    response = client.post("/login/", {"username": "robot", "password": "robot-password-1"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_dumpdata_and_loaddata_keep_timestamps_to_the_microsecond(project, tmp_path):
    stamp = dt.datetime(2025, 3, 11, 9, 30, 15, 123456, tzinfo=dt.UTC)
    Project.objects.filter(pk=project.pk).update(updated_at=stamp)
    [restored] = serializers.deserialize(
        "json", serializers.serialize("json", Project.objects.filter(pk=project.pk))
    )
    assert restored.object.updated_at == stamp
    dump = tmp_path / "projects.json"
    out = io.StringIO()
    call_command("dumpdata", "projects.project", stdout=out)
    dump.write_text(out.getvalue())
    Project.objects.filter(pk=project.pk).update(updated_at=stamp + dt.timedelta(days=1))
    call_command("loaddata", str(dump), verbosity=0)
    assert Project.objects.get(pk=project.pk).updated_at == stamp
