"""Building the demo through the services, idempotently."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Role, User
from core.dates import add_months, local_today, month_end, month_start
from demo.generated import generated
from demo.monthend import MonthEnd, exit_by_review
from demo.projects import demo_projects
from demo.specs import (
    DEMO_PASSWORD,
    GROUPS,
    INVESTORS,
    PROBLEMS,
    PROGRESS_TEXTS,
    PROGRESS_YEARS_BACK,
    USERS,
    WRITTEN_ON,
    DemoProject,
    ReferenceDataMissing,
    d,
)
from demo.supervision import Supervision
from pipeline.intake import project_create
from pipeline.models import ExitReason, Review
from pipeline.progress import progress_save
from pipeline.transitions import event_void, milestone_record, review_record
from projects.lifecycle import Stage
from projects.models import District, Industry, Investor, Park, Project, Unit
from projects.services import investor_create
from supervision.tasks import task_create, task_report, task_verify

# --- building ----------------------------------------------------------------------------


@dataclass
class Report:
    users_created: list[str] = field(default_factory=list)
    users_skipped: list[str] = field(default_factory=list)
    projects_created: list[str] = field(default_factory=list)
    projects_skipped: list[str] = field(default_factory=list)
    investors_created: int = 0
    events: int = 0
    progress: int = 0
    requests: int = 0
    reminders: int = 0
    published: int = 0
    supervision: dict = field(default_factory=dict)


class DemoBuilder:
    def __init__(self, *, password: str = DEMO_PASSWORD, today: dt.date | None = None):
        self.password = password
        self.today = today or local_today()
        self.report = Report()
        self.investors = dict(INVESTORS)

    # reference data -----------------------------------------------------------------------

    def check_reference(self, projects: list[DemoProject]) -> None:
        needed = {
            District: {p.district for p in projects} | {u.district for u in USERS if u.district},
            Unit: {p.unit for p in projects}
            | {r.unit for p in projects for r in p.requests}
            | {u.unit for u in USERS if u.unit},
            Park: {p.park for p in projects if p.park},
            Industry: {p.industry for p in projects},
        }
        if not District.objects.exists():
            raise ReferenceDataMissing(
                "尚未载入参考数据（区县、单位、园区、产业）。请先运行 python manage.py loaddata reference。"
            )
        missing = []
        for model, codes in needed.items():
            found = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
            missing += [f"{model._meta.verbose_name} {code}" for code in sorted(codes - found)]
        if missing:
            raise ReferenceDataMissing(
                "未找到参考数据：" + "、".join(missing) + "。请先运行 python manage.py loaddata reference。"
            )

    # users --------------------------------------------------------------------------------

    def ensure_groups(self) -> dict[str, Group]:
        groups = {}
        for role, (name, codenames) in GROUPS.items():
            group, _ = Group.objects.get_or_create(name=name)
            wanted = set()
            for perm in codenames:
                app_label, codename = perm.split(".")
                wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename).pk)
            if set(group.permissions.values_list("pk", flat=True)) != wanted:
                group.permissions.set(wanted)
            groups[role] = group
        return groups

    def ensure_users(self) -> None:
        groups = self.ensure_groups()
        for spec in USERS:
            if User.objects.filter(username=spec.username).exists():
                self.report.users_skipped.append(spec.username)
                continue
            user = User(
                username=spec.username,
                first_name=spec.name,
                role=spec.role,
                district=District.objects.get(code=spec.district) if spec.district else None,
                unit=Unit.objects.get(code=spec.unit) if spec.unit else None,
                read_only=spec.read_only,
                is_staff=spec.staff or spec.superuser,
                is_superuser=spec.superuser,
            )
            user.set_password(self.password)
            user.full_clean()
            user.save()
            if spec.role in groups and not spec.superuser:
                user.groups.add(groups[spec.role])
            self.report.users_created.append(spec.username)

    def _manager(self, district_code: str) -> User:
        user = User.objects.filter(
            role=Role.DISTRICT_MANAGER, district__code=district_code, is_active=True, is_superuser=False
        ).first()
        return user or User.objects.filter(is_superuser=True, is_active=True).first()

    def _recorder(self, project: Project, stage: str) -> User:
        """Approvals and exits by the district's manager; other steps by the unit's clerk."""
        if stage not in (Stage.APPROVED, Stage.TERMINATED):
            clerk = User.objects.filter(
                role=Role.UNIT_STAFF, unit=project.unit, is_active=True, read_only=False
            ).first()
            if clerk:
                return clerk
        return self._manager(project.district.code)

    # investors ----------------------------------------------------------------------------

    def investor(self, name: str | None, by: User) -> Investor | None:
        if not name:
            return None
        spec = self.investors.get(name)
        existing = Investor.objects.filter(name=name).first()
        if existing:
            return existing
        if spec is None:
            return investor_create(by=by, name=name)
        self.report.investors_created += 1
        return investor_create(
            by=by,
            name=spec.name,
            credit_code=spec.credit_code,
            origin=spec.origin,
            is_high_tech=spec.is_high_tech,
            is_listed=spec.is_listed,
            is_foreign=spec.is_foreign,
        )

    # projects -----------------------------------------------------------------------------

    def build_all(self) -> Report:
        extra, investors = generated(self.today)
        self.investors.update(investors)
        projects = demo_projects() + extra
        self.check_reference(projects)
        self.ensure_users()
        for spec in projects:
            if Project.objects.filter(district__code=spec.district, name=spec.name).exists():
                self.report.projects_skipped.append(f"{spec.district} {spec.name}")
                continue
            self.build(spec)
            self.report.projects_created.append(f"{spec.district} {spec.name}")
        self.issue_reminders(sorted({spec.district for spec in projects}))
        self.report.supervision = Supervision(manager_of=self._manager, today=self.today).run(
            sorted({spec.district for spec in projects})
        )
        self.report.published = MonthEnd(
            manager_of=self._manager, clerk_of=lambda p: self._recorder(p, Stage.STARTED), today=self.today
        ).run(sorted({spec.district for spec in projects}))
        return self.report

    def issue_reminders(self, district_codes: list[str]) -> None:
        """The last two complete months' 提示函 through the service (idempotent: a month issued
        before is not issued twice); the earlier month's letters are signed (by the unit's clerk, or
        the district's manager where the demo has no clerk for the unit)."""
        from pipeline.reminders import last_complete_month, reminder_acknowledge, reminders_issue

        latest = last_complete_month(self.today)
        for code in district_codes:
            district = District.objects.get(code=code)
            for month in (add_months(latest, -1), latest):
                result = reminders_issue(district=district, month=month, by=self._manager(code))
                self.report.reminders += len(result.created)
                if month == latest:
                    continue
                for reminder in result.created:
                    clerk = User.objects.filter(
                        role=Role.UNIT_STAFF, unit=reminder.unit_id, is_active=True, read_only=False
                    ).first()
                    reminder_acknowledge(reminder=reminder, by=clerk or self._manager(code))

    def ahead(self, value: str | None, spec: DemoProject | None = None) -> dt.date | None:
        """A date of the story that lay ahead when it was written, as far ahead of today (a
        generated project's dates are today's already)."""
        if not value:
            return None
        day = d(value)
        if spec is not None and spec.relative:
            return day
        if day >= WRITTEN_ON and self.today > WRITTEN_ON:
            day += self.today - WRITTEN_ON
        return day

    @transaction.atomic
    def build(self, spec: DemoProject) -> Project:
        manager = self._manager(spec.district)
        unit = Unit.objects.get(code=spec.unit)
        planned_sign, planned_start, planned_production = (self.ahead(v, spec) for v in spec.planned)
        project = project_create(
            by=manager,
            negotiation_started_on=spec.dates[Stage.NEGOTIATING],
            note="开始洽谈",
            name=spec.name,
            unit=unit,
            investor=self.investor(spec.investor, manager),
            industry=Industry.objects.get(code=spec.industry),
            park=Park.objects.get(code=spec.park) if spec.park else None,
            source=spec.source,
            total_investment=spec.total_investment,
            expected_output=spec.expected_output,
            land_area_mu=spec.land_area_mu,
            building_area_m2=spec.building_area_m2,
            planned_sign_date=planned_sign,
            planned_start_date=planned_start,
            planned_production_date=planned_production,
            lead_official=spec.lead_official,
            task_force=spec.task_force,
            description=spec.description,
        )
        self.report.events += 1
        if spec.rejected_review:
            date, industry, expert, department = spec.rejected_review
            review_record(
                project=project,
                by=manager,
                decision=Review.Decision.REJECTED,
                date=d(date),
                industry_opinion=industry,
                expert_opinion=expert,
                department_opinion=department,
                note="审议未通过，继续洽谈。",
            )
        for stage, date in spec.dates.items():
            if stage == Stage.NEGOTIATING:
                continue
            if stage in spec.voided_first:
                self._record(project, stage, d(spec.voided_first[stage]), spec)
                event_void(project=project, by=manager, reason="日期录入有误，作废后重新登记。")
            self._record(project, stage, date, spec)
        project.refresh_from_db()
        self._file_progress(project, spec)
        self._raise_requests(project, spec, manager)
        return project

    def _record(self, project: Project, stage: str, date: dt.date, spec: DemoProject) -> None:
        by = self._recorder(project, stage)
        if stage == Stage.APPROVED:
            review_record(
                project=project,
                by=by,
                decision=Review.Decision.APPROVED,
                date=date,
                industry_opinion="符合区产业发展方向，产业带动作用明显。",
                expert_opinion="技术路线成熟，投资强度和产出测算合理。",
                department_opinion="规划、自然资源、生态环境等部门无异议。",
                note="审议通过，同意签约。",
            )
        else:
            data = {}
            if stage == Stage.SIGNED:
                data = {
                    "contract_no": f"{project.district.short_code}-ZS-{date.year}-{project.code[-3:]}",
                    "contract_investment": spec.contract_investment,
                }
            elif stage == Stage.AT_CAPACITY:
                data = {"actual_output": spec.actual_output or spec.expected_output or Decimal("1")}
            elif stage == Stage.TERMINATED:
                # Every exit goes through an exit review (demo/monthend.py).
                exit_data = dict(spec.exit or {"reason": ExitReason.OTHER, "reclaimed_land_mu": Decimal("0")})
                exit_by_review(
                    project, date, exit_data, clerk=self._recorder(project, Stage.STARTED), manager=by
                )
                self.report.events += 1
                return
            notes = {
                Stage.SIGNED: "正式签订投资协议。",
                Stage.STARTED: "项目开工建设。",
                Stage.PRODUCING: "项目建成投产。",
                Stage.AT_CAPACITY: "项目达产。",
            }
            milestone_record(
                project=project, by=by, stage=stage, date=date, note=notes.get(stage, ""), **data
            )
        self.report.events += 1

    def _stage_on(self, spec: DemoProject, day: dt.date) -> str:
        current = Stage.NEGOTIATING
        for stage, date in spec.dates.items():
            if date <= day:
                current = stage
        return current

    def _file_progress(self, project: Project, spec: DemoProject) -> None:
        """Monthly progress for every month from January of last year to last month in which the
        project was signed or beyond (and before it left the pipeline); last month's, being
        closed, is filed for about two projects in three (the others still owe it)."""
        signed = spec.dates.get(Stage.SIGNED)
        if signed is None:
            return
        last = add_months(month_start(self.today), -1)
        month = max(dt.date(self.today.year - PROGRESS_YEARS_BACK, 1, 1), month_start(signed))
        by = self._recorder(project, Stage.STARTED)
        cap = spec.contract_investment or spec.total_investment
        filed = Decimal(0)
        while month <= last:
            if month == last and random.Random(f"{spec.name}|owed").random() < 0.35:
                break
            stage = self._stage_on(spec, month_end(month))
            ended = spec.dates.get(Stage.TERMINATED) or spec.dates.get(Stage.AT_CAPACITY)
            if ended and month > month_start(ended):
                break
            rng = random.Random(f"{spec.name}|{month:%Y-%m}")
            share = {
                Stage.SIGNED: (Decimal("0.002"), Decimal("0.010")),
                Stage.STARTED: (Decimal("0.012"), Decimal("0.035")),
                Stage.PRODUCING: (Decimal("0.004"), Decimal("0.012")),
                Stage.AT_CAPACITY: (Decimal("0.002"), Decimal("0.006")),
            }.get(stage, (Decimal(0), Decimal(0)))
            if spec.stage == Stage.TERMINATED:
                share = (Decimal(0), Decimal(0))
            low, high = share
            fraction = low + (high - low) * Decimal(rng.randint(0, 1000)) / 1000
            funds = min((cap * fraction).quantize(Decimal("1")), max(cap - filed, Decimal(0)))
            filed += funds
            completed = (funds * Decimal(rng.randint(80, 110)) / 100).quantize(Decimal("1"))
            progress_save(
                project=project,
                by=by,
                month=month,
                funds_in_place=funds,
                investment_completed=completed,
                progress=self._progress_text(spec, stage, rng),
                problems=rng.choice(PROBLEMS)
                if rng.random() < 0.25 or spec.stage == Stage.TERMINATED
                else "",
            )
            self.report.progress += 1
            month = add_months(month, 1)

    @staticmethod
    def _progress_text(spec: DemoProject, stage: str, rng: random.Random) -> str:
        if spec.stage == Stage.TERMINATED:
            return "投资方资金未到位，项目长期未开工。"
        return rng.choice(PROGRESS_TEXTS.get(stage, ("正常推进。",)))

    def _raise_requests(self, project: Project, spec: DemoProject, manager: User) -> None:
        """诉求 are 督办事项 with source `request`: raised, reported by the unit, closed by the bureau."""
        for item in spec.requests:
            unit = Unit.objects.get(code=item.unit)
            task = task_create(
                project=project,
                by=manager,
                source="request",
                category=item.category,
                content=item.description,
                unit=unit,
                due_date=d(item.due_date) if item.resolved_on else self.ahead(item.due_date, spec),
                assigned_on=d(item.raised_on),
            )
            if item.resolved_on:
                resolved_on = d(item.resolved_on)
                task_report(task=task, by=manager, text=item.resolution, date=resolved_on)
                task_verify(task=task, by=manager, date=resolved_on)
            self.report.requests += 1


def user_rows() -> list[dict]:
    """The demo users as they stand in the database, for the printed table."""
    rows = []
    for spec in USERS:
        user = User.objects.select_related("unit", "district").filter(username=spec.username).first()
        if user is None:
            continue
        role = "超级管理员" if user.is_superuser else user.get_role_display()
        if user.is_superuser or not (user.unit_id or user.district_id):
            scope = "全部区县"
        elif user.unit_id:
            scope = f"{user.unit.district.name} {user.unit.name}"
        else:
            scope = user.district.name
        rows.append(
            {
                "username": user.username,
                "role": role + ("（只读）" if user.read_only else ""),
                "scope": scope,
                "admin": "是" if user.is_staff else "否",
            }
        )
    return rows
