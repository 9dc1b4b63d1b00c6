"""The preview: every data row of a workbook checked, matched to the district's projects and
given its outcome — created, updated, unchanged or error — without writing anything.

A row matches an existing project of the district by 项目编号; else by name and investor (the
credit code when the sheet gives one, else the investor's name). A matched row may advance the
stage, add milestones and change facts and the month's progress; a row contradicting the recorded
history (an earlier stage, another date for a milestone already recorded, another contract
investment) is an error that says so. Two rows of the file meaning one project are an error."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from core.dates import local_today
from imports.check import FACT_FIELDS, CleanRow, check_row
from imports.columns import FIELD_BY_KEY
from imports.reader import read_workbook
from imports.references import References
from imports.rows import sheet_rows
from imports.values import CellError
from pipeline.models import MonthlyProgress
from projects.lifecycle import DATE_FIELDS, FORWARD, Stage
from projects.models import Project

CHUNK = 1000
STATUSES = ("created", "updated", "unchanged", "error")


@dataclass
class PlannedRow:
    clean: CleanRow
    status: str = "error"
    project: Project | None = None
    fact_changes: dict = field(default_factory=dict)
    new_milestones: list = field(default_factory=list)
    progress_changes: dict = field(default_factory=dict)  # month → full values to save
    code: str | None = None  # the project code, matched or given at the commit

    def release(self) -> None:
        """Let go of what was written (a big import keeps only what its report says)."""
        self.clean.raw.cells = {}
        self.clean.facts = {}
        self.clean.milestones = []
        self.clean.progress = {}
        self.new_milestones = []
        self.progress_changes = {}
        self.fact_changes = {}

    def as_report(self) -> dict:
        raw = self.clean.raw
        return {
            "sheet": raw.sheet,
            "row": raw.row,
            "status": self.status,
            "project": self.code or (self.project.code if self.project else None),
            "name": self.clean.name,
            "errors": self.clean.errors,
        }


@dataclass
class Plan:
    rows: list[PlannedRow]
    month: dt.date | None
    sheets: list[dict]  # each sheet: name, header rows, columns recognised, skipped or not
    file_errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(row.status != "error" for row in self.rows)

    def summary(self) -> dict:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return {
            "rows": len(self.rows),
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
            "errors": counts["error"] + (1 if self.file_errors else 0),
        }

    def report(self) -> dict:
        return {
            "summary": self.summary(),
            "month": f"{self.month:%Y-%m}" if self.month else None,
            "file_errors": self.file_errors,
            "sheets": self.sheets,
            "rows": [row.as_report() for row in self.rows],
        }


def plan_workbook(data: bytes, *, district, month: dt.date | None = None, reader: str = "calamine") -> Plan:
    """Read, check and match every row of the workbook `data` for `district`. `month` (its first
    day) is the month the workbook is for; by default the month its title names."""
    try:
        sheets = read_workbook(data, reader=reader)
    except CellError as error:
        return Plan([], month, [], [{"field": "file", "code": error.code, "message": error.message}])
    raws, described = [], []
    for sheet in sheets:
        found, rows = sheet_rows(sheet)
        if found and month is None and found.month:
            month = dt.date(found.month[0], found.month[1], 1)
        described.append(_describe(sheet.name, found, len(rows)))
        raws.extend(rows)
    plan = Plan([], month, described)
    if not raws:
        plan.file_errors.append(
            {"field": "file", "code": "no_rows", "message": _("文件中没有找到带“项目名称”表头的数据行。")}
        )
        return plan
    if month and month > local_today():
        plan.file_errors.append(
            {
                "field": "month",
                "code": "date_in_future",
                "message": _("台账月份 %(month)s 尚未到来。") % {"month": f"{month:%Y-%m}"},
            }
        )
    refs = References(district)
    today = local_today()
    plan.rows = [PlannedRow(check_row(raw, refs, month=month, today=today)) for raw in raws]
    _match(plan.rows, district)
    for row in plan.rows:
        _outcome(row)
    return plan


def _describe(name: str, found, count: int) -> dict:
    if found is None:
        return {
            "name": name,
            "skipped": True,
            "header_rows": [],
            "columns": {},
            "unrecognised": [],
            "rows": 0,
        }
    return {
        "name": name,
        "skipped": False,
        "header_rows": list(found.header_rows),
        "columns": {key: column.header for key, column in found.columns.items()},
        "unrecognised": found.unrecognised,
        "rows": count,
    }


def _investor_key(clean: CleanRow) -> tuple:
    return ("credit", clean.credit_code) if clean.credit_code else ("name", clean.investor)


def _project_investor_key(project: Project, by_credit: bool) -> tuple:
    investor = project.investor
    if by_credit:
        return ("credit", investor.credit_code if investor else "")
    return ("name", investor.name if investor else "")


def _candidates(rows: list[PlannedRow], district) -> list[Project]:
    codes = sorted({row.clean.code for row in rows if row.clean.code})
    names = sorted({row.clean.name for row in rows if row.clean.name})
    found: dict[int, Project] = {}
    base = Project.objects.filter(district=district).select_related("investor")
    for values, lookup in ((codes, "code__in"), (names, "name__in")):
        for start in range(0, len(values), CHUNK):
            for project in base.filter(Q(**{lookup: values[start : start + CHUNK]})):
                found[project.pk] = project
    return list(found.values())


def _match(rows: list[PlannedRow], district) -> None:
    projects = _candidates(rows, district)
    by_code = {project.code: project for project in projects}
    by_name: dict[str, list[Project]] = {}
    for project in projects:
        by_name.setdefault(project.name, []).append(project)
    seen_keys: dict[tuple, int] = {}
    seen_projects: dict[int, int] = {}
    for row in rows:
        clean = row.clean
        if not clean.name:
            continue
        project = by_code.get(clean.code) if clean.code else None
        if project is None:
            key = _investor_key(clean)
            same = [
                p
                for p in by_name.get(clean.name, [])
                # A sheet without an investor matches on the name alone.
                if not clean.investor or _project_investor_key(p, key[0] == "credit") == key
            ]
            if len(same) > 1:
                clean.error(
                    "name",
                    "ambiguous_match",
                    _("本区有 %(n)d 个同名同投资主体的项目（%(codes)s），请填写项目编号。")
                    % {"n": len(same), "codes": "、".join(p.code for p in same)},
                )
                continue
            project = same[0] if same else None
        key = ("code", clean.code) if clean.code else ("name", clean.name, *_investor_key(clean))
        for seen, first in ((seen_keys, key), (seen_projects, project.pk if project else None)):
            if first is not None and first in seen:
                clean.error(
                    "name",
                    "duplicate_in_file",
                    _("与第 %(row)s 行是同一个项目，不能重复导入。") % {"row": seen[first]},
                )
                break
        seen_keys.setdefault(key, clean.raw.row)
        if project is not None:
            seen_projects.setdefault(project.pk, clean.raw.row)
        row.project = project
    _load_progress(rows)


def _load_progress(rows: list[PlannedRow]) -> None:
    wanted = [row for row in rows if row.project is not None and row.clean.progress]
    ids = sorted({row.project.pk for row in wanted})
    existing: dict[tuple[int, dt.date], MonthlyProgress] = {}
    for start in range(0, len(ids), CHUNK):
        for record in MonthlyProgress.objects.filter(project_id__in=ids[start : start + CHUNK]):
            existing[(record.project_id, record.month)] = record
    for row in wanted:
        for month, values in row.clean.progress.items():
            record = existing.get((row.project.pk, month))
            before = {key: getattr(record, key) for key in values} if record else {}
            if before != values:
                full = {
                    key: getattr(record, key) if record else None
                    for key in ("funds_in_place", "investment_completed", "progress", "problems")
                }
                full.update(values)
                row.progress_changes[month] = {k: v for k, v in full.items() if v is not None}


def _label(key: str) -> str:
    return str(FIELD_BY_KEY[key].label) if key in FIELD_BY_KEY else key


def _outcome(row: PlannedRow) -> None:
    clean, project = row.clean, row.project
    if clean.errors:
        row.status = "error"
        return
    if project is None:
        row.status = "created"
        row.new_milestones = list(clean.milestones)
        row.progress_changes = dict(clean.progress)
        return
    _against_history(row)
    if clean.errors:
        row.status = "error"
        return
    if clean.name != project.name:
        row.fact_changes["name"] = clean.name
    if clean.investor:
        key = _investor_key(clean)
        if project.investor is None or _project_investor_key(project, key[0] == "credit") != key:
            row.fact_changes["investor"] = None  # found or created when written
    for key in FACT_FIELDS:
        if key not in clean.facts:
            continue
        value = clean.facts[key]
        current = (
            getattr(project, f"{key}_id") if key in ("industry", "unit", "park") else getattr(project, key)
        )
        wanted = value.pk if key in ("industry", "unit", "park") else value
        if current != wanted:
            row.fact_changes[key] = value
    changed = row.fact_changes or row.new_milestones or row.progress_changes
    row.status = "updated" if changed else "unchanged"


def _against_history(row: PlannedRow) -> None:
    clean, project = row.clean, row.project
    reached = {stage: getattr(project, DATE_FIELDS[stage]) for stage in DATE_FIELDS}
    if project.stage == Stage.TERMINATED and clean.stage != Stage.TERMINATED:
        clean.error(
            "stage",
            "contradicts_history",
            _("项目 %(code)s 已于 %(date)s 终止，台账却为“%(stage)s”。")
            % {"code": project.code, "date": project.terminated_on, "stage": Stage(clean.stage).label},
        )
        return
    if (
        clean.stage in FORWARD
        and project.stage in FORWARD
        and FORWARD.index(clean.stage) < FORWARD.index(project.stage)
    ):
        clean.error(
            "stage",
            "contradicts_history",
            _("项目 %(code)s 已是“%(current)s”（%(date)s），台账为更早的“%(stage)s”。")
            % {
                "code": project.code,
                "current": project.get_stage_display(),
                "date": project.stage_since,
                "stage": Stage(clean.stage).label,
            },
        )
        return
    for milestone in clean.milestones:
        key = DATE_FIELDS[milestone.stage]
        recorded = reached[milestone.stage]
        if recorded is not None:
            if milestone.explicit and milestone.date != recorded:
                clean.error(
                    key,
                    "contradicts_history",
                    _("%(label)s %(date)s 与项目 %(code)s 已登记的 %(recorded)s 不同。")
                    % {
                        "label": _label(key),
                        "date": milestone.date,
                        "code": project.code,
                        "recorded": recorded,
                    },
                )
            amount = milestone.data.get("contract_investment")
            if (
                milestone.stage == Stage.SIGNED
                and amount is not None
                and amount != project.contract_investment
            ):
                clean.error(
                    "contract_investment",
                    "contradicts_history",
                    _("合同投资额 %(amount)s 与项目 %(code)s 签约时登记的 %(recorded)s 不同。")
                    % {"amount": amount, "code": project.code, "recorded": project.contract_investment},
                )
            continue
        if project.stage == Stage.AT_CAPACITY and milestone.stage == Stage.TERMINATED:
            clean.error(
                "stage",
                "contradicts_history",
                _("项目 %(code)s 已达产，不能再终止。") % {"code": project.code},
            )
            return
        if (
            milestone.stage in FORWARD
            and project.stage in FORWARD
            and FORWARD.index(milestone.stage) <= FORWARD.index(project.stage)
        ):
            continue  # passed without a date of its own (never the case for a recorded project)
        if milestone.date < project.stage_since:
            clean.error(
                key,
                "date_out_of_order",
                _("%(label)s %(date)s 早于项目 %(code)s 已登记的“%(stage)s”日期 %(since)s。")
                % {
                    "label": _label(key),
                    "date": milestone.date,
                    "code": project.code,
                    "stage": project.get_stage_display(),
                    "since": project.stage_since,
                },
            )
            return
        row.new_milestones.append(milestone)
