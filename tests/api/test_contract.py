"""What a client generated from the schema relies on: JSON bodies only, both URL forms under
/api/ without a redirect that turns a POST into a GET, and month patterns that mean months."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_a_post_without_the_trailing_slash_creates_instead_of_redirecting(api, manager, unit, industry):
    body = {"name": "无斜杠新建项目", "unit": unit.code, "industry": industry.code}
    response = api.as_user(manager).post("/api/v1/projects", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "无斜杠新建项目"


def test_a_get_without_the_trailing_slash_answers_without_a_redirect(api, manager, project):
    response = api.as_user(manager).get(f"/api/v1/projects/{project.pk}")
    assert response.status_code == 200
    assert response.json()["code"] == project.code


def test_an_unknown_path_without_a_slash_is_still_a_json_404(api, manager):
    response = api.as_user(manager).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_a_form_body_is_refused_with_415_and_writes_nothing(api, manager, fmt):
    from projects.models import Investor

    client = api.as_user(manager)
    if fmt == "multipart":
        response = client.post("/api/v1/investors/", {"name": "表单投资主体", "is_high_tech": "true"})
    else:
        response = client.post(
            "/api/v1/investors/",
            "name=%E8%A1%A8%E5%8D%95&is_high_tech=true",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Investor.objects.exists()


def test_the_schema_offers_json_request_bodies_only(schema):
    """JSON everywhere; multipart only for the one file upload, the 台账 import."""
    media: dict[str, set[str]] = {}
    for route, path in schema["paths"].items():
        for operation in path.values():
            if isinstance(operation, dict):
                for kind in operation.get("requestBody", {}).get("content", {}):
                    media.setdefault(kind, set()).add(route)
    assert set(media) == {"application/json", "multipart/form-data"}
    assert media["multipart/form-data"] == {"/api/v1/imports/"}
    assert "/api/v1/imports/" not in media["application/json"]


def test_month_path_parameters_accept_only_real_months(schema):
    patterns = {
        parameter["schema"]["pattern"]
        for path in schema["paths"].values()
        for parameter in path.get("parameters", [])
        + [
            p
            for operation in path.values()
            if isinstance(operation, dict)
            for p in operation.get("parameters", [])
        ]
        if parameter.get("name") == "month" and parameter.get("in") == "path"
    }
    assert patterns
    for pattern in patterns:
        assert re.match(pattern, "2025-12") and re.match(pattern, "2025-01")
        assert not re.match(pattern, "2025-13") and not re.match(pattern, "2025-00")
