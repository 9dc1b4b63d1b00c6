"""督办 in the demo, through the services: the units' leaders (to whom letters are addressed), a
专班 with its 推进方案 for some signed or started projects (one step late), the last month's
weekly scheduling meetings handing out tasks — some closed on time, one closed late, one reported
and awaiting verification, one sent back, some overdue, some not yet due — a task a manager
assigns, and the letters numbered, the earlier month's replied.

Robust to which demo projects exist: it works with whatever signed or started projects each
district has. Idempotent: a district whose demo meetings are recorded is left as it is."""

import datetime as dt

from accounts.models import Role, User
from core.dates import local_today
from pipeline.models import Reminder
from projects.lifecycle import Stage
from projects.models import District, Project, Unit
from supervision.letters import letter_number, letter_reply, unit_leaders_set
from supervision.meetings import meeting_record
from supervision.models import Meeting, TaskForce, UnitLeaders
from supervision.taskforces import task_force_save
from supervision.tasks import task_create, task_reject, task_report, task_verify

LEADERS = ("王建国", "李红梅", "张志强", "刘晓东", "陈静", "杨波")
HEADS = ("赵立新", "孙海燕", "周文斌", "吴敏", "郑凯", "冯丽")
STEPS = ("土地摘牌", "规划许可", "施工许可", "水电气接入")
TASK_TEXTS = (
    "协调解决项目用地报批，完成土地摘牌",
    "协调电力部门完成双回路供电接入方案",
    "督促企业提交施工图审查资料",
    "对接金融机构，落实项目贷款",
    "协调解决项目施工临时用地",
    "组织人社部门对接企业招工需求",
)


def _clerk(unit_id):
    return User.objects.filter(role=Role.UNIT_STAFF, unit_id=unit_id, is_active=True, read_only=False).first()


class Supervision:
    def __init__(self, *, manager_of, today: dt.date | None = None):
        self.manager_of = manager_of  # district code → manager
        self.today = today or local_today()
        self.counts = {"meetings": 0, "tasks": 0, "task_forces": 0, "letters": 0}

    def run(self, district_codes) -> dict:
        for code in district_codes:
            district = District.objects.get(code=code)
            manager = self.manager_of(code)
            self._leaders(district, manager)
            projects = list(
                Project.objects.filter(district=district, stage__in=[Stage.SIGNED, Stage.STARTED])
                .select_related("unit")
                .order_by("code")[:6]
            )
            self._task_forces(projects, manager)
            if not Meeting.objects.filter(district=district, title__startswith="项目调度周例会").exists():
                self._meetings(district, projects, manager)
            self._letters(district, manager)
        return self.counts

    def _leaders(self, district, manager):
        for index, unit in enumerate(Unit.objects.filter(district=district).order_by("code")):
            if not UnitLeaders.objects.filter(unit=unit).exists():
                unit_leaders_set(
                    unit=unit,
                    by=manager,
                    district_leader=LEADERS[index % len(LEADERS)] + "（副区长）",
                    head=HEADS[index % len(HEADS)],
                )

    def _task_forces(self, projects, manager):
        for index, project in enumerate(projects[:4]):
            if TaskForce.objects.filter(project=project).exists():
                continue
            since = project.signed_on or self.today - dt.timedelta(days=120)
            steps = []
            for n, name in enumerate(STEPS):
                planned = since + dt.timedelta(days=45 * (n + 1))
                done = (
                    planned - dt.timedelta(days=3) if planned < self.today - dt.timedelta(days=30) else None
                )
                if n == 1 and index % 2 == 0:
                    done = None  # one step late on every other project
                steps.append({"name": name, "planned_on": planned, "done_on": done})
            task_force_save(
                project=project,
                by=manager,
                leader=LEADERS[index % len(LEADERS)] + "（副区长）",
                lead_unit=project.unit,
                plan=f"按“一个项目、一个专班、一套方案、一抓到底”推进{project.name}，倒排工期、挂图作战。",
                members=[
                    {
                        "name": HEADS[index % len(HEADS)],
                        "unit": project.unit.name,
                        "role": "牵头负责",
                        "phone": "023-68780001",
                    },
                    {"name": "企业联络人", "unit": "项目业主", "role": "企业对接", "phone": "13800000000"},
                ],
                steps=steps,
            )
            self.counts["task_forces"] += 1

    def _meetings(self, district, projects, manager):
        units = list(Unit.objects.filter(district=district).order_by("code"))
        if not units:
            return
        first_day, second_day = self.today - dt.timedelta(days=24), self.today - dt.timedelta(days=10)

        def rows(day, offsets):
            items = []
            for n, offset in enumerate(offsets):
                project = projects[n % len(projects)] if projects else None
                items.append(
                    {
                        "content": TASK_TEXTS[(n + offset) % len(TASK_TEXTS)],
                        "unit": project.unit if project else units[n % len(units)],
                        "due_date": day + dt.timedelta(days=offset),
                        "project": project,
                    }
                )
            return items

        first = meeting_record(
            by=manager,
            district=district,
            date=first_day,
            kind="weekly",
            title="项目调度周例会（第一次）",
            chair=LEADERS[0] + "（副区长）",
            units=units[:4],
            projects=projects[:3],
            minutes="听取重点项目推进情况汇报，研究解决用地、供电、融资等问题。",
            tasks=rows(first_day, (7, 7, 10, 12, 14)),
        )
        second = meeting_record(
            by=manager,
            district=district,
            date=second_day,
            kind="weekly",
            title="项目调度周例会（第二次）",
            chair=LEADERS[0] + "（副区长）",
            units=units[:4],
            projects=projects[:3],
            minutes="跟踪上次会议交办事项落实情况，部署下阶段工作。",
            tasks=rows(second_day, (14, 16, 30)),
        )
        self.counts["meetings"] += 2
        tasks = list(first.tasks.order_by("id"))
        self.counts["tasks"] += len(tasks) + second.tasks.count()
        # closed on time; closed late; reported, awaiting verification; sent back; left overdue.
        self._walk(
            tasks[0], manager, report=first_day + dt.timedelta(days=5), close=first_day + dt.timedelta(days=6)
        )
        self._walk(
            tasks[1],
            manager,
            report=first_day + dt.timedelta(days=9),
            close=first_day + dt.timedelta(days=10),
        )
        self._walk(tasks[2], manager, report=first_day + dt.timedelta(days=8))
        self._walk(
            tasks[3],
            manager,
            report=first_day + dt.timedelta(days=9),
            reject=first_day + dt.timedelta(days=11),
        )
        later = list(second.tasks.order_by("id"))
        self._walk(later[0], manager, report=self.today - dt.timedelta(days=2))
        task_create(
            by=manager,
            unit=units[0],
            content="梳理本季度签约未开工项目清单，逐一提出推进措施",
            assigned_on=self.today - dt.timedelta(days=3),
            due_date=self.today + dt.timedelta(days=5),
        )
        self.counts["tasks"] += 1

    def _walk(self, task, manager, *, report, close=None, reject=None):
        actor = _clerk(task.unit_id) or manager
        task_report(
            task=task, by=actor, text="已按会议要求协调落实，相关材料已报送。", date=min(report, self.today)
        )
        if close:
            task_verify(task=task, by=manager, note="经核实已办结。", date=min(close, self.today))
        if reject:
            task_reject(
                task=task,
                by=manager,
                reason="办理情况不完整，请补充相关部门书面意见。",
                date=min(reject, self.today),
            )

    def _letters(self, district, manager):
        reminders = Reminder.objects.filter(unit__district=district, letter__isnull=True).order_by(
            "month", "unit__code"
        )
        months = sorted({reminder.month for reminder in reminders})
        for reminder in reminders:
            letter = letter_number(reminder=reminder, by=manager)
            self.counts["letters"] += 1
            if len(months) > 1 and reminder.month == months[0]:
                project = reminder.projects.order_by("code").first()
                letter_reply(
                    letter=letter,
                    by=_clerk(reminder.unit_id) or manager,
                    text="我单位已召开专题会研究，逐一制定整改措施，明确责任人和完成时限。",
                    items=[
                        {
                            "project": project.pk,
                            "measures": "加快推进前期手续，力争下月取得实质进展。",
                            "expected_date": self.today + dt.timedelta(days=60),
                        }
                    ]
                    if project
                    else [],
                )
