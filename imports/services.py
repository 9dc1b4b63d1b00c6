"""Importing a 台账: upload (a dry run that writes nothing but the ImportRun and its report),
then commit — at once, or queued for the background worker (tasks.py).

    import_preview(*, by, district, file_name, content, month=None) -> ImportRun
    import_commit(*, run, by) -> ImportRun       all or nothing; refused while any row has an error
    import_file(*, by, district, file_name, content, month=None, commit=False) -> ImportRun
    recover_stalled() -> int     runs left `running` by a worker that died: failed, to commit again

A commit reads the file again and re-checks every row against the database as it is then, so a
preview that went stale (someone recorded a milestone meanwhile) cannot write a contradiction."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from core.errors import InvalidValue, MissingField
from imports.models import ImportRun
from imports.plan import plan_workbook
from imports.progress import progress_report
from imports.write import RowRefused, plan_write
from projects.models import District


def import_district(user, code: str | None):
    """The district an import is for: `code` when given (accounts spanning districts must give
    it), else the user's own; the user must be allowed to import into it."""
    if code:
        district = District.objects.filter(code=str(code)[:32]).first()
        if district is None:
            raise InvalidValue(_("区县代码“%(code)s”不存在。") % {"code": str(code)[:32]}, field="district")
    else:
        district = District.objects.filter(pk=getattr(user, "home_district_id", None)).first()
        if district is None:
            raise MissingField(_("请指定导入的区县（district）。"), field="district")
    _require(user, district)
    return district


def import_runs(user):
    """The imports `user` may see: those of the districts it may import into (a run its worker
    left hanging is marked failed first, so nobody waits on it)."""
    recover_stalled()
    ids = [pk for pk in District.objects.values_list("pk", flat=True) if roles.can_import(user, pk)]
    return ImportRun.objects.filter(district_id__in=ids).select_related("district", "uploaded_by")


def _require(by, district) -> None:
    roles.require(
        roles.can_import(by, district.pk), _("只有本区招商投资局管理人员或有写权限的系统账号可以导入台账。")
    )


def import_preview(
    *, by, district, file_name: str, content: bytes, month: dt.date | None = None
) -> ImportRun:
    """Check the file and keep it with its report; nothing else is written."""
    _require(by, district)
    plan = plan_workbook(content, district=district, month=month)
    return ImportRun.objects.create(
        district=district,
        uploaded_by=by,
        file_name=(file_name or "upload.xlsx")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        month=plan.month,
        status=ImportRun.Status.PREVIEWED if plan.ok else ImportRun.Status.REFUSED,
        rows_total=len(plan.rows),
        report=plan.report(),
    )


def recover_stalled(now: dt.datetime | None = None) -> int:
    """Fail the runs still `running` with no sign of life for IMPORT_STALL_MINUTES: their worker
    died (killed, the machine restarted) in the middle of the commit. The commit is one
    transaction, so the database rolled all of it back with the worker's connection: nothing was
    written, and the run can be committed again. A live commit reports progress (and so moves
    `updated_at`) after each batch; a 10,000-row file commits in under a minute."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.IMPORT_STALL_MINUTES)
    stalled = ImportRun.objects.filter(status=ImportRun.Status.RUNNING, updated_at__lt=cutoff)
    failed = 0
    for run in stalled.only("pk", "report"):
        report = {**(run.report or {}), "detail": str(STALLED)}
        failed += stalled.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, rows_done=0, report=report, updated_at=now
        )
    return failed


STALLED = gettext_lazy("导入中断：后台任务进程在写入过程中停止，未写入任何数据。可以重新确认导入。")
# A commit may be started (again) from these: a failed one wrote nothing.
COMMITTABLE = (ImportRun.Status.PREVIEWED, ImportRun.Status.QUEUED, ImportRun.Status.FAILED)


def _claim(run: ImportRun) -> bool:
    """Move the run to `running` unless another caller already did (one commit per run)."""
    waiting = COMMITTABLE
    return bool(
        ImportRun.objects.filter(pk=run.pk, status__in=waiting).update(
            status=ImportRun.Status.RUNNING, rows_done=0, updated_at=timezone.now()
        )
    )


def import_commit(*, run: ImportRun, by, bulk: bool = True) -> ImportRun:
    """Write the run's file: every row, in one transaction, or nothing. A file with an error row
    (checked again now) is refused: status `refused`, the report says why."""
    _require(by, run.district)
    if not _claim(run):
        run.refresh_from_db()
        return run
    run.refresh_from_db()
    run.report = None  # the preview's report: rebuilt below, not kept twice in memory
    plan = plan_workbook(bytes(run.content), district=run.district, month=run.month)
    total = sum(row.status in ("created", "updated") for row in plan.rows)
    progress_report(run.pk, 0, total)
    if not plan.ok:
        return _finish(run, ImportRun.Status.REFUSED, plan.report())
    try:
        with transaction.atomic():
            plan_write(plan, run, by=by, progress=lambda done: progress_report(run.pk, done), bulk=bulk)
            return _finish(run, ImportRun.Status.DONE, plan.report(), done=total)
    except RowRefused as refused:
        refused.row.clean.errors.append(
            {
                "field": refused.error.field or "",
                "code": refused.error.code,
                "message": str(refused.error),
                "column": "",
                "value": "",
            }
        )
        refused.row.status = "error"
        return _finish(run, ImportRun.Status.REFUSED, plan.report())
    except Exception:
        _finish(run, ImportRun.Status.FAILED, {**plan.report(), "detail": _("导入失败，未写入任何数据。")})
        raise


def _finish(run: ImportRun, status: str, report: dict, *, done: int | None = None) -> ImportRun:
    run.status = status
    run.report = report
    run.committed_at = timezone.now() if status == ImportRun.Status.DONE else None
    run.rows_done = done if done is not None else 0
    run.save(update_fields=["status", "report", "committed_at", "rows_done", "updated_at"])
    return run


def import_enqueue(*, run: ImportRun, by) -> ImportRun:
    """Queue the commit for the background worker (imports.tasks.commit_import)."""
    from imports.tasks import commit_import

    _require(by, run.district)
    if run.status in (ImportRun.Status.PREVIEWED, ImportRun.Status.FAILED):
        run.status = ImportRun.Status.QUEUED
        run.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda: commit_import.enqueue(run.pk, by.pk))
    return run


def import_file(
    *, by, district, file_name: str, content: bytes, month=None, commit: bool = False, bulk: bool = True
) -> ImportRun:
    """Preview, and commit at once when asked and the file is clean (the command, small files)."""
    run = import_preview(by=by, district=district, file_name=file_name, content=content, month=month)
    if commit and run.status == ImportRun.Status.PREVIEWED:
        run = import_commit(run=run, by=by, bulk=bulk)
    return run
