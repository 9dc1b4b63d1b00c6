"""Demo data: the projects of fixtures/reference/demo_projects.csv, built through the services.

Published values (the CSV's non-empty cells) are kept as they are; every empty cell gets a
plausible value from DETAILS below, so each project has a full, consistent history: its
stage events up to its stage, the review behind each approval, monthly progress for the
months it was signed or beyond (2025-01 to 2026-10), and a few requests. A handful of extra,
invented projects (marked 演示项目) show what the CSV lacks: a rejected review, a fresh
negotiation, an exit with land reclaimed and a project at full capacity.

Nothing here writes a row directly: projects, events, reviews, progress and requests all go
through the same services the pages and the API use, so the demo obeys the rules.
"""

import csv
import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Role, User
from pipeline.dates import add_months, local_today, month_end, month_start
from pipeline.models import ExitReason, Review
from pipeline.progress import progress_save
from pipeline.requests import request_create, request_resolve
from pipeline.stages import Stage
from pipeline.transitions import event_void, milestone_record, review_record
from projects.credit_code import make_credit_code
from projects.models import District, Industry, Investor, Park, Project, Source, Unit
from projects.services import investor_create, project_create

CSV_PATH = Path(settings.BASE_DIR) / "fixtures" / "reference" / "demo_projects.csv"
DEMO_PASSWORD = "demo2025!"
# Monthly progress is filed for these months (for the months a project is signed or beyond).
PROGRESS_FROM = dt.date(2025, 1, 1)
PROGRESS_TO = dt.date(2026, 10, 1)
# The day the demo's story was written. A planned date, or an open request's due date, on or
# after it was meant to lie ahead: it moves forward as the calendar does (DemoBuilder.ahead), so
# the demo loaded in a year still has projects on schedule and requests not yet due.
WRITTEN_ON = dt.date(2026, 12, 1)

FORWARD = (Stage.APPROVED, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY)
SOURCE_BY_LABEL = {str(label): value for value, label in Source.choices}


class ReferenceDataMissing(Exception):
    """The reference data (districts, units, parks, industries) has not been loaded."""


# --- users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    name: str
    district: str | None = None
    unit: str | None = None
    read_only: bool = False
    superuser: bool = False
    staff: bool = True  # may open the admin (scoped to what the role may see)


USERS = (
    DemoUser("admin", Role.DISTRICT_MANAGER, "系统管理员", district="jiulongpo", superuser=True),
    DemoUser("jlp-manager", Role.DISTRICT_MANAGER, "九龙坡区招商投资局管理人员", district="jiulongpo"),
    DemoUser("jlp-clerk", Role.UNIT_STAFF, "九龙坡区经济信息委工作人员", unit="jlp-econ"),
    DemoUser("jj-manager", Role.DISTRICT_MANAGER, "江津区招商投资局管理人员", district="jiangjin"),
    DemoUser("jj-clerk", Role.UNIT_STAFF, "枢纽港产业园江津片区管委会工作人员", unit="jj-hub"),
    DemoUser("spb-manager", Role.DISTRICT_MANAGER, "沙坪坝区招商投资局管理人员", district="shapingba"),
    DemoUser("spb-clerk", Role.UNIT_STAFF, "沙坪坝区招商投资局工作人员", unit="spb-invest"),
    DemoUser("city", Role.CITY, "市级用户（只读）"),
    DemoUser("api-reader", Role.SYSTEM, "数据仓库接口账号（只读）", read_only=True, staff=False),
)

# Admin permissions per role: the admin itself scopes rows to the user's unit or district.
_VIEW_ALL = [
    f"{app}.view_{model}"
    for app, models in {
        "projects": ("district", "unit", "park", "industry", "investor", "project"),
        "pipeline": ("stageevent", "review", "monthlyprogress", "request", "reminder", "publishedledger"),
    }.items()
    for model in models
]
_EDIT = [
    "projects.add_project",
    "projects.change_project",
    "projects.add_investor",
    "projects.change_investor",
]
GROUPS = {
    Role.DISTRICT_MANAGER: ("区招商投资局管理人员", _VIEW_ALL + _EDIT),
    Role.UNIT_STAFF: ("责任单位工作人员", _VIEW_ALL + _EDIT),
    Role.CITY: ("市级用户（只读）", _VIEW_ALL),
}


# --- investors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoInvestor:
    name: str
    division: str  # administrative division code of the registering authority (6 digits)
    origin: str
    kind: str = "91"  # 9 = market regulator, 1 = company; "12" = public institution
    is_high_tech: bool = False
    is_listed: bool = False
    is_foreign: bool = False

    @property
    def credit_code(self) -> str:
        return make_credit_code(f"{self.kind}{self.division}{_organization_code(self.name)}")


def _organization_code(name: str) -> str:
    """A stable 9-character organisation code (GB 11714 check digit) derived from the name."""
    digits = str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:8]
    total = sum(int(d) * w for d, w in zip(digits, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return digits + {10: "X", 11: "0"}.get(check, str(check))


INVESTORS = {
    i.name: i
    for i in (
        DemoInvestor("立琻半导体", "500107", "重庆市", is_high_tech=True),
        DemoInvestor("元图", "500107", "重庆市"),
        DemoInvestor("北京航空航天大学", "110000", "北京市", kind="12"),
        DemoInvestor("西南铝业（集团）有限责任公司", "500000", "重庆市", is_high_tech=True),
        DemoInvestor("中铁二局", "510100", "四川省成都市"),
        DemoInvestor("重庆西彭宽幅铝板带有限公司", "500107", "重庆市", is_high_tech=True),
        DemoInvestor("凌鹰机车", "500107", "重庆市"),
        DemoInvestor("重庆江津枢纽港机电物流产业发展有限公司", "500116", "重庆市"),
        DemoInvestor("中冶赛迪", "500000", "重庆市", is_high_tech=True),
        DemoInvestor("重庆启源供应链管理公司", "500116", "重庆市"),
        DemoInvestor("重庆九能能源科技有限公司", "500116", "重庆市", is_high_tech=True),
        DemoInvestor("乐行天下", "440300", "广东省深圳市", is_high_tech=True),
        DemoInvestor("大唐", "110000", "北京市", is_listed=True),
        DemoInvestor("宗本", "500116", "重庆市"),
        DemoInvestor("宁波华翔", "330200", "浙江省宁波市", is_high_tech=True, is_listed=True),
        DemoInvestor("中科极美生物科技（重庆）有限公司", "500106", "重庆市", is_high_tech=True),
        DemoInvestor("重庆银行", "500000", "重庆市", is_listed=True),
        DemoInvestor("重庆拾光格数字科技有限公司", "500106", "重庆市"),
        # investors of the invented projects
        DemoInvestor("重庆渝西跨境结算服务有限公司", "500107", "重庆市"),
        DemoInvestor("重庆智关节机器人科技有限公司", "500107", "江苏省苏州市", is_high_tech=True),
        DemoInvestor("重庆栖居智能家居有限公司", "500116", "广东省佛山市"),
        DemoInvestor("重庆白市驿预制菜食品有限公司", "500107", "重庆市"),
    )
}


# --- projects ----------------------------------------------------------------------------


def d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@dataclass
class DemoRequest:
    category: str
    description: str
    unit: str
    raised_on: str
    due_date: str
    resolved_on: str | None = None
    resolution: str = ""


@dataclass
class DemoProject:
    """One demo project: the CSV's facts plus the plausible values for its empty cells."""

    name: str
    district: str
    unit: str
    industry: str
    stage: str
    dates: dict[str, dt.date]  # stage -> effective date, negotiating first
    investor: str | None = None
    park: str | None = None
    total_investment: Decimal = Decimal("0")
    expected_output: Decimal | None = None
    land_area_mu: Decimal | None = None
    building_area_m2: Decimal | None = None
    source: str = Source.DIRECT
    planned: tuple[str | None, str | None, str | None] = (None, None, None)
    lead_official: str = ""
    task_force: str = ""
    description: str = ""
    contract_investment: Decimal | None = None
    actual_output: Decimal | None = None
    rejected_review: tuple[str, str, str, str] | None = None  # date, three opinions
    voided_first: dict[str, str] = field(default_factory=dict)  # stage -> wrongly typed date
    exit: dict | None = None
    requests: list[DemoRequest] = field(default_factory=list)
    invented: bool = False


# Plausible values for what the CSV leaves empty, keyed by project name. Dates are ISO strings;
# the CSV's published dates are filled in over these (and must agree with them).
DETAILS: dict[str, dict] = {
    "立琻半导体车规光电模组及硅基Micro LED芯片制造项目": {
        "dates": {"negotiating": "2025-05-12", "approved": "2025-10-30"},
        "expected_output": "500000",
        "building_area_m2": "120000",
        "planned": ("2025-11-30", "2025-12-31", "2027-06-30"),
        "lead_official": "分管副区长",
        "task_force": "立琻半导体项目工作专班（区经济信息委牵头）",
        "requests": [
            DemoRequest(
                "land",
                "二期约60亩用地需纳入年度供地计划。",
                "jlp-jlxc",
                "2026-09-08",
                "2026-12-31",
            )
        ],
    },
    "元图高端运动装备制造项目": {
        "dates": {
            "negotiating": "2025-03-18",
            "approved": "2025-07-22",
            "signed": "2025-09-16",
        },
        "source": "自主洽谈",
        "expected_output": "300000",
        "land_area_mu": "180",
        "planned": ("2025-09-30", "2025-12-31", "2027-03-31"),
        "lead_official": "分管副区长",
        "task_force": "元图项目工作专班（区招商投资局牵头）",
        "requests": [
            DemoRequest(
                "labour",
                "投产前需招聘熟练技工约300人。",
                "jlp-econ",
                "2026-03-10",
                "2026-06-30",
                "2026-06-12",
                "组织专场招聘会3场，已签约技工312人。",
            )
        ],
    },
    "北航重庆创新中心（低空电磁安全）项目": {
        "dates": {"negotiating": "2024-11-20", "approved": "2025-04-25"},
        "building_area_m2": "36300",
        "planned": ("2025-06-30", "2025-12-31", "2026-12-31"),
        "lead_official": "分管副区长",
        "task_force": "北航创新中心建设专班（区科技局牵头）",
        "requests": [
            DemoRequest(
                "utilities",
                "西区（映月湖片区）实验楼需双回路供电接入。",
                "jlp-jlxc",
                "2026-08-03",
                "2026-10-31",
            )
        ],
    },
    "西南铝20万吨循环经济生产线项目": {
        "dates": {
            "negotiating": "2024-03-11",
            "approved": "2024-06-20",
            "signed": "2024-08-28",
            "started": "2025-03-18",
        },
        "total_investment": "160000",
        "expected_output": "400000",
        "land_area_mu": "260",
        "source": "以商招商",
        "planned": ("2024-08-31", "2025-03-31", "2026-12-31"),
        "lead_official": "分管副区长",
        "task_force": "西南铝循环经济项目专班（区经济信息委牵头）",
    },
    "中铁二局西彭物流基地": {
        "dates": {
            "negotiating": "2023-10-09",
            "approved": "2024-01-16",
            "signed": "2024-03-26",
            "started": "2024-07-02",
            "producing": "2025-06-30",
        },
        "total_investment": "80000",
        "expected_output": "60000",
        "land_area_mu": "210",
        "planned": ("2024-03-31", "2024-06-30", "2025-06-30"),
        "lead_official": "西彭镇党委书记",
        "task_force": "西彭物流基地项目专班（西彭镇牵头）",
    },
    "宽幅板带项目": {
        "investor": "重庆西彭宽幅铝板带有限公司",
        "dates": {
            "negotiating": "2024-09-03",
            "approved": "2024-12-10",
            "signed": "2025-01-20",
            "started": "2025-05-26",
        },
        "total_investment": "120000",
        "expected_output": "250000",
        "land_area_mu": "150",
        "source": "以商招商",
        "planned": ("2025-01-31", "2025-05-31", "2027-01-31"),
        "lead_official": "分管副区长",
        "task_force": "宽幅板带项目专班（区经济信息委牵头）",
    },
    "凌鹰机车项目": {
        "dates": {
            "negotiating": "2024-12-02",
            "approved": "2025-03-04",
            "signed": "2025-04-18",
            "started": "2025-08-08",
        },
        # the start was first typed as 08-28 and corrected by voiding (history keeps both)
        "voided_first": {"started": "2025-08-28"},
        "total_investment": "50000",
        "expected_output": "120000",
        "land_area_mu": "80",
        "source": "镇街线索",
        "planned": ("2025-04-30", "2025-08-31", "2026-12-31"),
        "lead_official": "分管副区长",
        "task_force": "凌鹰机车项目专班（区经济信息委牵头）",
    },
    "先进机电装备和物流产业园": {
        "investor": "重庆江津枢纽港机电物流产业发展有限公司",
        "dates": {
            "negotiating": "2023-05-15",
            "approved": "2023-09-12",
            "signed": "2023-11-28",
            "started": "2024-04-16",
        },
        "land_area_mu": "3600",
        "building_area_m2": "2930000",
        "source": "基金招商",
        "planned": ("2023-11-30", "2024-04-30", "2027-12-31"),
        "lead_official": "区委副书记",
        "task_force": "先进机电装备和物流产业园指挥部",
    },
    "中冶赛迪先进金属材料及装备集成项目": {
        "dates": {
            "negotiating": "2026-02-10",
            "approved": "2026-06-18",
            "signed": "2026-09-18",
        },
        "expected_output": "200000",
        "land_area_mu": "120",
        "planned": ("2026-09-30", "2027-01-15", "2028-06-30"),
        "lead_official": "分管副区长",
        "task_force": "中冶赛迪项目专班（区招商投资局牵头）",
    },
    "先进材料集成供应链基地": {
        "dates": {"negotiating": "2026-06-05", "approved": "2026-10-20"},
        "land_area_mu": "90",
        "planned": ("2026-12-31", "2027-03-31", "2027-12-31"),
        "task_force": "先进材料供应链基地项目专班",
    },
    "九能新能源智能电力设备项目": {
        "dates": {
            "negotiating": "2023-08-14",
            "approved": "2023-11-20",
            "signed": "2024-01-09",
            "started": "2024-04-22",
            "producing": "2025-09-26",
        },
        "total_investment": "40000",
        "land_area_mu": "70",
        "source": "自主洽谈",
        "planned": ("2024-01-31", "2024-04-30", "2025-09-30"),
    },
    "乐行天下智能短交出行装备项目": {
        "dates": {
            "negotiating": "2023-03-06",
            "approved": "2023-06-15",
            "signed": "2023-08-08",
            "started": "2023-12-20",
            "producing": "2025-03-28",
        },
        "total_investment": "50000",
        "expected_output": "150000",
        "land_area_mu": "95",
        "source": "展会活动",
        "planned": ("2023-08-31", "2023-12-31", "2025-03-31"),
    },
    "大唐江津燃机项目": {
        "dates": {
            "negotiating": "2022-09-13",
            "approved": "2022-12-27",
            "signed": "2023-03-30",
            "started": "2023-08-18",
            "producing": "2025-07-15",
        },
        "total_investment": "350000",
        "expected_output": "180000",
        "land_area_mu": "160",
        "source": "自主洽谈",
        "planned": ("2023-03-31", "2023-08-31", "2025-06-30"),
        "lead_official": "分管副区长",
        "task_force": "大唐燃机项目专班（珞璜镇牵头）",
    },
    "宗本摩托车动力总成及电动摩托车生产基地": {
        "dates": {
            "negotiating": "2024-02-19",
            "approved": "2024-05-28",
            "signed": "2024-07-11",
            "started": "2024-10-15",
        },
        "land_area_mu": "110",
        "source": "以商招商",
        # planned production already passed: overdue as a started project
        "planned": ("2024-07-31", "2024-10-31", "2026-09-30"),
        "task_force": "宗本项目专班（枢纽港产业园江津片区管委会牵头）",
        "requests": [
            DemoRequest(
                "approval",
                "厂房消防验收需加快办理。",
                "jj-hub",
                "2026-07-06",
                "2026-08-31",
                "2026-09-15",
                "已完成消防验收备案。",
            )
        ],
    },
    "宁波华翔汽车内饰件智慧生产基地": {
        "dates": {
            "negotiating": "2022-11-08",
            "approved": "2023-02-21",
            "signed": "2023-04-12",
            "started": "2023-09-05",
            "producing": "2024-12-18",
        },
        "land_area_mu": "150",
        "planned": ("2023-04-30", "2023-09-30", "2024-12-31"),
    },
    "KLK5/KLK7双抗重组蛋白发酵放大平台项目": {
        "dates": {"negotiating": "2024-10-22", "approved": "2025-01-14"},
        "total_investment": "20000",
        "expected_output": "30000",
        "building_area_m2": "8000",
        "source": "自主洽谈",
        # signed in March 2025 and still not started: overdue (定而未落)
        "planned": ("2025-03-31", "2025-09-30", "2026-12-31"),
        "requests": [
            DemoRequest(
                "finance",
                "申请区产业引导基金支持中试放大平台建设。",
                "spb-invest",
                "2026-05-20",
                "2026-11-30",
            )
        ],
    },
    "重庆银行科技创新中心": {
        "dates": {
            "negotiating": "2024-06-17",
            "approved": "2024-09-24",
            "signed": "2024-12-06",
            "started": "2025-04-28",
        },
        "total_investment": "150000",
        "building_area_m2": "90000",
        "source": "自主洽谈",
        "planned": ("2024-12-31", "2025-04-30", "2027-06-30"),
    },
    "拾光格数字经济产业创新港": {
        "investor": "重庆拾光格数字科技有限公司",
        "dates": {
            "negotiating": "2023-06-12",
            "approved": "2023-09-19",
            "signed": "2023-11-07",
            "started": "2024-02-26",
            "producing": "2024-11-30",
        },
        "total_investment": "30000",
        "building_area_m2": "60000",
        "source": "场景招商",
        "planned": ("2023-11-30", "2024-02-29", "2024-12-31"),
        "requests": [
            DemoRequest(
                "planning",
                "楼宇改造涉及部分用途变更，需规划部门确认。",
                "spb-econ",
                "2025-04-02",
                "2025-05-31",
                "2025-05-20",
                "已完成用途变更论证并出具意见。",
            )
        ],
    },
}

# Invented projects (not in the CSV) for what the published facts do not show.
EXTRA_PROJECTS: list[dict] = [
    {
        "name": "跨境电商区域结算中心项目",
        "district": "jiulongpo",
        "unit": "jlp-commerce",
        "industry": "COM-XBEC",
        "stage": Stage.NEGOTIATING,
        "investor": "重庆渝西跨境结算服务有限公司",
        "total_investment": "30000",
        "source": "以商招商",
        "dates": {"negotiating": "2026-04-10"},
        # the review rejected it; it stays negotiating and, after three months, overdue
        "rejected_review": (
            "2026-07-15",
            "结算规模测算依据不足，行业带动作用有待论证。",
            "需补充跨境资金合规方案后再行论证。",
            "商务、金融监管部门建议暂缓签约。",
        ),
        "planned": ("2026-09-30", None, None),
    },
    {
        "name": "工业机器人关节模组项目",
        "district": "jiulongpo",
        "unit": "jlp-econ",
        "industry": "ADV-FUT-AIR",
        "park": "jlp-jiulong",
        "stage": Stage.NEGOTIATING,
        "investor": "重庆智关节机器人科技有限公司",
        "total_investment": "45000",
        "expected_output": "80000",
        "source": "展会活动",
        "dates": {"negotiating": "2026-10-09"},
        "planned": ("2027-03-31", "2027-06-30", "2028-06-30"),
    },
    {
        "name": "智能家居终端组装项目",
        "district": "jiangjin",
        "unit": "jj-hub",
        "industry": "ADV-FUT-HOME",
        "park": "jj-hub",
        "stage": Stage.TERMINATED,
        "investor": "重庆栖居智能家居有限公司",
        "total_investment": "25000",
        "land_area_mu": "45",
        "source": "展会活动",
        "dates": {
            "negotiating": "2024-01-08",
            "approved": "2024-04-16",
            "signed": "2024-06-20",
            "terminated": "2025-09-23",
        },
        "planned": ("2024-06-30", "2024-12-31", "2025-12-31"),
        "exit": {"reason": ExitReason.LONG_UNSTARTED, "reclaimed_land_mu": "45"},
    },
    {
        "name": "预制菜中央厨房项目",
        "district": "jiulongpo",
        "unit": "jlp-baishiyi",
        "industry": "ADV-PREP",
        "stage": Stage.AT_CAPACITY,
        "investor": "重庆白市驿预制菜食品有限公司",
        "total_investment": "35000",
        "expected_output": "60000",
        "land_area_mu": "55",
        "source": "镇街线索",
        "dates": {
            "negotiating": "2022-08-08",
            "approved": "2022-10-25",
            "signed": "2022-12-16",
            "started": "2023-04-10",
            "producing": "2024-03-28",
            "at_capacity": "2025-10-30",
        },
        "actual_output": "62000",
        "planned": ("2022-12-31", "2023-04-30", "2024-03-31"),
    },
]

CSV_DATE_COLUMNS = {
    Stage.NEGOTIATING: "negotiation_started_on",
    Stage.APPROVED: "approved_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
}


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _project(row: dict, extra: dict, invented: bool = False) -> DemoProject:
    """Merge a CSV row (published, wins) with the plausible values for its empty cells."""
    dates = {stage: d(value) for stage, value in extra.get("dates", {}).items()}
    for stage, column in CSV_DATE_COLUMNS.items():
        published = row.get(column)
        if published:
            if stage in dates and dates[stage] != d(published):
                raise ValueError(f"{row['name']}: {stage} is published as {published}")
            dates[stage] = d(published)
    stage = row["stage"]
    reached = [Stage.NEGOTIATING, *FORWARD[: FORWARD.index(stage) + 1]] if stage in FORWARD else None
    if reached is not None:
        missing = [s for s in reached if s not in dates]
        if missing:
            raise ValueError(f"{row['name']}: no date for {missing}")
    source = row.get("source") or extra.get("source") or "自主洽谈"
    total = _decimal(row.get("total_investment_wan")) or _decimal(extra.get("total_investment")) or Decimal(0)
    return DemoProject(
        name=row["name"],
        district=row["district"],
        unit=row["unit"],
        industry=row["industry"],
        park=row.get("park") or extra.get("park"),
        stage=stage,
        dates=dict(sorted(dates.items(), key=lambda item: item[1])),
        investor=row.get("investor") or extra.get("investor"),
        total_investment=total,
        expected_output=_decimal(row.get("expected_output_wan")) or _decimal(extra.get("expected_output")),
        land_area_mu=_decimal(row.get("land_area_mu")) or _decimal(extra.get("land_area_mu")),
        building_area_m2=_decimal(extra.get("building_area_m2")),
        source=SOURCE_BY_LABEL.get(source, source),
        planned=extra.get("planned", (None, None, None)),
        lead_official=extra.get("lead_official", ""),
        task_force=extra.get("task_force", ""),
        description=row.get("facts", "") if not invented else "演示项目（虚构数据，用于展示系统功能）。",
        contract_investment=_decimal(extra.get("contract_investment")) or total,
        actual_output=_decimal(extra.get("actual_output")),
        rejected_review=extra.get("rejected_review"),
        voided_first=extra.get("voided_first", {}),
        exit=extra.get("exit"),
        requests=extra.get("requests", []),
        invented=invented,
    )


def demo_projects(path: Path = CSV_PATH) -> list[DemoProject]:
    """Every project of the CSV (in its order), then the invented ones."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    projects = [_project(row, DETAILS.get(row["name"], {})) for row in rows]
    for extra in EXTRA_PROJECTS:
        row = {key: extra[key] for key in ("name", "district", "unit", "industry", "stage")}
        projects.append(_project(row, extra, invented=True))
    return projects


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


class DemoBuilder:
    def __init__(self, *, password: str = DEMO_PASSWORD, today: dt.date | None = None):
        self.password = password
        self.today = today or local_today()
        self.report = Report()

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
        spec = INVESTORS.get(name)
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
        projects = demo_projects()
        self.check_reference(projects)
        self.ensure_users()
        for spec in projects:
            if Project.objects.filter(district__code=spec.district, name=spec.name).exists():
                self.report.projects_skipped.append(f"{spec.district} {spec.name}")
                continue
            self.build(spec)
            self.report.projects_created.append(f"{spec.district} {spec.name}")
        self.issue_reminders(sorted({spec.district for spec in projects}))
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

    def ahead(self, value: str | None) -> dt.date | None:
        """A date of the story that lay ahead when it was written, as far ahead of today."""
        if not value:
            return None
        day = d(value)
        if day >= WRITTEN_ON and self.today > WRITTEN_ON:
            day += self.today - WRITTEN_ON
        return day

    @transaction.atomic
    def build(self, spec: DemoProject) -> Project:
        manager = self._manager(spec.district)
        unit = Unit.objects.get(code=spec.unit)
        planned_sign, planned_start, planned_production = (self.ahead(v) for v in spec.planned)
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
                data = dict(spec.exit or {"reason": ExitReason.OTHER, "reclaimed_land_mu": Decimal("0")})
            notes = {
                Stage.SIGNED: "正式签订投资协议。",
                Stage.STARTED: "项目开工建设。",
                Stage.PRODUCING: "项目建成投产。",
                Stage.AT_CAPACITY: "项目达产。",
                Stage.TERMINATED: "经退出审议，项目终止，收回土地。",
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
        """Monthly progress for every month from 2025-01 to 2026-10 in which the project was
        signed or beyond (and before it left the pipeline)."""
        signed = spec.dates.get(Stage.SIGNED)
        if signed is None:
            return
        last = min(PROGRESS_TO, add_months(month_start(self.today), -1))
        month = max(PROGRESS_FROM, month_start(signed))
        by = self._recorder(project, Stage.STARTED)
        cap = spec.contract_investment or spec.total_investment
        filed = Decimal(0)
        while month <= last:
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
        for item in spec.requests:
            request = request_create(
                project=project,
                by=manager,
                category=item.category,
                description=item.description,
                assigned_unit=Unit.objects.get(code=item.unit),
                due_date=d(item.due_date) if item.resolved_on else self.ahead(item.due_date),
                raised_on=d(item.raised_on),
            )
            if item.resolved_on:
                request_resolve(
                    request_obj=request,
                    by=manager,
                    resolution=item.resolution,
                    resolved_on=d(item.resolved_on),
                )
            self.report.requests += 1


PROGRESS_TEXTS = {
    Stage.SIGNED: (
        "专班对接项目方，办理用地、规划及施工许可手续。",
        "完成项目备案，正在开展初步设计。",
        "土地摘牌手续办理中，同步推进环评、能评。",
    ),
    Stage.STARTED: (
        "项目建设有序推进，主体结构施工中。",
        "厂房主体封顶，开展设备基础施工。",
        "设备采购招标完成，陆续进场安装。",
        "配套道路及管网施工同步推进。",
    ),
    Stage.PRODUCING: (
        "已投产，产能逐步爬坡。",
        "生产线稳定运行，订单饱满。",
        "新增产线调试中，预计下季度满负荷生产。",
    ),
    Stage.AT_CAPACITY: ("已达产，生产经营正常。",),
}
PROBLEMS = (
    "用地报批进度偏慢。",
    "施工用电容量不足，需协调增容。",
    "专业技术人才招聘困难。",
    "进口设备清关周期较长。",
    "配套道路尚未建成，影响物流进出。",
)


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
