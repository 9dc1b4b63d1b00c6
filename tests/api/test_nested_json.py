"""A JSON body nested too deep is a 400 in the API's error shape, never a RecursionError (500)."""

import pytest

from api.parsers import MAX_DEPTH
from projects.models import Project

pytestmark = pytest.mark.django_db

BODIES = {
    "lists_1000_deep": "[" * 1000 + "]" * 1000,
    "objects_1000_deep": '{"name": ' * 1000 + '"x"' + "}" * 1000,
    "lists_100000_deep": "[" * 100_000 + "]" * 100_000,
    "just_past_the_limit": '{"name": "x", "data": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}",
}


def assert_refused_as_too_deep(response):
    assert response.status_code == 400, response.content[:300]
    data = response.json()
    assert data["code"] == "parse_error"
    assert data["detail"] == f"请求正文的 JSON 嵌套层数过多（上限 {MAX_DEPTH} 层），未处理。"


@pytest.mark.parametrize("payload", BODIES.values(), ids=BODIES.keys())
def test_a_deeply_nested_body_to_create_a_project_is_a_400(api, manager, project, payload):
    response = api.as_user(manager).post("/api/v1/projects/", payload, content_type="application/json")
    assert_refused_as_too_deep(response)
    assert Project.objects.count() == 1


@pytest.mark.parametrize("payload", BODIES.values(), ids=BODIES.keys())
def test_a_deeply_nested_body_to_edit_a_project_is_a_400(api, manager, project, payload):
    response = api.as_user(manager).patch(
        f"/api/v1/projects/{project.pk}/", payload, content_type="application/json"
    )
    assert_refused_as_too_deep(response)
    project.refresh_from_db()
    assert project.version == 1 and project.name == "立琻半导体项目"


def test_nesting_up_to_the_limit_is_parsed(api, manager, project):
    """At MAX_DEPTH levels the body is read and judged on its content like any other."""
    payload = '{"name": "x", "data": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    response = api.as_user(manager).post("/api/v1/projects/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] != "parse_error"
