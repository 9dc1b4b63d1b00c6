"""Refusals that happen before (or outside) an API view still answer JSON under /api/:
an unmatched URL, a body too large to read, a server error. Pages keep Django's HTML."""

import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from projects.models import Project
from tests.api.conftest import body

pytestmark = pytest.mark.django_db

UNMATCHED = [
    "/api/v1/projects/abc/",
    "/api/v1/projects/abc/events/",
    "/api/v1/nope/",
    "/api/v1/ledgers/2025-03/nope/",
    "/api/nope/",
    "/api/",
    "/api",
]


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize("url", UNMATCHED)
def test_an_unmatched_api_url_is_a_json_404(api, manager, url):
    response = api.as_user(manager).get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    data = body(response)
    assert set(data) == {"detail", "code"}
    assert data["code"] == "not_found"
    assert _is_chinese(data["detail"])


def test_an_unmatched_api_url_is_a_json_404_for_anonymous_callers_and_writes_too(api):
    for method in ("get", "post", "patch", "delete"):
        response = getattr(api, method)("/api/v1/nope/", {}, format="json")
        assert response.status_code == 404, method
        assert body(response)["code"] == "not_found", method


def test_a_page_outside_the_api_keeps_the_html_404(client, manager):
    client.force_login(manager)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_missing_record_keeps_its_own_message(api, manager):
    response = api.as_user(manager).get("/api/v1/projects/999999/")
    assert response.status_code == 404
    assert body(response) == {"detail": "项目不存在或不在您的查看范围内。", "code": "not_found"}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        (json.dumps({"description": "x" * 2000}), "application/json"),
        (json.dumps(["x" * 100] * 20), "application/json"),
    ],
)
def test_a_body_over_the_upload_limit_is_a_json_413_and_writes_nothing(
    api, manager, project, payload, content_type
):
    before = Project.objects.values().get(pk=project.pk)
    response = api.as_user(manager).patch(
        f"/api/v1/projects/{project.pk}/", payload, content_type=content_type
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    data = body(response)
    assert data["code"] == "request_too_large"
    assert _is_chinese(data["detail"]) and "1000" in data["detail"]
    assert Project.objects.values().get(pk=project.pk) == before


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_under_the_upload_limit_is_read(api, manager, project):
    response = api.as_user(manager).patch(
        f"/api/v1/projects/{project.pk}/", {"description": "x" * 200}, format="json"
    )
    assert response.status_code == 200


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_query_parameters_is_a_json_400(api, manager):
    query = "&".join(f"stage=signed&x{i}=1" for i in range(5))
    response = api.as_user(manager).get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert body(response)["code"] == "bad_request"


def test_a_server_error_under_the_api_is_json(manager, monkeypatch):
    from api import reference

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reference.DistrictViewSet, "list", broken)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(manager)
    response = client.get("/api/v1/districts/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert body(response)["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_the_413_is_documented_on_writes():
    schema = APIClient().get("/api/schema/?format=json").json()
    patch = schema["paths"]["/api/v1/projects/{id}/"]["patch"]["responses"]
    assert "413" in patch


def test_a_body_too_big_found_before_any_view_is_a_json_413_under_the_api_only(rf):
    """Django answers a RequestDataTooBig raised outside a view (a middleware reading
    request.POST) with handler400."""
    from django.core.exceptions import RequestDataTooBig

    from api.handlers import bad_request

    api_response = bad_request(rf.post("/api/v1/projects/"), RequestDataTooBig("too big"))
    assert api_response.status_code == 413
    assert json.loads(api_response.content)["code"] == "request_too_large"
    page = bad_request(rf.post("/projects/new/"), RequestDataTooBig("too big"))
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
