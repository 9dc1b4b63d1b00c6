"""A district's years for the demo: generated projects over the last three years, dated from today.

Beside the published projects of the CSV, each district gets a pool of plausible projects whose
dates roll with the calendar: signings spread over the two previous years and this year up to
last month (九龙坡区 at about a fifth of its published 2025 pace of 226 signings a year, 江津区 and
沙坪坝区 smaller), each walked on through start, production and capacity as time allows, some left
unstarted past their deadline (定而未落), some exited through a review, a pool of negotiations
(some stale: 谈而未定), and 诉求 open, past due and resolved. The clerk's unit (九龙坡区经济信息委)
gets a set of fixed stories on top, so every stage and every kind of record is in its hands.

Everything is drawn from a seeded random generator, each project from its own seed (district,
year, number): the same day gives the same projects, so loading again skips them all; loaded a
month later, the projects already there are skipped and the month's new signings added. The
specs are DemoProject objects built by demo.builder like the CSV's, through the services.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from core.dates import add_months, month_end, month_start
from demo.specs import DemoInvestor, DemoProject, DemoRequest
from pipeline.models import ExitReason, Request
from projects.lifecycle import Stage
from projects.models import Source


@dataclass(frozen=True)
class DistrictPlan:
    code: str
    division: str  # administrative division code of its investors' registering authority
    signed_per_year: int
    negotiating: int
    units: dict[str, int]  # unit code → weight
    parks: tuple[str, ...]


PLANS = (
    DistrictPlan(
        "jiulongpo",
        "500107",
        44,
        14,
        {
            "jlp-econ": 6,
            "jlp-jlxc": 4,
            "jlp-invest": 3,
            "jlp-sci": 2,
            "jlp-commerce": 2,
            "jlp-bigdata": 1,
            "jlp-xipeng": 2,
            "jlp-baishiyi": 1,
            "jlp-hangu": 1,
            "jlp-huayan": 1,
        },
        ("jlp-jlxc", "jlp-xipeng", "jlp-jiulong", "jlp-digital"),
    ),
    DistrictPlan("jiangjin", "500116", 24, 8, {"jj-hub": 4, "jj-invest": 3, "jj-luohuang": 2}, ("jj-hub",)),
    DistrictPlan(
        "shapingba",
        "500106",
        16,
        6,
        {"spb-invest": 3, "spb-econ": 2, "spb-sci": 2, "spb-fenghuang": 1},
        ("spb-logistics", "spb-medtech", "spb-sgg"),
    ),
)

# industry code → (weight, products)
PRODUCTS = {
    "ADV-EIT": (5, ("车规级芯片封测", "新型显示模组", "智能终端", "功率半导体", "光电传感器")),
    "ADV-ICV": (4, ("新能源汽车电驱系统", "智能座舱", "汽车线控底盘", "动力电池包")),
    "ADV-HEM": (4, ("精密数控机床", "工程机械液压件", "轨道交通装备", "智能输送装备")),
    "ADV-MAT": (3, ("高性能铝合金型材", "特种钢材精深加工", "电子级化学品", "复合材料")),
    "ADV-ALLOY": (3, ("再生铝", "铝板带箔深加工", "镁合金压铸件")),
    "ADV-MOTO": (2, ("大排量摩托车", "电动摩托车", "摩托车发动机")),
    "ADV-BIO": (2, ("生物制药原料", "创新药中试", "医用耗材")),
    "ADV-ESS": (3, ("储能电站", "储能电池", "分布式光伏", "氢燃料电池")),
    "ADV-FOOD": (2, ("火锅底料", "休闲食品", "饮料")),
    "ADV-PREP": (1, ("预制菜", "中央厨房")),
    "ADV-FUT-AIR": (2, ("工业机器人", "服务机器人", "机器视觉")),
    "ADV-FUT-MED": (2, ("高端医疗器械", "体外诊断设备")),
    "ADV-FUT-SENS": (1, ("智能传感器", "仪器仪表")),
    "ADV-SCI": (1, ("研发创新中心", "中试基地")),
    "PSS-LOG": (3, ("智慧物流园", "冷链物流中心", "供应链服务基地")),
    "PSS-SWS": (2, ("软件研发中心", "工业互联网平台", "数据服务中心")),
    "PSS-FIN": (1, ("金融科技中心",)),
    "COM-TRADE": (2, ("商贸综合体", "汽车销售服务中心")),
    "COM-XBEC": (1, ("跨境电商产业园",)),
}
BRANDS = (
    "渝新", "华锐", "博瑞", "中恒", "天创", "金桥", "瑞丰", "鼎盛", "宏远", "智联", "海川", "巴蜀",
    "长江", "嘉陵", "缙云", "两江", "西部", "山城", "九州", "东方", "恒通", "卓越", "远景", "新纪元",
    "凯瑞", "德润", "聚源", "同创", "安泰", "永辉", "中科", "华晟", "铭泰", "峰岚", "启航", "星辰",
    "云岭", "锦程", "晨光", "汇川", "盛世", "泰和", "万达", "诚信", "正达", "弘毅", "润丰", "联创",
)  # fmt: skip
KINDS = ("项目", "生产基地项目", "产业化项目", "扩能项目", "智能制造项目")
ORIGINS = ("重庆市", "重庆市", "重庆市", "广东省深圳市", "江苏省苏州市", "浙江省杭州市", "上海市", "北京市")
CHANNELS = (
    Source.EXHIBITION,
    Source.TOWN_LEAD,
    Source.BY_BUSINESS,
    Source.FUND,
    Source.SCENARIO,
    Source.DIRECT,
)
OPINIONS = (
    "符合区产业发展方向，产业带动作用明显。",
    "技术路线成熟，投资强度和产出测算合理。",
    "规划、自然资源、生态环境等部门无异议。",
)
REQUESTS = {
    Request.Category.LAND: "项目用地指标尚未落实，请协调办理用地报批。",
    Request.Category.PLANNING: "厂区规划方案需调整，请协助加快规划审查。",
    Request.Category.APPROVAL: "施工许可手续办理较慢，请协调并联审批。",
    Request.Category.UTILITIES: "施工用电容量不足，请协调供电增容。",
    Request.Category.FINANCE: "项目建设资金缺口较大，请协调银行授信支持。",
    Request.Category.LABOUR: "技术工人招聘困难，请协助对接职业院校。",
}
SEED = "demo-v2"
INVESTOR_PREFIX = {"jiulongpo": "重庆", "jiangjin": "重庆江津", "shapingba": "重庆沙坪坝"}


class _Draw:
    """The seeded draws for one project (its own generator: adding a project changes no other)."""

    def __init__(self, *parts):
        self.rng = random.Random("|".join((SEED, *map(str, parts))))

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def after(self, start: dt.date, low: int, high: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(low, high))

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def amount(self, low: int, high: int) -> Decimal:
        """万元, rounded to 100, skewed to the small end as real projects are."""
        return Decimal(int((low + (high - low) * self.rng.random() ** 3) / 100) * 100)


class Generator:
    def __init__(self, today: dt.date):
        self.today = today
        self.last_day = month_end(add_months(month_start(today), -1))
        self.names: set[str] = set()
        self.investors: dict[str, DemoInvestor] = {}

    def all(self) -> list[DemoProject]:
        projects = []
        for plan in PLANS:
            for year in range(self.today.year - 2, self.today.year + 1):
                months = (
                    12 if year < self.today.year else self.last_day.month if self.last_day.year == year else 0
                )
                for index in range(plan.signed_per_year * months // 12):
                    projects.append(self.signed(plan, year, index))
            for index in range(plan.negotiating):
                projects.append(self.negotiating(plan, index))
        return projects + clerk_stories(self)

    # --- the parts of a project -----------------------------------------------------------

    def _name(self, draw: _Draw, industry: str) -> str:
        products = PRODUCTS[industry][1]
        for _attempt in range(50):
            name = f"{draw.rng.choice(BRANDS)}{draw.rng.choice(products)}{draw.rng.choice(KINDS)}"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("demo names exhausted")  # never with these lists

    def _investor(self, draw: _Draw, plan: DistrictPlan, name: str) -> str:
        trade = name[2:].removesuffix("项目")[:6]
        # one district's company (an investor with projects in two districts is joined by an
        # administrator only: accounts.roles.can_attach_investor)
        investor = f"{INVESTOR_PREFIX[plan.code]}{name[:2]}{trade}有限公司"
        if investor not in self.investors:
            self.investors[investor] = DemoInvestor(
                investor,
                plan.division,
                draw.rng.choice(ORIGINS),
                is_high_tech=draw.rng.random() < 0.3,
                is_listed=draw.rng.random() < 0.08,
                is_foreign=draw.rng.random() < 0.05,
            )
        return investor

    def _base(self, draw: _Draw, plan: DistrictPlan, *, unit: str | None = None) -> dict:
        industry = draw.weighted({code: weight for code, (weight, _p) in PRODUCTS.items()})
        name = self._name(draw, industry)
        total = draw.amount(1000, 100000)
        return {
            "name": name,
            "district": plan.code,
            "unit": unit or draw.weighted(plan.units),
            "industry": industry,
            "park": draw.rng.choice(plan.parks) if draw.rng.random() < 0.7 else None,
            "investor": self._investor(draw, plan, name),
            "total_investment": total,
            "expected_output": (total * Decimal(draw.rng.choice(("0.8", "1.2", "1.5", "2")))).quantize(
                Decimal("100")
            ),
            "land_area_mu": Decimal(draw.rng.randint(20, 300)) if draw.rng.random() < 0.7 else None,
            "source": draw.rng.choice(CHANNELS),
            "description": "演示项目（按真实区县规模生成的虚构数据）。",
            "relative": True,
        }

    def _requests(self, draw: _Draw, plan: DistrictPlan, since: dt.date, count: int) -> list[DemoRequest]:
        found = []
        for _index in range(count):
            category = draw.rng.choice(list(REQUESTS))
            raised = draw.day(max(since, self.last_day - dt.timedelta(days=200)), self.last_day)
            due = raised + dt.timedelta(days=draw.rng.choice((15, 30, 45)))
            resolved = draw.after(raised, 3, 40) if draw.rng.random() < 0.55 else None
            if resolved and resolved > self.last_day:
                resolved = None
            found.append(
                DemoRequest(
                    category=category,
                    description=REQUESTS[category],
                    unit=draw.weighted(plan.units),
                    raised_on=raised.isoformat(),
                    due_date=due.isoformat(),
                    resolved_on=resolved.isoformat() if resolved else None,
                    resolution="已协调相关部门办结。" if resolved else "",
                )
            )
        return found

    # --- the kinds of project -------------------------------------------------------------

    def signed(self, plan: DistrictPlan, year: int, index: int, **overrides) -> DemoProject:
        draw = _Draw(plan.code, year, index)
        base = self._base(draw, plan, unit=overrides.pop("unit", None))
        end = min(dt.date(year, 12, 31), self.last_day)
        signed = overrides.pop("signed", None) or draw.day(dt.date(year, 1, 1), end)
        dates = {
            Stage.NEGOTIATING: signed - dt.timedelta(days=draw.rng.randint(45, 200)),
            Stage.APPROVED: signed - dt.timedelta(days=draw.rng.randint(3, 30)),
            Stage.SIGNED: signed,
        }
        started = draw.after(signed, 20, 260) if draw.rng.random() < 0.8 else None
        plan_start = signed + dt.timedelta(days=90)
        plan_production = (started or plan_start) + dt.timedelta(days=draw.rng.choice((300, 365, 450)))
        exit_data = None
        if started and started <= self.last_day:
            dates[Stage.STARTED] = started
            producing = draw.after(started, 200, 560)
            if producing <= self.last_day and draw.rng.random() < 0.85:
                dates[Stage.PRODUCING] = producing
                capacity = draw.after(producing, 150, 500)
                if capacity <= self.last_day and draw.rng.random() < 0.5:
                    dates[Stage.AT_CAPACITY] = capacity
        elif self.last_day - signed > dt.timedelta(days=330) and draw.rng.random() < 0.4:
            dates[Stage.TERMINATED] = draw.day(signed + dt.timedelta(days=300), self.last_day)
            exit_data = {
                "reason": ExitReason.LONG_UNSTARTED,
                "reclaimed_land_mu": base["land_area_mu"] or Decimal("0"),
            }
        stage = list(dates)[-1]
        live = stage in (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)
        wanted = 1 if live and draw.rng.random() < 0.15 else 0
        return DemoProject(
            **{
                **base,
                "stage": stage,
                "dates": dates,
                "planned": (signed.isoformat(), plan_start.isoformat(), plan_production.isoformat()),
                "contract_investment": (
                    base["total_investment"] * Decimal(draw.rng.choice(("0.8", "0.9", "1")))
                )
                .quantize(Decimal("100"))
                .max(Decimal("100")),
                "actual_output": base["expected_output"],
                "exit": exit_data,
                "requests": self._requests(draw, plan, signed, wanted),
                **overrides,
            }
        )

    def negotiating(self, plan: DistrictPlan, index: int, **overrides) -> DemoProject:
        draw = _Draw(plan.code, "negotiating", index)
        base = self._base(draw, plan, unit=overrides.pop("unit", None))
        began = overrides.pop("began", None) or draw.day(
            self.last_day - dt.timedelta(days=240), self.last_day
        )
        dates = {Stage.NEGOTIATING: began}
        approved = draw.after(began, 20, 70)
        if approved <= self.last_day and draw.rng.random() < 0.3:
            dates[Stage.APPROVED] = approved
        planned_sign = draw.after(began, 90, 200)
        rejected = None
        if index == 0 and Stage.APPROVED not in dates:  # one rejected review per district
            when = draw.day(began + dt.timedelta(days=1), self.last_day)
            rejected = (when.isoformat(), "投资强度偏低，产业带动作用有待论证。", *OPINIONS[1:])
        return DemoProject(
            **{
                **base,
                "stage": list(dates)[-1],
                "dates": dates,
                "planned": (
                    planned_sign.isoformat(),
                    (planned_sign + dt.timedelta(days=120)).isoformat(),
                    None,
                ),
                "rejected_review": rejected,
                **overrides,
            }
        )


def clerk_stories(generator: Generator) -> list[DemoProject]:
    """The clerk's unit (九龙坡区经济信息委) with every stage and kind of record in its hands: a
    negotiation just begun and a stale one, an approved project, a project signed last month to
    record the groundbreaking of, one signed long ago and not started (定而未落), a project past its
    planned production, one producing, one at capacity, one exited, a corrected (voided) entry,
    and 诉求 open, past due and resolved."""
    plan = PLANS[0]
    unit, last = "jlp-econ", generator.last_day
    month_ago = last - dt.timedelta(days=20)
    stories = [
        generator.negotiating(plan, 100, unit=unit, began=last - dt.timedelta(days=12)),
        generator.negotiating(plan, 101, unit=unit, began=last - dt.timedelta(days=200)),
    ]
    signed_recently = generator.signed(plan, last.year, 100, unit=unit, signed=month_ago)
    signed_recently.dates = {k: v for k, v in signed_recently.dates.items() if k in (
        Stage.NEGOTIATING, Stage.APPROVED, Stage.SIGNED)}  # fmt: skip
    signed_recently.stage = Stage.SIGNED
    stale = generator.signed(plan, last.year - 1, 101, unit=unit, signed=last - dt.timedelta(days=200))
    stale.dates = {
        k: v for k, v in stale.dates.items() if k in (Stage.NEGOTIATING, Stage.APPROVED, Stage.SIGNED)
    }
    stale.stage = Stage.SIGNED
    stale.voided_first = {Stage.SIGNED: (stale.dates[Stage.SIGNED] - dt.timedelta(days=1)).isoformat()}
    late = generator.signed(plan, last.year - 2, 102, unit=unit, signed=last - dt.timedelta(days=700))
    late.dates = {k: v for k, v in late.dates.items() if k not in (Stage.PRODUCING, Stage.AT_CAPACITY)}
    late.dates.setdefault(Stage.STARTED, late.dates[Stage.SIGNED] + dt.timedelta(days=60))
    late.dates.pop(Stage.TERMINATED, None)
    late.stage = Stage.STARTED
    late.exit = None
    late.planned = (late.planned[0], late.planned[1], (last - dt.timedelta(days=90)).isoformat())
    late.requests = _clerk_requests(last)
    stories += [signed_recently, stale, late]
    for index, stage in enumerate((Stage.PRODUCING, Stage.AT_CAPACITY, Stage.TERMINATED, Stage.APPROVED)):
        stories.append(_walked(generator, plan, unit, 110 + index, stage))
    return stories


def _clerk_requests(last: dt.date) -> list[DemoRequest]:
    """One 诉求 resolved, one open past its due date, one open and not yet due."""
    raised = last - dt.timedelta(days=60)
    return [
        DemoRequest(
            Request.Category.LAND, REQUESTS[Request.Category.LAND], "jlp-invest", raised.isoformat(),
            (raised + dt.timedelta(days=30)).isoformat(), (raised + dt.timedelta(days=20)).isoformat(),
            "已完成用地报批，取得用地批复。",
        ),
        DemoRequest(
            Request.Category.UTILITIES, REQUESTS[Request.Category.UTILITIES], "jlp-econ", raised.isoformat(),
            (raised + dt.timedelta(days=30)).isoformat(),
        ),
        DemoRequest(
            Request.Category.LABOUR, REQUESTS[Request.Category.LABOUR], "jlp-econ", last.isoformat(),
            (last + dt.timedelta(days=60)).isoformat(),
        ),
    ]  # fmt: skip


def _walked(generator: Generator, plan: DistrictPlan, unit: str, index: int, stage: str) -> DemoProject:
    """A clerk's project brought to `stage` on a fixed schedule ending before last month's end."""
    last = generator.last_day
    if stage == Stage.APPROVED:
        spec = generator.negotiating(plan, index, unit=unit, began=last - dt.timedelta(days=80))
        spec.dates = {
            Stage.NEGOTIATING: spec.dates[Stage.NEGOTIATING],
            Stage.APPROVED: last - dt.timedelta(days=30),
        }
        spec.stage, spec.rejected_review = Stage.APPROVED, None
        return spec
    spec = generator.signed(plan, last.year - 2, index, unit=unit, signed=last - dt.timedelta(days=900))
    signed = spec.dates[Stage.SIGNED]
    dates = {k: spec.dates[k] for k in (Stage.NEGOTIATING, Stage.APPROVED, Stage.SIGNED)}
    spec.exit = None
    if stage == Stage.TERMINATED:
        dates[Stage.TERMINATED] = signed + dt.timedelta(days=420)
        spec.exit = {"reason": ExitReason.LONG_UNSTARTED, "reclaimed_land_mu": Decimal("30")}
    else:
        dates[Stage.STARTED] = signed + dt.timedelta(days=60)
        dates[Stage.PRODUCING] = signed + dt.timedelta(days=420)
        if stage == Stage.AT_CAPACITY:
            dates[Stage.AT_CAPACITY] = signed + dt.timedelta(days=800)
    spec.dates, spec.stage = dates, stage
    if stage == Stage.TERMINATED:
        spec.requests = []  # a terminated project takes no new 诉求
    return spec


def generated(today: dt.date) -> tuple[list[DemoProject], dict[str, DemoInvestor]]:
    """The generated projects for `today`, and the investors they name."""
    generator = Generator(today)
    projects = generator.all()
    return projects, generator.investors
