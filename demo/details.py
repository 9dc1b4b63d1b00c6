"""Plausible values for the demo projects' empty CSV cells, and the invented projects."""

from demo.specs import DemoRequest
from pipeline.models import ExitReason
from projects.lifecycle import Stage

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
