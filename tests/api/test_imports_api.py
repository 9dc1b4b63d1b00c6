"""POST /api/v1/imports/ (multipart): a dry run by default, 201 when committed, 400 with the
report when a commit is refused, 202 and a status URL when the commit goes to the worker;
GET the status and report; the error report as Excel read back."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from imports.models import ImportRun
from projects.models import Project
from tests import factories
from tests.imports.conftest import importer, refs  # noqa: F401 (fixtures)
from tests.imports.test_commit import HEADER, march_file, march_rows
from tests.imports.workbooks import one_sheet

pytestmark = pytest.mark.django_db


def upload(api, content, **fields):
    return api.post("/api/v1/imports/", {"file": io.BytesIO(content), **fields}, format="multipart")


@pytest.fixture
def client(api, importer):  # noqa: F811
    return api.as_user(importer)


def test_a_dry_run_reports_every_row_and_writes_nothing(client, refs):  # noqa: F811
    response = upload(client, march_file())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["summary"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert body["status"] == "previewed" and body["month"] == "2025-03"
    assert [(row["sheet"], row["row"], row["status"], row["project"]) for row in body["rows"]] == [
        ("Sheet", 4, "created", None),
        ("Sheet", 5, "created", None),
        ("Sheet", 6, "created", None),
    ]
    assert Project.objects.count() == 0


def test_a_commit_writes_and_answers_201(client, refs):  # noqa: F811
    response = upload(client, march_file(), commit="true")
    assert response.status_code == 201, response.json()
    codes = [row["project"] for row in response.json()["rows"]]
    assert sorted(codes) == sorted(Project.objects.values_list("code", flat=True))
    again = upload(client, march_file(), commit="true")
    assert again.status_code == 201 and again.json()["summary"]["unchanged"] == 3


def test_a_refused_commit_is_a_400_with_the_report_and_writes_nothing(client, refs):  # noqa: F811
    rows = march_rows()
    rows[1][4] = "不存在的单位"
    response = upload(client, one_sheet(HEADER, rows), commit="true")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "refused" and body["summary"]["errors"] == 1
    bad = next(row for row in body["rows"] if row["status"] == "error")
    assert (bad["row"], bad["errors"][0]["field"], bad["errors"][0]["code"]) == (
        5,
        "unit",
        "unknown_reference",
    )
    assert "不存在的单位" in bad["errors"][0]["message"]
    assert Project.objects.count() == 0


def test_who_may_import(api, refs, unit, district):  # noqa: F811
    assert upload(api, march_file()).status_code == 401
    assert upload(api.as_user(factories.staff_of(unit)), march_file()).status_code == 403
    assert upload(api.as_user(factories.city_user()), march_file()).status_code == 403
    citywide = api.as_user(factories.system_user(None, username="citywide"))
    refused = upload(citywide, march_file())
    assert refused.status_code == 400 and refused.json()["field"] == "district"
    assert upload(citywide, march_file(), district=district.code).status_code == 200
    assert upload(citywide, march_file(), district="nowhere").json()["code"] == "invalid_value"


def test_bad_requests_are_clear_400s(client, refs):  # noqa: F811
    assert client.post("/api/v1/imports/", {"commit": True}, format="json").status_code == 415
    missing = client.post("/api/v1/imports/", {"commit": "true"}, format="multipart")
    assert missing.status_code == 400 and missing.json()["field"] == "file"
    assert upload(client, march_file(), month="2025-13").json()["field"] == "month"
    not_a_workbook = upload(client, b"hello")
    assert not_a_workbook.status_code == 200
    assert not_a_workbook.json()["file_errors"][0]["code"] == "invalid_file"


def test_the_error_report_as_excel(client, refs):  # noqa: F811
    rows = march_rows()
    rows[1][6] = "约5亿"
    source = load_workbook(io.BytesIO(one_sheet(HEADER, rows)))
    cell = source.active.cell(5, 2)  # the second project's name: text that looks like a formula
    cell.value, cell.data_type = '=HYPERLINK("http://x")', "s"
    buffer = io.BytesIO()
    source.save(buffer)
    body = upload(client, buffer.getvalue()).json()
    assert body["rows"][1]["name"] == '=HYPERLINK("http://x")'
    response = client.get(f"/api/v1/imports/{body['id']}/errors.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["导入结果", "错误说明"]
    bad = values[2]
    assert bad[1] == '=HYPERLINK("http://x")' and sheet.cell(3, 2).data_type == "s"
    assert bad[-2] == "错误" and "约5亿" in bad[-1]
    assert values[1][-2] == "新建"


@pytest.mark.django_db(transaction=True)
def test_a_large_commit_runs_in_the_worker(api, refs, importer, monkeypatch):  # noqa: F811
    from api import imports as api_imports

    monkeypatch.setattr(api_imports, "SYNC_COMMIT_ROWS", 1)
    client = api.as_user(importer)
    response = upload(client, march_file(), commit="true")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert set(body) == {"id", "status", "url"} and body["status"] == "queued"
    status = client.get(body["url"]).json()
    assert status["status"] == "queued" and "rows" not in status and Project.objects.count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    done = client.get(body["url"]).json()
    assert done["status"] == "done", done
    assert done["summary"]["created"] == 3 and done["rows_done"] == 3
    assert Project.objects.count() == 3
    assert ImportRun.objects.get(pk=body["id"]).committed_at is not None
