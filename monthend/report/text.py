"""The report's sentences and table rows, from its data: shared by the .docx and the printable
page so both say the same. Amounts: 亿元 with two decimals in sentences, 万元 in tables."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEADINGS = (
    gettext_lazy("一、总体情况"),
    gettext_lazy("二、重点项目进展"),
    gettext_lazy("三、存在问题"),
    gettext_lazy("四、逾期项目及处置"),
    gettext_lazy("五、责任单位考核"),
    gettext_lazy("六、下步工作"),
)
YI = Decimal("10000")
CENT = Decimal("0.01")


def _decimal(value) -> Decimal:
    return Decimal(str(value if value not in (None, "") else 0))


def yi(amount) -> str:
    """万元 → 亿元, two decimals: '457.80'."""
    return f"{(_decimal(amount) / YI).quantize(CENT):,}"


def wan(amount) -> str:
    return f"{_decimal(amount).quantize(CENT):,}"


def area(value) -> str:
    return "—" if value in (None, "") else f"{_decimal(value).quantize(CENT):,}"


def pct(value) -> str:
    return "—" if value in (None, "") else f"{_decimal(value).quantize(CENT)}%"


def _change(entry: dict) -> str:
    if entry.get("change_pct") in (None, ""):
        return _("上年同期为 0") if entry.get("previous") in (0, "0", "0.00") else "—"
    value = _decimal(entry["change_pct"])
    return _("同比增长 %(p)s%%") % {"p": value} if value >= 0 else _("同比下降 %(p)s%%") % {"p": -value}


def meta_line(data: dict) -> str:
    published = data.get("published")
    state = (
        _("第 %(version)s 版，%(when)s 发布")
        % {"version": published["version"], "when": str(published["published_at"])[:10]}
        if published
        else _("草稿（本月台账尚未发布）")
    )
    return _("编制单位：%(by)s　　数据截至：%(day)s　　%(state)s") % {
        "by": data["prepared_by"],
        "day": data["as_of"],
        "state": state,
    }


def overview_paragraphs(data: dict) -> list[str]:
    overview = data["overview"]
    month, ytd, cmp = overview["month"], overview["ytd"], overview["ytd_compare"]
    months = int(data["month"][5:])
    columns = "、".join(
        _("%(label)s %(count)s 个（%(amount)s 亿元）")
        % {"label": c["label"], "count": c["count"], "amount": yi(c["total_investment"])}
        for c in overview["columns"]
    )
    moves = overview["movements"]
    return [
        _(
            "本月新签约项目 %(signed)s 个，合同投资额 %(contract)s 亿元；新开工项目 %(started)s 个；"
            "新投产项目 %(producing)s 个；资金到位 %(funds)s 亿元。"
        )
        % {
            "signed": month["signed_count"],
            "contract": yi(month["contract_investment"]),
            "started": month["started_count"],
            "producing": month["producing_count"],
            "funds": yi(month["funds_in_place"]),
        },
        _(
            "1—%(m)s 月累计新签约项目 %(signed)s 个（%(c1)s），合同投资额 %(contract)s 亿元（%(c2)s）；"
            "新开工项目 %(started)s 个（%(c3)s）；新投产项目 %(producing)s 个；"
            "资金到位 %(funds)s 亿元（%(c4)s）；"
            "其中高新技术企业签约项目 %(high)s 个。"
        )
        % {
            "m": months,
            "signed": ytd["signed_count"],
            "c1": _change(cmp["signed_count"]),
            "contract": yi(ytd["contract_investment"]),
            "c2": _change(cmp["contract_investment"]),
            "started": ytd["started_count"],
            "c3": _change(cmp["started_count"]),
            "producing": ytd["producing_count"],
            "funds": yi(ytd["funds_in_place"]),
            "c4": _change(cmp["funds_in_place"]),
            "high": ytd["high_tech_signed_count"],
        },
        _(
            "截至月末，在库项目 %(count)s 个，总投资 %(amount)s 亿元："
            "%(columns)s；其中逾期项目 %(overdue)s 个。"
        )
        % {
            "count": overview["totals"]["count"],
            "amount": yi(overview["totals"]["total_investment"]),
            "columns": columns,
            "overdue": overview["totals"]["overdue"],
        },
        _(
            "本月新增在谈项目 %(new)s 个，阶段推进 %(advanced)s 个，"
            "达产 %(capacity)s 个，终止 %(terminated)s 个。"
        )
        % {
            "new": moves["new"],
            "advanced": moves["advanced"],
            "capacity": moves["reached_capacity"],
            "terminated": moves["terminated"],
        },
    ]


def key_projects_intro(data: dict) -> str:
    if not data["key_projects"]:
        return _("本月台账没有在库项目。")
    return _("按总投资排列的前 %(n)s 个在库项目本月进展如下（金额单位：万元）：") % {
        "n": len(data["key_projects"])
    }


def problem_rows(data: dict) -> list[dict]:
    """三、存在问题's rows by unit; a report frozen before 督办 (诉求 only) reads as open 诉求."""
    problems = data["problems"]
    if "tasks_by_unit" in problems:
        return problems["tasks_by_unit"]
    return [
        {
            **row,
            "open_requests": row["open"],
            "due": 0,
            "on_time_rate": None,
            "letters": 0,
            "letters_on_time": 0,
        }
        for row in problems.get("requests_by_unit", [])
    ]


def problems_paragraph(data: dict) -> str:
    rows, rates = problem_rows(data), data["problems"].get("month_rates") or {}
    text = _(
        "截至月末，未销号督办事项 %(open)s 项（其中诉求 %(requests)s 项），超过办结时限 %(overdue)s 项。"
    ) % {
        "open": sum(row["open"] for row in rows),
        "requests": sum(row["open_requests"] for row in rows),
        "overdue": sum(row["overdue"] for row in rows),
    }
    if rates.get("due_count"):
        text += _("本月到期督办事项 %(due)s 项，按期办结 %(on_time)s 项，按期办结率 %(rate)s。") % {
            "due": rates["due_count"],
            "on_time": rates["closed_on_time_count"],
            "rate": pct(rates["on_time_rate"]),
        }
    if rates.get("letter_count"):
        text += _("本月应回复督办函 %(letters)s 份，按期回复 %(on_time)s 份。") % {
            "letters": rates["letter_count"],
            "on_time": rates["replied_on_time_count"],
        }
    return text + _("按承办单位分列如下。")


PROBLEM_COLUMNS = (
    gettext_lazy("承办单位"),
    gettext_lazy("未销号（项）"),
    gettext_lazy("其中逾期"),
    gettext_lazy("其中诉求"),
    gettext_lazy("本月按期办结率"),
    gettext_lazy("督办函按期回复"),
)


def problem_header() -> list[str]:
    return [str(label) for label in PROBLEM_COLUMNS]


def problem_row(row: dict) -> list[str]:
    """One unit's line of 三、存在问题, as the .docx and the printable page show it."""
    return [
        row["name"],
        str(row["open"]),
        str(row["overdue"]),
        str(row["open_requests"]),
        pct(row["on_time_rate"]) if row["due"] else "—",
        f"{row['letters_on_time']}/{row['letters']}" if row["letters"] else "—",
    ]


def exits_paragraphs(data: dict) -> list[str]:
    exits, ytd = data["exits"], data["overview"]["ytd"]
    counts = exits["counts"]
    decisions = exits["decisions"]
    n_exit = sum(1 for row in decisions if row["decision"] == "exit")
    return [
        _(
            "截至月末，逾期筛查名单共 %(total)s 个项目：谈而未定 %(a)s 个、"
            "定而未落 %(b)s 个、逾期未投产 %(c)s 个、"
            "投而未达 %(d)s 个；另有 %(kept)s 个项目经审议保留，保留期内不列入名单（仍计入逾期）。"
        )
        % {
            "total": sum(counts.values()),
            "a": counts["negotiation_stalled"],
            "b": counts["not_started"],
            "c": counts["production_late"],
            "d": counts["not_at_capacity"],
            "kept": len(exits["kept"]),
        },
        _(
            "本月作出退出审议决定 %(n)s 项，其中退出 %(exit)s 项、保留 %(keep)s 项。"
            "本年累计审议退出 %(ytd_exit)s 个、"
            "保留 %(ytd_keep)s 个，收回土地 %(land)s 亩、厂房 %(building)s 平方米。"
        )
        % {
            "n": len(decisions),
            "exit": n_exit,
            "keep": len(decisions) - n_exit,
            "ytd_exit": ytd.get("exit_decided_count") or 0,
            "ytd_keep": ytd.get("keep_decided_count") or 0,
            "land": area(ytd["reclaimed_land_mu"]),
            "building": area(ytd["reclaimed_building_m2"]),
        },
    ]


def decision_row(row: dict) -> list[str]:
    label = _("退出") if row["decision"] == "exit" else _("保留")
    return [
        row["name"],
        label,
        str(row["decided_on"]),
        area(row["reclaimed_land_mu"]),
        area(row["reclaimed_building_m2"]),
        str(row["keep_until"] or "—"),
    ]


def scorecard_paragraph(data: dict) -> str:
    card = data["scorecard"]
    text = _(
        "按年度目标任务，1—%(m)s 月序时进度为 %(p)s。"
        "各责任单位完成情况、得分和排名如下（完成率低于序时进度即为滞后）。"
    ) % {"m": int(data["month"][5:]), "p": pct(card["time_progress"])}
    unscored = len(card["results"]) - len(scored(data))
    if unscored:
        text += _("另有 %(n)s 个单位本年没有考核数据（无目标、无应填报进展）。") % {"n": unscored}
    return text


def scorecard_header() -> list[str]:
    return [
        _("责任单位"),
        _("签约完成率"),
        _("合同投资完成率"),
        _("开工完成率"),
        _("资金到位完成率"),
        _("按时填报率"),
        _("逾期项目"),
        _("得分"),
        _("排名"),
    ]


def scored(data: dict) -> list[dict]:
    """The units the scorecard scores (a unit with no target, nothing owed and nothing overdue
    has nothing to be scored on), by rank."""
    rows = [row for row in data["scorecard"]["results"] if row["score"] is not None]
    return sorted(rows, key=lambda r: (r["rank"], r["unit"]))


def scorecard_rows(data: dict) -> list[list[str]]:
    rows = scored(data)
    return [
        [
            row["name"],
            pct(row["completion"]["signed_count"]),
            pct(row["completion"]["contract_investment"]),
            pct(row["completion"]["started_count"]),
            pct(row["completion"]["funds_in_place"]),
            pct(row["figures"]["progress_on_time_rate"]),
            str(row["figures"]["overdue_count"]),
            "—" if row["score"] is None else str(row["score"]),
            "—" if row["rank"] is None else str(row["rank"]),
        ]
        for row in rows
    ]
