"""The 台账 import pages: upload (a dry run), the preview with every error highlighted, the commit
(run by the background worker, with a progress bar), the report as Excel. Thin views over
imports.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.dates import parse_month
from core.errors import ServiceError
from imports.models import ImportRun
from imports.reader import MAX_FILE_BYTES
from imports.report_xlsx import error_workbook
from imports.services import import_district, import_enqueue, import_preview, import_runs
from pipeline.exports import XLSX_CONTENT_TYPE
from projects.models import District
from web.pages.access import deny_unless

SHOWN_ROWS = 500  # the preview lists the error rows first, then the others up to this many


def _districts(user):
    return [district for district in District.objects.all() if roles.can_import(user, district.pk)]


def _run(request, pk) -> ImportRun:
    run = import_runs(request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


@login_required
def import_upload(request):
    districts = _districts(request.user)
    deny_unless(bool(districts))
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ServiceError(_("请选择要导入的台账文件（.xlsx）。"), field="file")
            if upload.size > MAX_FILE_BYTES:
                raise ServiceError(
                    _("文件超过 %(mb)d MB。") % {"mb": MAX_FILE_BYTES // 1024 // 1024}, field="file"
                )
            month_text = (request.POST.get("month") or "").strip()
            try:
                month = parse_month(month_text) if month_text else None
            except ValueError as bad:
                raise ServiceError(str(bad), field="month") from None
            district = import_district(request.user, request.POST.get("district") or None)
            run = import_preview(
                by=request.user, district=district, file_name=upload.name, content=upload.read(), month=month
            )
            return redirect("import-detail", pk=run.pk)
        except ServiceError as refused:
            error = refused
    context = {
        "districts": districts,
        "error": error,
        "runs": import_runs(request.user)[:20],
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
    }
    return render(request, "web/imports/upload.html", context, status=400 if error else 200)


@login_required
def import_detail(request, pk: int):
    run = _run(request, pk)
    report = run.report or {}
    rows = report.get("rows", [])
    errors_only = request.GET.get("errors") == "1"
    error_rows = [row for row in rows if row["status"] == "error"]
    other_rows = [] if errors_only else [row for row in rows if row["status"] != "error"]
    shown = (error_rows + other_rows)[:SHOWN_ROWS]
    context = {
        "run": run,
        "report": report,
        "summary": report.get("summary", {}),
        "rows": shown,
        "hidden": len(error_rows) + len(other_rows) - len(shown),
        "errors_only": errors_only,
        "working": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
        "may_commit": run.status in (ImportRun.Status.PREVIEWED, ImportRun.Status.FAILED)
        and roles.can_import(request.user, run.district_id),
        "percent": int(100 * run.rows_done / run.rows_total) if run.rows_total else 0,
    }
    return render(request, "web/imports/detail.html", context)


@login_required
@require_POST
def import_commit_page(request, pk: int):
    run = _run(request, pk)
    try:
        import_enqueue(run=run, by=request.user)
    except ServiceError as refused:
        messages.error(request, refused.message)
    return redirect("import-detail", pk=run.pk)


@login_required
def import_status(request, pk: int):
    run = _run(request, pk)
    return JsonResponse(
        {
            "status": run.status,
            "label": run.get_status_display(),
            "rows_done": run.rows_done,
            "rows_total": run.rows_total,
            "finished": run.finished,
        }
    )


@login_required
def import_errors(request, pk: int):
    run = _run(request, pk)
    response = HttpResponse(error_workbook(run), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=import-{run.pk}-report.xlsx"
    return response
