"""Issue 13, finding 6: with `Accept-Language: en` the schema and the answers are English —
every title, summary, description, example and error detail — and the English schema names
the same operations and components as the Chinese one, so a client generated from either is
the same."""

import json
import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def schema_in(language):
    response = APIClient().get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


def chinese_in(node, where=""):
    """(path, text) of every string holding Chinese characters or full-width punctuation."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from chinese_in(key, f"{where}/{key}#key")
            yield from chinese_in(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from chinese_in(value, f"{where}/{i}")
    elif isinstance(node, str) and CJK.search(node):
        yield where, node


def operation_ids(schema):
    return sorted(
        operation["operationId"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    )


def test_the_english_schema_has_no_chinese_character():
    schema = schema_in("en")
    assert len(CJK.findall(json.dumps(schema, ensure_ascii=False))) == 0, list(chinese_in(schema))[:10]


def test_the_chinese_schema_is_still_chinese():
    schema = schema_in("zh-hans")
    assert schema["paths"]["/api/v1/projects/"]["get"]["summary"] == "项目列表"
    assert len(CJK.findall(json.dumps(schema, ensure_ascii=False))) > 5000


def test_both_languages_give_the_same_operations_components_enums_and_tags():
    chinese, english = schema_in("zh-hans"), schema_in("en")
    assert operation_ids(chinese) == operation_ids(english)
    assert sorted(chinese["components"]["schemas"]) == sorted(english["components"]["schemas"])
    assert chinese["paths"].keys() == english["paths"].keys()
    assert [t["name"] for t in chinese["tags"]] == [t["name"] for t in english["tags"]]
    for name, component in chinese["components"]["schemas"].items():
        if "enum" in component:
            assert english["components"]["schemas"][name]["enum"] == component["enum"], name
    assert english["info"]["title"] == chinese["info"]["title"]
    assert english["paths"]["/api/v1/projects/"]["get"]["summary"] == "Projects"


def test_error_details_are_english_under_accept_language_en(api, manager, project):
    client = api.as_user(manager)
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    answers = [
        client.get("/api/v1/projects/", {"colour": "red"}, **en),
        client.get("/api/v1/projects/999999/", **en),
        client.post("/api/v1/investors/", {"name": ""}, format="json", **en),
        client.post(
            f"/api/v1/projects/{project.pk}/events/",
            {"stage": "signed", "date": "2025-02-01"},
            format="json",
            **en,
        ),
        client.patch(
            f"/api/v1/projects/{project.pk}/", {"name": "x"}, format="json", HTTP_IF_MATCH='"99"', **en
        ),
        client.put(f"/api/v1/projects/{project.pk}/progress/2025-13/", {}, format="json", **en),
        client.post("/api/v1/investors/", "{", content_type="application/json", **en),
        client.get("/api/v1/nothing/", **en),
        APIClient().get("/api/v1/projects/", **en),
    ]
    for answer in answers:
        body = answer.json()
        assert answer.status_code >= 400
        assert body["detail"] and not CJK.search(json.dumps(body, ensure_ascii=False)), body
