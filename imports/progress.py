"""An import's progress, seen while its one transaction is still open.

The rows an import has written are invisible to everyone else until it commits; its progress
must not be. On PostgreSQL the settings define a second connection, `autocommit`, to the same
database: the progress is written through it and committed at once. The import's transaction
never touches its ImportRun row until its very end, so the two never wait for each other. On
SQLite (one writer at a time) the page shows the phases only."""

import logging

from django.conf import settings
from django.db import connections
from django.utils import timezone

from imports.models import ImportRun

ALIAS = "autocommit"
log = logging.getLogger(__name__)


def progress_report(run_id: int, done: int, total: int | None = None) -> None:
    if ALIAS not in settings.DATABASES:
        return
    # updated_at too: the heartbeat by which a run left hanging is told from a live one.
    values = {"rows_done": done, "updated_at": timezone.now()}
    if total is not None:
        values["rows_total"] = total
    try:
        ImportRun.objects.using(ALIAS).filter(pk=run_id).update(**values)
    except Exception:  # noqa: BLE001 - a progress bar never fails an import
        log.warning("import %s: progress not written", run_id, exc_info=True)
    finally:
        if not connections[ALIAS].in_atomic_block:
            connections[ALIAS].close_if_unusable_or_obsolete()
