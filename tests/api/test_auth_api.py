import io

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


def token_for(username):
    out = io.StringIO()
    call_command("drf_create_token", username, stdout=out)
    return out.getvalue().split()[2]  # "Generated token <key> for user <name>"


def test_a_system_account_pulls_with_a_token_from_drf_create_token(system, project):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('city-platform')}")
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_bad_token_is_401(project):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get(URL)
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


def test_a_deactivated_accounts_token_stops_working(system, project):
    key = token_for("city-platform")
    system.is_active = False
    system.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(URL).status_code == 401


def test_anonymous_reads_and_writes_are_401(project):
    client = APIClient()
    for response in (client.get(URL), client.get(f"{URL}{project.pk}/"), client.post(URL, {}, format="json")):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert response.json()["detail"]


def test_a_browser_session_works_and_writes_need_the_csrf_token(staff, staff_project):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="clerk", password="pass-1234")
    assert client.get(URL).status_code == 200
    response = client.patch(f"{URL}{staff_project.pk}/", {"name": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_a_read_only_token_reads_but_writes_nothing(read_only_system, project):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('warehouse')}")
    assert client.get(f"{URL}{project.pk}/").status_code == 200
    response = client.patch(f"{URL}{project.pk}/", {"name": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert "只读" in response.json()["detail"]


def test_throttled_callers_get_429_with_a_code(api, manager, project, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    client = api.as_user(manager)
    statuses = [client.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(URL)
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response


def test_default_rates_let_a_nightly_full_pull_through():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    requests, seconds = UserRateThrottle().parse_rate(rates["user"])
    # 100,000 projects at 500 a page, plus their events and progress, well inside an hour.
    assert requests / seconds * 3600 >= 10_000
    assert AnonRateThrottle().parse_rate(rates["anon"])[0] >= 1


def test_users_of_a_district_cannot_read_another_districts_records(api, foreign_staff, project):
    client = api.as_user(foreign_staff)
    for path in ("", "events/", "reviews/", "progress/", "progress/2025-02/"):
        assert client.get(f"{URL}{project.pk}/{path}").status_code == 404


def test_cross_project_pulls_are_scoped_too(api, foreign_staff, project):
    assert api.as_user(foreign_staff).get("/api/v1/events/").json()["count"] == 0
    assert api.as_user(foreign_staff).get("/api/v1/progress/").json()["count"] == 0


DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}


def test_throttle_counters_are_shared_through_the_database(api, manager, project, monkeypatch, settings):
    """Every app process must count a caller alike, so the counters live in the database
    cache, whose table the migration creates."""
    from importlib import import_module

    from django.core.cache import caches
    from django.db import connection

    settings.CACHES = DB_CACHE  # Django's test signals reset the cache handler
    migration = import_module("api.migrations.0001_cache_table")
    migration.create_cache_table(None, connection.schema_editor())
    assert "django_cache" in connection.introspection.table_names()

    monkeypatch.setattr(SimpleRateThrottle, "cache", caches["default"])
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"})
    client = api.as_user(manager)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_cache")
        assert cursor.fetchone()[0] >= 1
