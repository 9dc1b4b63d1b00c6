"""The checked publication of a month's ledger.

month_publish(*, district, month, by, note="", confirm_gaps=False) -> Publication
    A manager of the district publishes after the pre-flight (monthend.preflight): with gaps
    (progress not filed, overdue projects with no exit review) only when `confirm_gaps` says
    so, and the pre-flight is kept with the publication. The ledger itself is frozen by
    pipeline.publishing.ledger_publish; a re-publication records what changed since the
    previous version (the same comparison as the corrections of a published ledger). The
    专项报告's content and the year-to-date scorecard are frozen with it, so the report of a
    published month never changes. One transaction, the district row locked.

The publications are read through monthend.selectors.
"""

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, record
from core.errors import GapsNotConfirmed
from monthend.models import Publication
from monthend.preflight import preflight
from monthend.report.content import freeze_report
from monthend.report.files import enqueue_report_file
from pipeline.filters import as_month
from pipeline.ledger_json import ledger_from_json, ledger_json
from pipeline.publishing import corrections, ledger_publish, published_ledger
from projects.models import District


@atomic
def month_publish(
    *, district: District, month, by, note: str = "", confirm_gaps: bool = False
) -> Publication:
    """Publish the district's ledger of `month` after its pre-flight (see the module docstring)."""
    roles.require(roles.can_publish(by, district.pk), _("只有本区招商投资局管理人员可以发布月度台账。"))
    first = as_month(month)
    District.objects.select_for_update().get(pk=district.pk)
    check = preflight(district=district, month=first)
    if check["gaps"] and confirm_gaps is not True:
        raise GapsNotConfirmed(
            _(
                "%(month)s 尚有 %(missing)s 个项目未填报月度进展、%(unreviewed)s 个逾期项目未提请退出审议；"
                "如仍要发布，请确认带缺项发布（这些缺项将随台账一并记录）。"
            )
            % {"month": f"{first:%Y-%m}", "missing": check["missing"], "unreviewed": check["unreviewed"]},
            field="confirm_gaps",
        )
    previous = published_ledger(district, first)
    ledger = ledger_publish(district=district, month=first, by=by, note=note)
    changes = None
    if previous is not None:
        changes = ledger_json(corrections(ledger_from_json(previous.data), ledger_from_json(ledger.data)))
        changes["previous_version"] = previous.version
    publication = Publication.objects.create(
        ledger=ledger,
        preflight=ledger_json(check),
        gaps=check["gaps"],
        gaps_confirmed=bool(check["gaps"]),
        changes=changes,
    )
    freeze_report(publication)
    enqueue_report_file(publication)
    record(
        "ledger.checked",
        publication,
        by=by,
        district_id=district.pk,
        changes={
            "month": [None, f"{first:%Y-%m}"],
            "version": [None, ledger.version],
            "gaps": [None, check["gaps"]],
            "gaps_confirmed": [None, publication.gaps_confirmed],
            "changed_since_previous": [None, changes["count"] if changes else None],
        },
    )
    return publication
