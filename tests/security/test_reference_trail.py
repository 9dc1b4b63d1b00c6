"""Issue 12, the audit trail: reference data changed in the admin (the one place it is
written) goes into the change log like every other fact: who, when, channel `admin`,
old → new, in the admin's transaction."""

import pytest
from django.test import Client

from changes.models import Change
from projects.models import Park, Unit
from tests import factories


@pytest.fixture
def root_client(db):
    client = Client()
    client.force_login(factories.UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_a_unit_renamed_in_the_admin_is_on_record(root_client, unit):
    data = {
        "code": unit.code,
        "name": "区经济和信息化委员会",
        "kind": unit.kind,
        "district": unit.district_id,
    }
    response = root_client.post(f"/admin/projects/unit/{unit.pk}/change/", data)
    assert response.status_code == 302
    [change] = Change.objects.filter(type="reference.updated")
    assert change.channel == "admin" and change.user.username == "root"
    assert change.changes == {"model": ["unit", "unit"], "name": ["区经济信息委", "区经济和信息化委员会"]}
    assert change.district_id == unit.district_id and change.object_id == unit.pk
    # Saved again unchanged: nothing to record.
    root_client.post(f"/admin/projects/unit/{unit.pk}/change/", data)
    assert Change.objects.filter(type="reference.updated").count() == 1


def test_a_park_added_and_deleted_in_the_admin_is_on_record(root_client, district):
    data = {"code": "jlp-new-park", "name": "新园区", "district": district.pk}
    assert root_client.post("/admin/projects/park/add/", data).status_code == 302
    park = Park.objects.get(code="jlp-new-park")
    [made] = Change.objects.filter(type="reference.created")
    assert made.changes["name"] == [None, "新园区"] and made.changes["model"] == [None, "park"]
    assert made.channel == "admin" and made.district_id == district.pk
    response = root_client.post(f"/admin/projects/park/{park.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Park.objects.filter(pk=park.pk).exists()
    [gone] = Change.objects.filter(type="reference.deleted")
    assert gone.changes["name"] == ["新园区", None] and gone.object_id == park.pk


def test_a_refused_admin_write_records_nothing(root_client, unit):
    data = {"code": "", "name": "", "kind": unit.kind, "district": unit.district_id}
    assert root_client.post(f"/admin/projects/unit/{unit.pk}/change/", data).status_code == 200
    assert not Change.objects.filter(object_type="reference").exists()
    assert Unit.objects.get(pk=unit.pk).name == "区经济信息委"
