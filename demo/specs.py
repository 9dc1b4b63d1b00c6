"""The demo's data: users, investors and projects, as plain literals and dataclasses.

Demo data: the projects of fixtures/reference/demo_projects.csv, built through the services.

Published values (the CSV's non-empty cells) are kept as they are; every empty cell gets a
plausible value from DETAILS below, so each project has a full, consistent history: its
stage events up to its stage, the review behind each approval, monthly progress for the
months it was signed or beyond (from January of last year to last month), and a few requests.
A handful of extra, invented projects (marked 演示项目) show what the CSV lacks: a rejected review, a fresh
negotiation, an exit with land reclaimed and a project at full capacity. demo.generated adds
each district's years around them: several hundred projects dated from today.

Nothing here writes a row directly: projects, events, reviews, progress and requests all go
through the same services the pages and the API use, so the demo obeys the rules.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from accounts.models import Role
from projects.credit_code import make_credit_code
from projects.lifecycle import Stage
from projects.models import Source

CSV_PATH = Path(settings.BASE_DIR) / "fixtures" / "reference" / "demo_projects.csv"
DEMO_PASSWORD = "demo2025!"
# Monthly progress is filed from January of the previous year up to last month (for the months
# a project is signed or beyond): this year and last year's same period, whatever the day.
PROGRESS_YEARS_BACK = 1
# The day the demo's story was written. A planned date, or an open request's due date, on or
# after it was meant to lie ahead: it moves forward as the calendar does (DemoBuilder.ahead), so
# the demo loaded in a year still has projects on schedule and requests not yet due.
WRITTEN_ON = dt.date(2026, 12, 1)

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
    staff: bool = False  # may open the admin: administrators and managers (accounts.roles.can_use_admin)


USERS = (
    DemoUser("admin", Role.DISTRICT_MANAGER, "系统管理员", district="jiulongpo", superuser=True),
    DemoUser("jlp-manager", Role.DISTRICT_MANAGER, "九龙坡区招商投资局管理人员", "jiulongpo", staff=True),
    DemoUser("jlp-clerk", Role.UNIT_STAFF, "九龙坡区经济信息委工作人员", unit="jlp-econ"),
    DemoUser("jj-manager", Role.DISTRICT_MANAGER, "江津区招商投资局管理人员", "jiangjin", staff=True),
    DemoUser("jj-clerk", Role.UNIT_STAFF, "枢纽港产业园江津片区管委会工作人员", unit="jj-hub"),
    DemoUser("spb-manager", Role.DISTRICT_MANAGER, "沙坪坝区招商投资局管理人员", "shapingba", staff=True),
    DemoUser("spb-clerk", Role.UNIT_STAFF, "沙坪坝区招商投资局工作人员", unit="spb-invest"),
    DemoUser("city", Role.CITY, "市级用户（只读）"),
    DemoUser("api-reader", Role.SYSTEM, "数据仓库接口账号（只读）", read_only=True),
)

# Model permissions per role. Only administrators and managers get into the admin at all
# (accounts.roles.can_use_admin), where rows are scoped to the manager's district; the clerks'
# and city users' groups keep their permissions for the day a role is widened, unused meanwhile.
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
_IMPORTS = ["imports.view_importrun", "imports.view_importedrecord"]
GROUPS = {
    Role.DISTRICT_MANAGER: ("区招商投资局管理人员", _VIEW_ALL + _EDIT + _IMPORTS),
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
    relative: bool = False  # dated from today already (demo.generated): no shifting ahead


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
