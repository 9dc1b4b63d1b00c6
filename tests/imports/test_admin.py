"""Imports in the admin: read only, each manager sees their own district's runs and what they
wrote, never another district's."""

import pytest
from django.contrib.auth.models import Permission

from imports.models import ImportedRecord, ImportRun
from imports.services import import_file
from tests import factories
from tests.imports.test_commit import march_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_importer(importer):
    importer.is_staff = True
    importer.save()
    importer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_importrun", "view_importedrecord"])
    )
    return importer


def test_a_manager_reads_their_districts_imports_and_what_they_wrote(
    client, district, other_district, refs, admin_importer
):
    ours = import_file(
        by=admin_importer, district=district, file_name="三月.xlsx", content=march_file(), commit=True
    )
    assert ours.status == ImportRun.Status.DONE
    foreign_manager = factories.manager_of(other_district, username="jj-importer")
    theirs = ImportRun.objects.create(
        district=other_district, uploaded_by=foreign_manager, file_name="江津.xlsx", sha256="0" * 64
    )
    client.force_login(admin_importer)
    listing = client.get("/admin/imports/importrun/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [ours]
    page = client.get(f"/admin/imports/importrun/{ours.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200 and ours.sha256 in text and "三月.xlsx" in text
    assert str(ours.report["summary"]["created"]) in text
    assert client.get(f"/admin/imports/importrun/{theirs.pk}/change/").status_code == 302
    records = client.get(f"/admin/imports/importedrecord/?run__id__exact={ours.pk}")
    assert records.status_code == 200
    assert set(records.context["cl"].result_list) == set(ImportedRecord.objects.filter(run=ours))
    assert records.context["cl"].result_count > 0
    # Read only: no add, change or delete.
    assert client.get("/admin/imports/importrun/add/").status_code == 403
    assert client.post(f"/admin/imports/importrun/{ours.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ImportRun.objects.filter(pk=ours.pk).exists()
