"""The import pages: upload (a preview that writes nothing), the preview's rows with the errors
highlighted, the commit through the worker, the progress status, the report as Excel; who may."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from imports.models import ImportRun
from projects.models import Project
from tests.imports.conftest import refs  # noqa: F401 (fixture)
from tests.imports.test_commit import HEADER, march_file, march_rows
from tests.imports.workbooks import one_sheet

pytestmark = pytest.mark.django_db


def upload(client, content, name="台账.xlsx", **fields):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post("/imports/", {"file": handle, **fields})


def test_a_preview_with_errors_lists_them_and_offers_no_commit(manager_client, refs):  # noqa: F811
    rows = march_rows()
    rows[0][6] = "约5亿"
    response = upload(manager_client, one_sheet(HEADER, rows))
    assert response.status_code == 302
    page = manager_client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "约5亿" in html and "not_a_number" in html and 'class="import-error"' in html
    assert "确认导入" not in html and Project.objects.count() == 0
    assert "有错误，未导入" in html


def test_a_clean_preview_commits_through_the_worker(manager_client, refs, manager):  # noqa: F811
    response = upload(manager_client, march_file())
    run = ImportRun.objects.get()
    page = manager_client.get(response["Location"]).content.decode()
    assert "确认导入" in page and "新建 3" in page
    manager_client.post(f"/imports/{run.pk}/commit/")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
    status = manager_client.get(f"/imports/{run.pk}/status/").json()
    assert status == {
        "status": "queued",
        "label": "排队中",
        "rows_done": 0,
        "rows_total": 3,
        "finished": False,
    }
    assert '<progress class="import-progress"' in manager_client.get(f"/imports/{run.pk}/").content.decode()
    from imports.tasks import commit_import

    commit_import.call(run.pk, manager.pk)  # what the worker does
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Project.objects.count() == 3
    assert manager_client.get(f"/imports/{run.pk}/status/").json()["finished"] is True
    report = manager_client.get(f"/imports/{run.pk}/report.xlsx")
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [cell.value for cell in sheet[2]][-2:] == ["新建", None]


def test_who_may_open_the_import_pages(client, clerk_client, refs, manager):  # noqa: F811
    assert clerk_client.get("/imports/").status_code == 403
    client.force_login(manager)
    upload(client, march_file())
    run = ImportRun.objects.get()
    from tests import factories

    other = factories.manager_of(factories.DistrictFactory(code="jiangjin", name="江津区", short_code="JJ"))
    client.force_login(other)
    assert client.get(f"/imports/{run.pk}/").status_code == 404
    assert client.post(f"/imports/{run.pk}/commit/").status_code == 404


def test_an_upload_without_a_file_is_a_clear_400(manager_client, refs):  # noqa: F811
    response = manager_client.post("/imports/", {})
    assert response.status_code == 400 and "请选择要导入的台账文件" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_a_queued_commit(client, refs, manager):  # noqa: F811
    client.force_login(manager)
    upload(client, march_file())
    run = ImportRun.objects.get()
    client.post(f"/imports/{run.pk}/commit/")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
