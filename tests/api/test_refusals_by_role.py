"""Who may not void, publish or read another district's ledger, as the API answers them:
403 with code `forbidden` and nothing written; a foreign district's rows are never shown."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pipeline.models import PublishedLedger, StageEvent
from pipeline.publishing import ledger_publish
from projects.lifecycle import Stage
from tests import factories
from tests.api.conftest import body

pytestmark = pytest.mark.django_db

D = dt.date


def _void(client, project):
    event = project.events.get(stage=Stage.SIGNED)
    return client.post(
        f"/api/v1/projects/{project.pk}/events/{event.pk}/void/", {"reason": "录错"}, format="json"
    )


@pytest.mark.parametrize("who", ["city", "read_only_system"])
def test_city_and_read_only_accounts_cannot_void_an_event(api, request, signed, who):
    user = request.getfixturevalue(who)
    client = api.as_user(user)
    assert client.get(f"/api/v1/projects/{signed.pk}/events/").status_code == 200  # they do see it
    before = factories.snapshot(signed)
    response = _void(client, signed)
    assert response.status_code == 403
    assert body(response)["code"] == "forbidden"
    assert body(response)["detail"]
    assert factories.snapshot(signed) == before
    assert not StageEvent.objects.filter(voided_at__isnull=False).exists()


def test_a_manager_cannot_publish_another_districts_ledger(api, manager, other_district, foreign_project):
    response = api.as_user(manager).post(
        "/api/v1/ledgers/2025-03/publish/", {"district": other_district.code}, format="json"
    )
    assert response.status_code == 403
    assert body(response)["code"] == "forbidden"
    assert not PublishedLedger.objects.exists()


def test_a_manager_publishes_the_own_district_by_naming_it(api, manager, district, signed):
    response = api.as_user(manager).post(
        "/api/v1/ledgers/2025-03/publish/", {"district": district.code, "confirm_gaps": True}, format="json"
    )
    assert response.status_code == 201
    assert PublishedLedger.objects.get().district == district


@pytest.mark.parametrize("who", ["foreign_staff", "foreign_manager"])
def test_another_districts_ledger_shows_a_reader_none_of_its_rows(
    api, request, manager, district, signed, who
):
    """Asking for a district not one's own is answered (200) with the reader's own scope
    narrowed to it — nothing — and never with that district's published version."""
    ledger_publish(district=district, month="2025-03", by=manager)
    reader = request.getfixturevalue(who)
    response = api.as_user(reader).get("/api/v1/ledgers/2025-03/", {"district": district.code})
    assert response.status_code == 200
    data = body(response)
    assert data["rows"] == []
    assert all(column["count"] == 0 for column in data["summary"].values())
    assert data["movements"]["items"] == []
    assert data["published"] is None and data["corrections"] is None
    assert data["can_publish"] is False
    # And the Excel form of it holds no row either.
    workbook = api.as_user(reader).get(
        "/api/v1/ledgers/2025-03/", {"district": district.code, "format": "xlsx"}
    )
    assert workbook.status_code == 200
    cells = {
        cell.value
        for sheet in load_workbook(io.BytesIO(workbook.content))
        for row in sheet.iter_rows()
        for cell in row
    }
    assert signed.code not in cells and signed.name not in cells


def test_the_districts_own_readers_see_its_rows(api, manager, staff, district, signed):
    for reader in (manager, staff):
        rows = body(api.as_user(reader).get("/api/v1/ledgers/2025-03/", {"district": district.code}))["rows"]
        assert [row["id"] for row in rows] == [signed.pk], reader
