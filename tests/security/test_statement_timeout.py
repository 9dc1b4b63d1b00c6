"""Finding 1 (issue 12): the work of one web request is bounded by a PostgreSQL statement
timeout, and a cancelled statement (or a database gone away) is a clear 503, not a worker
killed mid-request or a bare 500."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from config.web_limits import set_statement_timeout


@pytest.fixture
def signed_in(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def sleeping_statistics(*args, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")


@pytest.mark.postgres
def test_a_web_connection_gets_the_timeout(db, settings):
    settings.STATEMENT_TIMEOUT = 7
    set_statement_timeout(None, connection)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "7s"


@pytest.mark.postgres
@pytest.mark.parametrize("url", ["/api/v1/stats/?year=2025", "/stats/?year=2025"])
def test_a_statement_past_the_limit_is_a_clear_503(signed_in, settings, monkeypatch, url):
    monkeypatch.setattr("pipeline.reports.statistics_compared", sleeping_statistics)
    settings.STATEMENT_TIMEOUT = 1
    signed_in.get("/")  # the session is read before the limit is set
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 200")  # as set_statement_timeout does, shorter
    response = signed_in.get(url)
    assert response.status_code == 503
    text = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert "1 秒的处理时限" in text
    if url.startswith("/api/"):
        assert response.json()["code"] == "request_timeout"


@pytest.mark.parametrize("url", ["/api/v1/stats/?year=2025", "/stats/?year=2025"])
def test_a_database_gone_away_is_a_503_to_retry(signed_in, monkeypatch, url):
    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("pipeline.reports.statistics_compared", gone)
    response = signed_in.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if url.startswith("/api/"):
        assert response.json()["code"] == "database_unavailable"
        assert response.json()["detail"] == "数据库暂时不可用，本次请求未作任何修改；请稍后重试。"
    else:
        assert "数据库暂时不可用" in response.content.decode()
