"""Writing a clean plan: every row through the services, in one transaction.

Projects are created by pipeline.intake.project_create, their facts changed by
projects.services.project_update, milestones recorded by pipeline.transitions.milestone_record
(so the transition table, the dates and the stage data hold, and the derived fields equal the
events), the month's progress saved by pipeline.progress.progress_save. Every change they record
carries the channel `import` and the file (name and SHA-256). A refusal of any row rolls the
whole import back: nothing is half written."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import atomic, channel
from core.errors import ServiceError
from imports.bulk import bulk_create_projects
from imports.check import CleanRow
from imports.models import ImportedRecord, ImportRun
from imports.plan import Plan, PlannedRow
from pipeline.intake import project_create
from pipeline.progress import progress_save
from pipeline.transitions import milestone_record
from projects.credit_code import normalize_credit_code
from projects.models import Investor
from projects.services import investor_create, project_update, validate_model

PROGRESS_EVERY = 200


class RowRefused(Exception):
    """A service refused a row the preview passed (the data changed meanwhile)."""

    def __init__(self, row: PlannedRow, error: ServiceError):
        self.row = row
        self.error = error
        super().__init__(str(error))


class Investors:
    """The file's investors, found once: by credit code when the sheet gives one, else by name;
    created when the district has none — through investor_create, or (`bulk`) built here under
    the same rules and inserted with the projects (imports.bulk)."""

    def __init__(self, rows: list[PlannedRow], by):
        self.by = by
        credit = {row.clean.credit_code for row in rows if row.clean.credit_code}
        names = {row.clean.investor for row in rows if row.clean.investor and not row.clean.credit_code}
        self.found: dict[tuple, Investor] = {}
        self.new: list[Investor] = []
        for investor in Investor.objects.filter(credit_code__in=credit):
            self.found[("credit", investor.credit_code)] = investor
        # By name: one without a credit code first, then the oldest.
        for investor in Investor.objects.filter(name__in=names).order_by("-credit_code", "-pk"):
            self.found[("name", investor.name)] = investor

    def get(self, clean: CleanRow, *, bulk: bool = False) -> Investor | None:
        if not clean.investor:
            return None
        key = ("credit", clean.credit_code) if clean.credit_code else ("name", clean.investor)
        if key not in self.found:
            if bulk:
                roles.require(roles.can_write(self.by))
                investor = Investor(name=clean.investor, credit_code=normalize_credit_code(clean.credit_code))
                validate_model(investor, validate_unique=False)  # the credit code: not in `found`
                self.new.append(investor)
                self.found[key] = investor
            else:
                self.found[key] = investor_create(
                    by=self.by, name=clean.investor, credit_code=clean.credit_code
                )
        return self.found[key]

    def pending(self) -> list[Investor]:
        """The investors built for the bulk path, to be inserted (once)."""
        new, self.new = self.new, []
        return new


def _note(run: ImportRun, milestone) -> str:
    note = _("台账导入：%(file)s") % {"file": run.file_name}
    if milestone.date_unknown:
        note += _("（台账未载明日期，按下一节点日期记录）")
    return note


def _write_row(row: PlannedRow, run: ImportRun, by, investors: Investors, links: list) -> None:
    clean = row.clean
    project = row.project
    facts = dict(row.fact_changes) if project else {"name": clean.name, **clean.facts}
    if clean.investor and (project is None or "investor" in facts):
        facts["investor"] = investors.get(clean)
    milestones = list(row.new_milestones)
    if project is None:
        first = milestones.pop(0)
        project = project_create(by=by, negotiation_started_on=first.date, note=_note(run, first), **facts)
        links.append(ImportedRecord(run=run, project=project, created=True))
        if first.date_unknown:
            links.append(
                ImportedRecord(run=run, project=project, event=project.events.get(), date_unknown=True)
            )
    else:
        if facts:
            project = project_update(project=project, by=by, **facts)
        links.append(ImportedRecord(run=run, project=project))
    for milestone in milestones:
        data = {key: value for key, value in milestone.data.items() if value is not None}
        event = milestone_record(
            project=project,
            by=by,
            stage=milestone.stage,
            date=milestone.date,
            note=_note(run, milestone),
            **data,
        )
        if milestone.date_unknown:  # the change log holds every event; the run marks these
            links.append(ImportedRecord(run=run, project=project, event=event, date_unknown=True))
    for month, values in sorted(row.progress_changes.items()):
        progress_save(project=project, by=by, month=month, **values)
    row.code = project.code


def plan_write(
    plan: Plan, run: ImportRun, *, by, progress: Callable[[int], None] | None = None, bulk: bool = True
) -> None:
    """Write every row of a clean plan in one transaction; RowRefused (nothing written) if a
    service refuses one. New projects go in bulk (imports.bulk, the same rules) unless
    `bulk=False`; rows updating a project go through the services one by one."""
    assert plan.ok, "only a plan without errors is written"
    rows = [row for row in plan.rows if row.status in ("created", "updated")]
    with channel("import", source=run.source()), atomic():
        investors = Investors(rows, by)
        links: list[ImportedRecord] = []
        one_by_one = [row for row in rows if row.project is not None or not bulk]
        if bulk:
            created_rows = [row for row in rows if row.project is None]
            try:
                bulk_create_projects(
                    created_rows,
                    run,
                    by=by,
                    investors=investors,
                    note=lambda m: _note(run, m),
                    progress=progress,
                )
            except ServiceError as error:
                raise RowRefused(getattr(error, "row", None) or created_rows[0], error) from error
        offset = len(rows) - len(one_by_one)
        for done, row in enumerate(one_by_one, start=offset + 1):
            try:
                _write_row(row, run, by, investors, links)
            except ServiceError as error:
                raise RowRefused(row, error) from error
            row.release()
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)
        ImportedRecord.objects.bulk_create(links, batch_size=1000)
        for row in plan.rows:
            if row.status == "unchanged":
                row.code = row.project.code
