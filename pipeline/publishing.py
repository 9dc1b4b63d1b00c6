"""Publishing a month's ledger: a district manager freezes it; re-publishing adds a version.

Entry points:

    ledger_publish(*, district, month, by, note="") -> PublishedLedger
        Manager of the district only (accounts.roles.can_publish). Freezes ledger(month,
        district=...) as JSON with who and when; version = previous + 1.
    published_ledger(district, month, version=None) -> PublishedLedger | None
    ledger_as_published(*, district, month) -> dict | None
        The latest published version (Decimals and dates restored) with `published` (version,
        who, when, note, versions) and `corrections`: what today's recomputation of the same
        month says differently (rows added, removed, changed field by field).
"""

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from changes.recording import atomic, record
from core.dates import local_today, month_end, month_start
from core.errors import InvalidValue
from pipeline.filters import as_month
from pipeline.ledger import ledger, ledger_rows
from pipeline.ledger_json import ledger_from_json, ledger_json
from pipeline.models import PublishedLedger
from projects.models import District, Project

# Row fields a correction is reported for, with their labels.
CORRECTION_FIELDS = {
    "stage": gettext_lazy("台账栏目"),
    "stage_since": gettext_lazy("进入本阶段日期"),
    "is_overdue": gettext_lazy("是否逾期"),
    "total_investment": gettext_lazy("总投资"),
    "contract_investment": gettext_lazy("合同投资额"),
    "month_funds_in_place": gettext_lazy("当月资金到位"),
    "month_investment_completed": gettext_lazy("当月完成投资"),
    "funds_in_place_total": gettext_lazy("累计资金到位"),
    "progress": gettext_lazy("进展情况"),
    "name": gettext_lazy("项目名称"),
    "unit_name": gettext_lazy("责任单位"),
}


def district_filters(district: District) -> dict:
    return {"district": district.code}


def month_publishable(first: dt.date) -> bool:
    """A month is published from its last day on: before, its ledger is read as of today
    (pipeline.asof.as_of_day) and would later differ by the calendar alone."""
    return local_today() >= month_end(first)


@atomic
def ledger_publish(*, district: District, month, by, note: str = "") -> PublishedLedger:
    """Freeze the district's ledger of `month` as published by `by`.

    Rules: only a manager of the district publishes; the month has reached its last day (the
    ledger of a month under way is read as of today and would later differ by the calendar
    alone, not by any correction); earlier versions are kept, the new one gets the next number.
    The district row is locked so two managers publishing at once get versions n and n+1."""
    roles.require(roles.can_publish(by, district.pk), _("只有本区招商投资局管理人员可以发布月度台账。"))
    first = as_month(month)
    if first > month_start(local_today()):
        raise InvalidValue(_("不能发布未来月份的台账。"), field="month")
    if not month_publishable(first):
        raise InvalidValue(
            _("%(month)s 尚未结束，自月末（%(day)s）起可以发布。")
            % {"month": f"{first:%Y-%m}", "day": month_end(first).isoformat()},
            field="month",
        )
    if "\x00" in (note or ""):
        raise InvalidValue(_("发布说明含有非法字符。"), field="note")
    District.objects.select_for_update().get(pk=district.pk)
    data = ledger_json(ledger(first, filters=district_filters(district)))
    latest = PublishedLedger.objects.filter(district=district, month=first).aggregate(v=Max("version"))["v"]
    published = PublishedLedger.objects.create(
        district=district,
        month=first,
        version=(latest or 0) + 1,
        data=data,
        published_by=by,
        note=(note or "").strip(),
    )
    record(
        "ledger.published",
        published,
        by=by,
        changes={"month": [None, f"{first:%Y-%m}"], "version": [(latest or None), published.version]},
    )
    return published


def published_ledger(district, month, version: int | None = None) -> PublishedLedger | None:
    queryset = PublishedLedger.objects.filter(district=district, month=as_month(month)).select_related(
        "published_by"
    )
    if version is not None:
        return queryset.filter(version=version).first()
    return queryset.order_by("-version").first()


def _comparable(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def corrections(published: dict, current: dict) -> dict:
    """Rows of `current` that differ from `published` (both in the Python form)."""
    before = {row["id"]: row for row in published.get("rows", ())}
    after = {row["id"]: row for row in current.get("rows", ())}
    added = [after[pk] for pk in after if pk not in before]
    removed = [before[pk] for pk in before if pk not in after]
    changed = []
    for pk, row in after.items():
        old = before.get(pk)
        if old is None:
            continue
        changes = [
            {
                "field": field,
                "label": str(label),
                "published": old.get(field),
                "current": row.get(field),
            }
            for field, label in CORRECTION_FIELDS.items()
            if _comparable(old.get(field)) != _comparable(row.get(field))
        ]
        if changes:
            changed.append({"id": pk, "code": row["code"], "name": row["name"], "changes": changes})
    summary_changes = [
        {
            "stage": stage,
            "label": entry["label"],
            "published": {"count": entry["count"], "total_investment": entry["total_investment"]},
            "current": {
                "count": current["summary"][stage]["count"],
                "total_investment": current["summary"][stage]["total_investment"],
            },
        }
        for stage, entry in published["summary"].items()
        if stage in current["summary"]
        and (
            entry["count"] != current["summary"][stage]["count"]
            or entry["total_investment"] != current["summary"][stage]["total_investment"]
        )
    ]
    return {
        "count": len(added) + len(removed) + len(changed),
        "added": added,
        "removed": removed,
        "changed": changed,
        "summary": summary_changes,
    }


def publication_info(record: PublishedLedger, versions: list[int]) -> dict:
    by = record.published_by
    return {
        "version": record.version,
        # Local time with its offset, as every other timestamp of the API (not UTC's "Z").
        "published_at": timezone.localtime(record.published_at),
        "published_by": (by.get_full_name() or by.username) if by else "",
        "note": record.note,
        "versions": versions,
    }


def ledger_as_published(*, district: District, month, version: int | None = None) -> dict | None:
    """The published ledger of the month (latest version unless `version`), with the
    corrections made since listed beside it; None when the month was never published."""
    record = published_ledger(district, month, version)
    if record is None:
        return None
    versions = list(
        PublishedLedger.objects.filter(district=district, month=record.month)
        .order_by("version")
        .values_list("version", flat=True)
    )
    data = ledger_from_json(record.data)
    data["published"] = publication_info(record, versions)
    data["corrections"] = corrections_since(record, data)
    return data


def corrections_since(record: PublishedLedger, published: dict) -> dict:
    """corrections() of a published ledger, reading today's rows of only the projects that can
    differ: those written since (a milestone, a void, progress, a fact or the investor all bump
    the project's `updated_at`) or whose unit was renamed since. Every other row is what was
    published, so the whole month need not be recomputed (1.5 s for an 11,000-row month)."""
    since = record.published_at
    changed = Q(updated_at__gt=since) | Q(unit__updated_at__gt=since)
    filters = district_filters(record.district)
    current = ledger(record.month, filters=filters, rows=False)  # the summary of today
    current["rows"] = ledger_rows(record.month, filters=filters, narrow=changed)
    ids = set(Project.objects.filter(changed, district=record.district).values_list("pk", flat=True))
    return corrections({**published, "rows": [row for row in published["rows"] if row["id"] in ids]}, current)


def reader_district(user, filters) -> District | None:
    """The one district a request is about: the `district` filter, or the reader's own
    district when the reader sees all of it (managers, district system accounts)."""
    code = (filters or {}).get("district") if filters else None
    if isinstance(code, list | tuple):
        code = code[-1] if code else None
    if code:
        if not isinstance(code, str) or "\x00" in code:
            raise InvalidValue(_("区县代码含有非法字符。"), field="district")
        return District.objects.filter(code=code).first()
    if user is not None and roles.project_scope(user) == roles.district_scope(user):  # whole district
        district_id = user.home_district_id
        if district_id:
            return District.objects.filter(pk=district_id).first()
    return None


def _only_district(filters) -> bool:
    if not filters:
        return True
    return all(key in ("district",) or not filters.get(key) for key in filters)


def ledger_for_reader(month, *, user, filters=None, version: int | None = None, rows: bool = True) -> dict:
    """What a reader is shown for `month`: the published version with its corrections when
    the request is for one whole district (no other filter) that was published and the reader
    sees all of it; otherwise the ledger computed now. Future months have no ledger yet.
    rows=False leaves the rows out of the ledger computed now (the page reads them a slice at
    a time, pipeline.ledger_pages); a published version always has them."""
    first = as_month(month)
    if first > month_start(local_today()):
        raise InvalidValue(_("%(month)s 尚未开始，没有台账。") % {"month": f"{first:%Y-%m}"}, field="month")
    district = reader_district(user, filters)
    whole_district = (
        district is not None and _only_district(filters) and roles.sees_whole_district(user, district.pk)
    )
    # Offered only when ledger_publish would accept it: one whole district, a manager of it, and
    # the month at its last day or over.
    can_publish = bool(whole_district and roles.can_publish(user, district.pk) and month_publishable(first))
    if whole_district:
        published = ledger_as_published(district=district, month=first, version=version)
        if published is not None:
            published["district"] = {"code": district.code, "name": district.name}
            published["can_publish"] = can_publish
            return published
    if version is not None:
        message = _("该月份没有第 %(version)s 版已发布台账。") % {"version": version}
        raise InvalidValue(message, field="version")
    data = ledger(first, user=user, filters=filters, rows=rows)
    data["published"] = None
    data["corrections"] = None
    data["district"] = {"code": district.code, "name": district.name} if district else None
    data["can_publish"] = can_publish
    return data
