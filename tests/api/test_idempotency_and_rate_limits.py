"""Issue 13, finding 8: the same POST twice with the same Idempotency-Key makes one object and
replays the first answer; every API response says where the caller stands against its rate."""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.models import Investor, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(manager):
    """A caller authenticated as integrators are, by token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=manager).key}")
    return client


def project_body(unit, industry, name="幂等测试项目"):
    return {"name": name, "unit": unit.code, "industry": industry.code}


def test_the_same_post_twice_with_one_key_makes_one_project(token_client, unit, industry):
    first = token_client.post(
        "/api/v1/projects/", project_body(unit, industry), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = token_client.post(
        "/api/v1/projects/", project_body(unit, industry), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"] and again["ETag"] == first["ETag"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Project.objects.count() == 1


def test_without_a_key_or_with_another_key_each_post_writes(token_client, unit, industry):
    token_client.post("/api/v1/investors/", {"name": "甲"}, format="json")
    token_client.post("/api/v1/investors/", {"name": "甲"}, format="json")
    token_client.post("/api/v1/investors/", {"name": "乙"}, format="json", HTTP_IDEMPOTENCY_KEY="a")
    token_client.post("/api/v1/investors/", {"name": "乙"}, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert Investor.objects.count() == 4


def test_a_key_reused_for_another_body_is_422_and_writes_nothing(token_client):
    token_client.post("/api/v1/investors/", {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    other = token_client.post(
        "/api/v1/investors/", {"name": "乙"}, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert list(Investor.objects.values_list("name", flat=True)) == ["甲"]


def test_a_refusal_is_not_kept_so_the_corrected_retry_is_served(token_client):
    refused = token_client.post("/api/v1/investors/", {"name": ""}, format="json", HTTP_IDEMPOTENCY_KEY="r")
    assert refused.status_code == 400
    again = token_client.post("/api/v1/investors/", {"name": ""}, format="json", HTTP_IDEMPOTENCY_KEY="r")
    assert again.status_code == 400 and not again.has_header("Idempotent-Replayed")


def test_keys_belong_to_their_caller(token_client, district):
    from tests import factories

    other = APIClient()
    other_user = factories.manager_of(district, username="other-manager")
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other_user).key}")
    token_client.post("/api/v1/investors/", {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    mine = other.post("/api/v1/investors/", {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert mine.status_code == 201 and not mine.has_header("Idempotent-Replayed")
    assert Investor.objects.count() == 2


def test_a_session_caller_gets_the_replay_too(api, manager):
    client = APIClient()
    client.force_login(manager)
    first = client.post("/api/v1/investors/", {"name": "会话"}, format="json", HTTP_IDEMPOTENCY_KEY="s")
    again = client.post("/api/v1/investors/", {"name": "会话"}, format="json", HTTP_IDEMPOTENCY_KEY="s")
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]


def test_an_unreadable_key_is_400_naming_the_header(token_client):
    response = token_client.post(
        "/api/v1/investors/", {"name": "甲"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400 and response.json()["field"] == "Idempotency-Key"
    assert not Investor.objects.exists()


def test_every_post_documents_the_key_and_its_refusals(schema):
    posts = [(path, item["post"]) for path, item in schema["paths"].items() if "post" in item]
    assert len(posts) >= 8
    for path, operation in posts:
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}, path
        assert {"409", "422"} <= set(operation["responses"]), path


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_posts_with_one_key_make_one_project(manager, unit, industry):
    """Two POSTs with one key at once: one is served, the other waits its turn and is told the
    first is in hand (409) or replays it; never two projects."""
    key = Token.objects.create(user=manager).key
    answers = []
    barrier = threading.Barrier(4)

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        barrier.wait()
        try:
            answers.append(
                client.post(
                    "/api/v1/projects/",
                    project_body(unit, industry),
                    format="json",
                    HTTP_IDEMPOTENCY_KEY="race",
                ).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Project.objects.count() == 1
    assert sorted(set(answers)) in ([201], [201, 409])


# --- rate-limit headers ---------------------------------------------------------------------------


def test_every_answer_says_the_rate_limit_and_what_remains(token_client, settings):
    first = token_client.get("/api/v1/projects/")
    second = token_client.get("/api/v1/projects/")
    assert first["RateLimit-Limit"] == "100000"
    assert int(second["RateLimit-Remaining"]) == int(first["RateLimit-Remaining"]) - 1
    assert 0 < int(first["RateLimit-Reset"]) <= 3600


def test_a_throttled_caller_is_told_when_to_come_back(monkeypatch, token_client):
    from api.throttling import UserThrottle

    monkeypatch.setattr(UserThrottle, "rate", "2/minute", raising=False)
    token_client.get("/api/v1/projects/")
    last = token_client.get("/api/v1/projects/")
    assert last["RateLimit-Remaining"] == "0"
    refused = token_client.get("/api/v1/projects/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert refused["RateLimit-Limit"] == "2" and refused["RateLimit-Remaining"] == "0"
