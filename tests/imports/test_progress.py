"""The progress of a commit is seen outside its transaction while it runs (PostgreSQL: the
`autocommit` connection), so the page's progress bar moves."""

import pytest

from imports import bulk, services
from imports.models import ImportRun
from imports.services import import_commit, import_preview
from tests.imports.test_commit import march_file

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases=["default", "autocommit"]),
]


def test_progress_is_visible_while_the_import_is_written(district, refs, importer, monkeypatch):
    from django.db import connections

    seen = []
    original = services.progress_report

    def report_and_look(run_id, done, total=None):
        original(run_id, done, total)
        # Another session's view of the run while the import's transaction is still open.
        seen.append(
            (
                ImportRun.objects.using("autocommit").get(pk=run_id).rows_done,
                connections["default"].in_atomic_block,
            )
        )

    monkeypatch.setattr(services, "progress_report", report_and_look)
    monkeypatch.setattr(bulk, "CHUNK", 1)  # a chunk per row: three progress reports
    run = import_preview(by=importer, district=district, file_name="a.xlsx", content=march_file())
    run = import_commit(run=run, by=importer)
    assert run.status == ImportRun.Status.DONE
    assert seen == [(0, False), (1, True), (2, True), (3, True)]
