"""Paging through a list that changes under the client: following `next` misses nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.lifecycle import Stage
from projects.models import Project
from tests import factories
from tests.api.conftest import body

pytestmark = pytest.mark.django_db
URL = "/api/v1/projects/"


def follow(client, url) -> list[dict]:
    """Every page, by the `next` links, as an integrating system pulls a list."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


def test_a_project_leaving_the_filter_while_paging_does_not_hide_another(api, manager, unit, industry):
    ids = [factories.make_project(unit=unit, industry=industry, name=f"在谈{n}").pk for n in range(7)]
    client = api.as_user(manager)
    first = client.get(URL + "?stage=negotiating&page_size=3").json()
    assert [p["id"] for p in first["results"]] == ids[:3]
    # One of the first page's projects is approved: it leaves ?stage=negotiating.
    factories.advance(Project.objects.get(pk=ids[0]), (Stage.APPROVED, timezone.localdate()), by=manager)
    rest = follow(client, first["next"])
    seen = [p["id"] for page in [first, *rest] for p in page["results"]]
    assert set(ids) <= set(seen)  # with page numbers, ids[3] would slip past the boundary
    assert len(seen) == len(set(seen))


def test_an_incremental_pull_by_update_time_sees_rows_changed_during_the_pull(api, manager, unit, industry):
    projects = [factories.make_project(unit=unit, industry=industry, name=f"项目{n}") for n in range(6)]
    since = timezone.now() - dt.timedelta(minutes=1)
    client = api.as_user(manager)
    query = f"?updated_since={since.isoformat().replace('+', '%2B')}&ordering=updated_at&page_size=2"
    first = client.get(URL + query).json()
    assert first["count"] == 6 and first["previous"] is None
    # A project already pulled changes: it moves behind the cursor and comes again.
    changed = Project.objects.get(pk=first["results"][0]["id"])
    changed.name = "改过名"
    changed.save()
    rest = follow(client, first["next"])
    seen = [p["id"] for page in [first, *rest] for p in page["results"]]
    assert {p.pk for p in projects} <= set(seen)
    assert [p["name"] for page in rest for p in page["results"]][-1] == "改过名"


@pytest.mark.parametrize("ordering", ["signed_on", "-signed_on", "-contract_investment", "total_investment"])
def test_keyset_pages_cover_every_row_once_whatever_the_ordering_with_nulls(
    api, manager, unit, industry, ordering
):
    for n in range(9):
        project = factories.make_project(
            unit=unit, industry=industry, name=f"排序{n}", total_investment=Decimal(n % 3)
        )
        if n % 2:  # half are signed (dates and amounts, some equal); the rest have nulls there
            factories.reach(project, Stage.SIGNED, start=dt.date(2025, 2, 1 + n % 4))
    client = api.as_user(manager)
    whole = client.get(URL + f"?ordering={ordering}&page_size=500").json()["results"]
    pages = follow(client, URL + f"?ordering={ordering}&page_size=2")
    assert [p["id"] for page in pages for p in page["results"]] == [p["id"] for p in whole]
    assert len(whole) == 9 and all(page["count"] == 9 for page in pages)


def test_page_numbers_still_work_for_people(api, manager, unit, industry):
    ids = [factories.make_project(unit=unit, industry=industry).pk for _ in range(5)]
    second = api.as_user(manager).get(URL + "?page=2&page_size=2").json()
    assert [p["id"] for p in second["results"]] == ids[2:4]
    assert (
        "page=3" in second["next"]
        and "page=1" in second["previous"]
        or second["previous"].endswith("page_size=2")
    )


@pytest.mark.parametrize("cursor", ["garbage", "eyJvIjpbImlkIl0sImsiOlsxXX0:forged:sig"])
def test_a_forged_or_garbled_cursor_is_a_400_naming_it(api, manager, unit, industry, cursor):
    factories.make_project(unit=unit, industry=industry)
    response = api.as_user(manager).get(URL + f"?cursor={cursor}")
    assert response.status_code == 400
    assert body(response)["field"] == "cursor" and body(response)["code"] == "invalid_value"


def test_a_cursor_made_for_another_ordering_is_refused(api, manager, unit, industry):
    for _ in range(3):
        factories.make_project(unit=unit, industry=industry)
    client = api.as_user(manager)
    next_link = client.get(URL + "?page_size=1&ordering=name").json()["next"]
    cursor = next_link.split("cursor=")[1].split("&")[0]
    response = client.get(URL + f"?page_size=1&ordering=-name&cursor={cursor}")
    assert response.status_code == 400 and body(response)["field"] == "cursor"
    assert client.get(URL + f"?page=2&cursor={cursor}").status_code == 400
