"""The 专项报告's .docx as downloaded.

report_file(*, district, month, version=None) -> (bytes, filename)
    A published month: the file built once from the frozen report and kept with the
    publication, so every download is the same bytes (built here if the background task
    has not built it yet). A month not published: a draft built now.
build_report_file(publication_id)   the background task (django-tasks) a publication enqueues
"""

from django.db import transaction
from django_tasks import task

from monthend.models import Publication
from monthend.report.content import report_for
from monthend.report.docx import render_docx


def _filename(data: dict, publication) -> str:
    suffix = f"-v{publication.ledger.version}" if publication else "-draft"
    return f"report-{data['district']['code']}-{data['month']}{suffix}.docx"


def _built(publication: Publication) -> bytes:
    if publication.report_docx is not None:
        return bytes(publication.report_docx)
    content = render_docx(publication.report)
    # Whoever builds first keeps it; the same data renders the same bytes anyway.
    Publication.objects.filter(pk=publication.pk, report_docx__isnull=True).update(report_docx=content)
    return bytes(Publication.objects.values_list("report_docx", flat=True).get(pk=publication.pk))


def report_file(*, district, month, version=None) -> tuple[bytes, str]:
    data, publication = report_for(district=district, month=month, version=version)
    if publication is None:
        return render_docx(data), _filename(data, None)
    return _built(publication), _filename(data, publication)


@task()
def build_report_file(publication_id: int) -> None:
    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is not None and publication.report is not None:
        _built(publication)


def enqueue_report_file(publication: Publication) -> None:
    """Build the file once the publication has committed, in the background worker."""
    transaction.on_commit(lambda: build_report_file.enqueue(publication.pk))
