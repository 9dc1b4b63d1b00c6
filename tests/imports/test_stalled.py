"""A commit whose worker dies mid-way (killed, the machine restarted) leaves its run `running`;
the commit is one transaction, so nothing of it was written. Once no progress has come for
IMPORT_STALL_MINUTES the run reads as failed, says so, and can be committed again."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from imports.models import ImportRun
from imports.services import STALLED, import_commit, import_preview, import_runs, recover_stalled
from projects.models import Project
from tests.imports.test_commit import march_file

LATER = dt.timedelta(minutes=20)


def _leave_running(run, *, minutes_ago: int) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, updated_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )


@pytest.mark.django_db
def test_a_run_with_no_sign_of_life_reads_as_failed_and_commits_again(district, refs, importer):
    run = import_preview(by=importer, district=district, file_name="a.xlsx", content=march_file())
    _leave_running(run, minutes_ago=16)
    [listed] = import_runs(importer)  # the list (page and API) recovers it first
    assert listed.status == ImportRun.Status.FAILED
    assert listed.report["detail"] == str(STALLED) and listed.report["summary"]["errors"] == 0
    assert not Project.objects.filter(district=district).exists()
    again = import_commit(run=listed, by=importer)
    assert again.status == ImportRun.Status.DONE
    assert Project.objects.filter(district=district).count() == again.report["summary"]["created"] > 0


@pytest.mark.django_db
def test_a_live_commit_is_left_alone(district, refs, importer):
    run = import_preview(by=importer, district=district, file_name="a.xlsx", content=march_file())
    _leave_running(run, minutes_ago=2)
    assert recover_stalled() == 0
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING


WORKER = """
import os, sys, django
django.setup()
from accounts.models import User
from imports import bulk, services
from imports.models import ImportRun

def killed(run_id, done, total=None):
    if done:  # the worker dies after writing its first batch, its transaction still open
        os._exit(3)

services.progress_report = killed
bulk.CHUNK = 1
run = ImportRun.objects.get(pk=int(sys.argv[1]))
services.import_commit(run=run, by=User.objects.get(pk=int(sys.argv[2])))
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_commit_wrote_nothing_and_the_run_recovers(district, refs, importer):
    run = import_preview(by=importer, district=district, file_name="a.xlsx", content=march_file())
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    worker = subprocess.run(
        [sys.executable, "-c", WORKER, str(run.pk), str(importer.pk)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 3, worker.stderr
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING  # claimed, then the worker vanished
    assert not Project.objects.filter(district=district).exists()  # its transaction died with it
    assert recover_stalled(now=timezone.now() + LATER) == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert import_commit(run=run, by=importer).status == ImportRun.Status.DONE
    assert Project.objects.filter(district=district).exists()
