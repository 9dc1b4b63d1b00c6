"""Timestamps carry the local offset everywhere (docs/api.md: ISO 8601 with offset), +08:00."""

import pytest

pytestmark = pytest.mark.django_db


def test_publishing_and_reading_a_published_month_give_local_times(api, manager, project):
    client = api.as_user(manager)
    published = client.post("/api/v1/ledgers/2025-03/publish/", {"note": "三月"}, format="json").json()
    assert published["published_at"].endswith("+08:00"), published["published_at"]
    ledger = client.get("/api/v1/ledgers/2025-03/").json()
    assert ledger["published"]["published_at"].endswith("+08:00"), ledger["published"]
    assert client.get(f"/api/v1/projects/{project.pk}/").json()["updated_at"].endswith("+08:00")
