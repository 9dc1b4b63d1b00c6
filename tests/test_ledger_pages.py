"""The ledger, statistics and dashboard pages (Django test client)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pipeline.publishing import ledger_publish
from pipeline.stages import Stage
from tests.api.helpers import bulk_projects
from tests.factories import advance, make_project

D = dt.date


@pytest.fixture
def overdue_project(unit, industry, manager):
    project = make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), name="久谈未定项目"
    )
    advance(project, (Stage.APPROVED, D(2025, 1, 10)), by=manager)
    return project


def test_pages_need_a_login(client):
    for url in ("/ledger/", "/ledger/2025-06/", "/stats/", "/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_ledger_redirects_to_the_last_complete_month(client, staff):
    client.force_login(staff)
    response = client.get("/ledger/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ledger/20")


def test_the_ledger_page_marks_overdue_rows_and_offers_publishing_to_managers(
    client, manager, staff, overdue_project
):
    client.force_login(manager)
    page = client.get("/ledger/2025-06/").content.decode()
    assert "九龙坡区招商引资项目月度台账（2025年6月）" in page
    assert "久谈未定项目" in page
    assert 'class="row-overdue"' in page
    assert "发布本月台账" in page
    client.force_login(staff)
    page = client.get("/ledger/2025-06/").content.decode()
    assert "久谈未定项目" in page
    assert "发布本月台账" not in page


def test_publishing_from_the_page_shows_the_banner(client, manager, overdue_project):
    client.force_login(manager)
    response = client.post("/ledger/2025-06/publish/", {"note": "六月"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已发布" in page
    assert "第 1 版" in page
    assert "重新发布本月台账" in page


def test_staff_cannot_publish_from_the_page(client, staff, overdue_project):
    client.force_login(staff)
    response = client.post("/ledger/2025-06/publish/", follow=True)
    assert "只有本区招商投资局管理人员可以发布月度台账" in response.content.decode()
    from pipeline.models import PublishedLedger

    assert not PublishedLedger.objects.exists()


def test_bad_month_or_filter_is_a_clear_error(client, manager, overdue_project):
    client.force_login(manager)
    assert client.get("/ledger/2025-13/").status_code == 404
    response = client.get("/ledger/2025-06/?unit=nowhere")
    assert response.status_code == 400
    assert "责任单位" in response.content.decode()


def test_the_ledger_download_is_an_excel_file(client, manager, overdue_project):
    client.force_login(manager)
    response = client.get("/ledger/2025-06/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_statistics_page_compares_with_the_year_before(client, manager, overdue_project):
    client.force_login(manager)
    response = client.get("/stats/?from=2025-01-01&to=2025-12-31&group_by=unit")
    assert response.status_code == 200
    page = response.content.decode()
    assert "上年同期" in page
    assert "2024-01-01" in page
    assert "区经济信息委" in page
    assert client.get("/stats/export.xlsx?year=2025").status_code == 200
    assert client.get("/stats/?from=2025-02-01&to=2025-01-01").status_code == 400


def test_the_dashboard_draws_svg_charts(client, manager, overdue_project):
    client.force_login(manager)
    page = client.get("/dashboard/").content.decode()
    assert page.count('<svg class="chart"') == 3
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_report_pages_take_the_same_queries_for_few_and_many_projects(client, manager, unit, industry):
    client.force_login(manager)
    bulk_projects(unit, industry, 2, prefix="FEW")
    ledger_publish(district=unit.district, month="2025-01", by=manager)
    urls = ("/ledger/2025-02/", "/stats/?year=2025&group_by=unit", "/dashboard/", "/ledger/2025-01/")
    for index, url in enumerate(urls):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        bulk_projects(unit, industry, 30, prefix=f"MANY{index}")
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(few) == len(many), url


def test_money_is_shown_with_two_decimals(client, manager, unit, industry):
    make_project(
        unit=unit, industry=industry, by=manager, started=D(2025, 1, 6), total_investment=Decimal("1234.5")
    )
    client.force_login(manager)
    assert "1,234.50" in client.get("/ledger/2025-01/").content.decode()
