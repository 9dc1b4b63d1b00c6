"""Creating an import's new projects in bulk, under the same rules as the services.

Through the services, each new project costs some forty queries (its code, model validation of
every foreign key, a row lock and a re-derivation per milestone), which puts a 10,000-row
workbook far past half a minute. Here the projects, events, reviews, progress and investors of
the whole file are built in memory and inserted with a few bulk INSERTs, and every rule the
services apply is applied by the same code:

- who may: accounts.roles.can_create_in_unit and can_record_step, per project and milestone;
- the transition table: projects.lifecycle.can_transition for every step of the path;
- dates: not in the future, not before the previous milestone (as pipeline.transitions);
- stage data: pipeline.transitions.clean_stage_data (required fields, money, text limits);
- the project's facts: projects.services.validate_model (the model's own validation);
- the derived fields: pipeline.transitions.derive_state over the events, version = one per event;
- codes: projects.services.project_codes_issue (the same sequence, locked);
- the change log: the same change types and payloads, recorded in the same order.

tests/imports/test_bulk.py imports one workbook both ways and compares what they wrote."""

from django.utils.translation import gettext as _

from accounts import roles
from changes.recording import created, diff, record, snapshot
from core.bulk import bulk_insert as insert
from core.dates import local_today
from core.errors import DateInFuture, DateOutOfOrder, IllegalTransition, ServiceError
from core.money import clean_money
from imports.models import ImportedRecord
from pipeline.models import MonthlyProgress, Review, StageEvent
from pipeline.transitions import REVIEW_FACTS, clean_stage_data, derive_state, event_changes
from projects.lifecycle import STEPS, Stage, can_transition
from projects.models import Investor, Project
from projects.services import INVESTOR_FIELDS, PROJECT_EDITABLE_FIELDS, project_codes_issue, validate_model

CHUNK = 1000
PROGRESS_FACTS = ("month", "funds_in_place", "investment_completed", "progress", "problems")
# Foreign keys are the loaded reference records of the district: not looked up again one by one.
NOT_REVALIDATED = ["code", "district", "unit", "industry", "park", "investor", "created_by"]


def _events_of(row, project: Project, by, note) -> list[StageEvent]:
    events, previous, today = [], None, local_today()
    for milestone in row.new_milestones:
        if previous is not None and not can_transition(previous.stage, milestone.stage):
            raise IllegalTransition(
                _("不能从“%(current)s”登记为“%(target)s”。")
                % {"current": Stage(previous.stage).label, "target": Stage(milestone.stage).label},
                field="stage",
            )
        roles.require(roles.can_record_step(by, project, STEPS[milestone.stage]))
        if milestone.date > today:
            raise DateInFuture(field="date")
        if previous is not None and milestone.date < previous.date:
            raise DateOutOfOrder(field="date")
        data = {key: value for key, value in milestone.data.items() if value is not None}
        cleaned = clean_stage_data(milestone.stage, data) if previous is not None else {}
        opinions = {key: cleaned.pop(key) for key in STEPS[Stage.APPROVED].required if key in cleaned}
        event = StageEvent(
            project=project,
            stage=milestone.stage,
            from_stage=previous.stage if previous is not None else "",
            date=milestone.date,
            note=note(milestone),
            recorded_by=by,
            **cleaned,
        )
        event.opinions = opinions
        event.date_unknown = milestone.date_unknown
        events.append(event)
        previous = event
    return events


def _build(row, *, by, investors, note) -> tuple:
    clean = row.clean
    facts = {"name": clean.name, **clean.facts}
    if clean.investor:
        facts["investor"] = investors.get(clean, bulk=True)
    unit = facts["unit"]
    roles.require(roles.can_create_in_unit(by, unit), _("您只能为本单位（本区）新建项目。"))
    first = row.new_milestones[0]
    project = Project(
        **facts,
        district_id=unit.district_id,
        stage=Stage.NEGOTIATING,
        stage_since=first.date,
        negotiation_started_on=first.date,
        created_by=by if getattr(by, "pk", None) else None,
        code="pending",
    )
    try:
        validate_model(project, exclude=NOT_REVALIDATED)
        events = _events_of(row, project, by, note)
    except ServiceError as error:
        error.row = row  # the report names the row
        raise
    return row, project, events


def bulk_create_projects(rows, run, *, by, investors, note, progress=None) -> None:
    """Create the projects of `rows` (planned rows with status `created`), with their events,
    reviews, progress, change records and import records, CHUNK rows at a time (what a chunk
    built is let go once it is inserted); `investors` finds or creates their investors."""
    for start in range(0, len(rows), CHUNK):
        built = [_build(row, by=by, investors=investors, note=note) for row in rows[start : start + CHUNK]]
        new_investors = investors.pending()
        insert(Investor, new_investors)
        for investor in new_investors:
            record("investor.created", investor, by=by, changes=created(snapshot(investor, INVESTOR_FIELDS)))
        _codes(built)
        for _row, project, events in built:
            project.investor = project.investor  # the investor's new pk into investor_id
            project.creation = snapshot(project, ("code", "district", *PROJECT_EDITABLE_FIELDS))
            for field, value in derive_state(events).items():
                setattr(project, field, value)
            project.version = len(events)
        insert(Project, [project for _row, project, _events in built])
        _write_children(built, run, by)
        for row, _project, _events in built:
            row.release()
        if progress:
            progress(start + len(built))


def _codes(built) -> None:
    years: dict[int, list[Project]] = {}
    for _row, project, _events in built:
        years.setdefault(project.negotiation_started_on.year, []).append(project)
    for year, projects in sorted(years.items()):
        codes = project_codes_issue(projects[0].district, year, len(projects))
        for project, code in zip(projects, codes, strict=True):
            project.code = code


def _write_children(built, run, by) -> None:
    all_events, reviews = [], []
    for _row, project, events in built:
        for event in events:
            event.project = project  # its new pk into project_id
        all_events.extend(events)
    insert(StageEvent, all_events)
    for event in all_events:
        if event.stage == Stage.APPROVED:
            reviews.append(
                Review(
                    project=event.project,
                    date=event.date,
                    decision=Review.Decision.APPROVED,
                    event=event,
                    note=event.note,
                    recorded_by=by,
                    **event.opinions,
                )
            )
    insert(Review, reviews)
    review_of = {review.event.pk: review for review in reviews}
    progress_rows = []
    for row, project, _events in built:
        for month, values in sorted(row.progress_changes.items()):
            progress_rows.append(
                MonthlyProgress(
                    project=project,
                    month=month,
                    funds_in_place=clean_money(
                        "funds_in_place", values.get("funds_in_place"), label=_("当月资金到位额")
                    ),
                    investment_completed=clean_money(
                        "investment_completed", values.get("investment_completed"), label=_("当月完成投资额")
                    ),
                    progress=(values.get("progress") or "").strip(),
                    problems=(values.get("problems") or "").strip(),
                    updated_by=by,
                )
            )
    insert(MonthlyProgress, progress_rows)
    links = []
    saved = {}
    for item in progress_rows:
        saved.setdefault(item.project.pk, []).append(item)
    for row, project, events in built:
        record("project.created", project, by=by, changes=created(project.creation))
        for event in events:
            review = review_of.get(event.pk)
            if review is not None:
                record(
                    "review.recorded",
                    review,
                    by=by,
                    project=project,
                    changes=created(snapshot(review, REVIEW_FACTS)),
                )
            record("event.recorded", event, by=by, project=project, changes=event_changes(event))
            if event.date_unknown:  # the change log holds every event; the run marks these
                links.append(ImportedRecord(run=run, project=project, event=event, date_unknown=True))
        for item in saved.get(project.pk, []):
            record(
                "progress.saved",
                item,
                by=by,
                project=project,
                changes=diff({}, snapshot(item, PROGRESS_FACTS)),
            )
        links.append(ImportedRecord(run=run, project=project, created=True))
        row.code = project.code
    insert(ImportedRecord, links)
