"""The page's and the API's Excel files of the same request are the same file: byte for byte,
apart from the moments the workbook records (docProps/core.xml's created and modified). Both
go through pipeline.reports, so the area in the title, the year-on-year columns and the
version exported cannot drift apart."""

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from pipeline.progress import progress_save
from pipeline.publishing import ledger_publish
from tests.factories import city_user
from tests.test_exports import build_ledger_world

pytestmark = pytest.mark.django_db

MOMENTS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(content: bytes) -> dict[str, bytes]:
    """The workbook's zip members, the recorded moments blanked."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: MOMENTS.sub(b"", archive.read(name)) for name in archive.namelist()}


def page_and_api(client, api, user, page_url, api_url) -> tuple[bytes, bytes]:
    client.force_login(user)
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    assert page["Content-Type"].startswith("application/vnd.openxmlformats")
    response = api.as_user(user).get(api_url)
    assert response.status_code == 200, api_url
    return page.content, response.content


def assert_same_file(page: bytes, api: bytes) -> None:
    page_parts, api_parts = parts(page), parts(api)
    assert list(page_parts) == list(api_parts)
    different = [name for name in page_parts if page_parts[name] != api_parts[name]]
    assert different == []


def title(content: bytes, sheet: str) -> str:
    return load_workbook(io.BytesIO(content))[sheet]["A1"].value


@pytest.fixture
def world(unit, other_unit, industry, manager):
    return build_ledger_world(unit, other_unit, industry, manager)


@pytest.mark.parametrize("query", ["", "?unit={unit}&is_overdue=true", "?stage=signed&stage=started"])
def test_the_ledger_workbook_is_the_same_from_the_page_and_the_api(client, api, manager, unit, world, query):
    query = query.format(unit=unit.code)
    separator = "&" if query else "?"
    page, api_file = page_and_api(
        client,
        api,
        manager,
        f"/ledger/2025-06/export.xlsx{query}",
        f"/api/v1/ledgers/2025-06/{query}{separator}format=xlsx",
    )
    assert_same_file(page, api_file)
    assert title(page, "汇总").startswith("九龙坡区招商引资项目月度台账（2025年6月）")


def test_a_unit_and_the_city_are_named_alike_by_both(client, api, staff, unit, world):
    page, api_file = page_and_api(
        client, api, staff, "/ledger/2025-06/export.xlsx", "/api/v1/ledgers/2025-06/?format=xlsx"
    )
    assert_same_file(page, api_file)
    assert title(page, "汇总").startswith(f"{unit.name}招商引资项目月度台账")
    city = city_user(username="city-reader")
    page, api_file = page_and_api(
        client, api, city, "/ledger/2025-06/export.xlsx", "/api/v1/ledgers/2025-06/?format=xlsx"
    )
    assert_same_file(page, api_file)
    assert title(page, "汇总").startswith("全市招商引资项目月度台账")


def test_the_version_being_viewed_is_the_version_exported(client, api, manager, district, world):
    ledger_publish(district=district, month="2025-06", by=manager, note="第一版")
    # Progress filed for June afterwards changes the month: the second version differs.
    progress_save(
        project=world["久谈未定项目"], by=manager, month=dt.date(2025, 6, 1), funds_in_place="88.88"
    )
    ledger_publish(district=district, month="2025-06", by=manager, note="第二版")
    client.force_login(manager)
    viewed = client.get("/ledger/2025-06/?version=1").content.decode()
    assert "/ledger/2025-06/export.xlsx?version=1" in viewed
    page, api_file = page_and_api(
        client,
        api,
        manager,
        "/ledger/2025-06/export.xlsx?version=1",
        "/api/v1/ledgers/2025-06/?version=1&format=xlsx",
    )
    assert_same_file(page, api_file)
    assert "（已发布第1版）" in title(page, "汇总")
    latest = client.get("/ledger/2025-06/export.xlsx").content
    assert "（已发布第2版）" in title(latest, "汇总")
    assert parts(latest) != parts(page)


@pytest.mark.parametrize(
    "query",
    [
        "year=2025",
        "year=2025&group_by=unit",
        "from=2025-02-01&to=2025-06-30&group_by=month&unit={unit}",
        "from=2025-01-01&to=2025-06-30&district={district}",
    ],
)
def test_the_statistics_workbook_is_the_same_from_the_page_and_the_api(
    client, api, manager, unit, district, world, query
):
    query = query.format(unit=unit.code, district=district.code)
    page, api_file = page_and_api(
        client, api, manager, f"/stats/export.xlsx?{query}", f"/api/v1/stats/?{query}&format=xlsx"
    )
    assert_same_file(page, api_file)
    book = load_workbook(io.BytesIO(page))
    assert book["指标"]["A1"].value.startswith("九龙坡区招商引资统计")
    assert [cell.value for cell in book["指标"][3]] == ["指标", "本期", "上年同期", "增减", "增减（%）"]


def test_the_city_reads_the_statistics_of_a_district_under_its_name(client, api, district, world):
    city = city_user(username="city-reader")
    for query, area in (("year=2025", "全市"), (f"year=2025&district={district.code}", district.name)):
        page, api_file = page_and_api(
            client, api, city, f"/stats/export.xlsx?{query}", f"/api/v1/stats/?{query}&format=xlsx"
        )
        assert_same_file(page, api_file)
        assert load_workbook(io.BytesIO(page))["指标"]["A1"].value.startswith(f"{area}招商引资统计")
