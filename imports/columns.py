"""Finding the header of a sheet and what each column holds, by the header's text.

A hand-kept 台账 has a title and a 编制单位/日期 line above its header, a header over one or two
rows with merged cells, sometimes a unit line (金额单位：亿元). `layout(sheet)` finds the header
row(s), maps each column to a field through its synonyms (FIELDS), reads the amount unit of
each money column (万元 by default; 亿元 converts; 万美元 with a stated 汇率) and the month the
workbook is for (from its title), and says where the data starts."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.reader import Sheet
from imports.values import is_blank, text


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # text | date | money | stage | number
    synonyms: tuple[str, ...]


FIELDS: tuple[Field, ...] = tuple(
    Field(key, label, kind, synonyms)
    for key, label, kind, synonyms in (
        ("code", gettext_lazy("项目编号"), "text", ("项目编号", "项目代码", "编号")),
        ("name", gettext_lazy("项目名称"), "text", ("项目名称", "项目", "项目全称")),
        (
            "investor",
            gettext_lazy("投资主体"),
            "text",
            ("投资主体", "投资方", "企业名称", "签约主体", "投资企业", "投资单位"),
        ),
        (
            "credit_code",
            gettext_lazy("统一社会信用代码"),
            "text",
            ("统一社会信用代码", "信用代码", "社会信用代码"),
        ),
        (
            "industry",
            gettext_lazy("产业"),
            "text",
            ("产业", "产业类别", "行业", "所属产业", "产业方向", "所属行业"),
        ),
        ("unit", gettext_lazy("责任单位"), "text", ("责任单位", "牵头单位", "主责单位")),
        ("park", gettext_lazy("园区"), "text", ("园区", "所在园区", "镇街园区", "落户园区", "所属园区")),
        (
            "stage",
            gettext_lazy("项目阶段"),
            "stage",
            ("所属阶段", "项目阶段", "进展阶段", "阶段", "项目状态"),
        ),
        (
            "total_investment",
            gettext_lazy("总投资"),
            "money",
            ("总投资", "计划总投资", "投资总额", "总投资额", "项目总投资"),
        ),
        (
            "contract_investment",
            gettext_lazy("合同投资额"),
            "money",
            ("合同投资额", "签约金额", "协议投资额", "合同投资", "签约投资额"),
        ),
        ("contract_no", gettext_lazy("合同编号"), "text", ("合同编号", "协议编号")),
        ("actual_output", gettext_lazy("实际年产值"), "money", ("实际年产值", "达产产值", "年产值")),
        (
            "negotiation_started_on",
            gettext_lazy("对接时间"),
            "date",
            ("对接时间", "洽谈时间", "首次接洽", "首次接洽时间", "开始洽谈日期", "对接日期"),
        ),
        (
            "approved_on",
            gettext_lazy("审定时间"),
            "date",
            ("审定时间", "审定日期", "审议时间", "审议日期", "审议通过时间"),
        ),
        ("signed_on", gettext_lazy("签约时间"), "date", ("签约时间", "签约日期")),
        (
            "started_on",
            gettext_lazy("开工时间"),
            "date",
            ("开工时间", "实际开工", "开工日期", "实际开工时间"),
        ),
        (
            "producing_on",
            gettext_lazy("投产时间"),
            "date",
            ("投产时间", "实际投产", "投产日期", "实际投产时间"),
        ),
        ("at_capacity_on", gettext_lazy("达产时间"), "date", ("达产时间", "达产日期")),
        ("terminated_on", gettext_lazy("终止时间"), "date", ("终止时间", "终止日期", "退出时间", "退出日期")),
        ("stage_since", gettext_lazy("进入本阶段日期"), "date", ("进入本阶段日期", "进入本阶段时间")),
        ("planned_sign_date", gettext_lazy("计划签约日期"), "date", ("计划签约日期", "计划签约时间")),
        ("planned_start_date", gettext_lazy("计划开工日期"), "date", ("计划开工日期", "计划开工时间")),
        ("planned_production_date", gettext_lazy("计划投产日期"), "date", ("计划投产日期", "计划投产时间")),
        ("lead_official", gettext_lazy("牵头领导"), "text", ("牵头领导", "包抓领导", "联系领导")),
        (
            "progress",
            gettext_lazy("项目进展"),
            "text",
            ("项目进展", "进展情况", "当月进展情况", "当月进展", "推进情况"),
        ),
        ("problems", gettext_lazy("存在问题"), "text", ("存在问题", "问题", "困难问题")),
        (
            "funds_in_place",
            gettext_lazy("到位资金"),
            "money",
            ("到位资金", "资金到位", "当月资金到位", "当月到位资金", "资金到位额"),
        ),
        (
            "investment_completed",
            gettext_lazy("完成投资"),
            "money",
            ("当月完成投资", "完成投资", "完成投资额"),
        ),
        ("reclaimed_land_mu", gettext_lazy("收回土地（亩）"), "number", ("收回土地", "收回土地面积")),
    )
)
FIELD_BY_KEY = {spec.key: spec for spec in FIELDS}
# Columns of the product's own export (and of many 台账) that hold nothing to import.
IGNORED = frozenset({"序号", "本阶段月数", "是否逾期", "累计资金到位", "累计到位资金", "备注"})

_PAREN = re.compile(r"[（(]([^）)]*)[）)]")
_SPACES = re.compile(r"[\s\u3000*＊:：]")
_MONTH_HEADER = re.compile(r"^(?:(\d{4})\s*[年\-./])?\s*(\d{1,2})\s*月?(?:份)?(?:资金到位|到位资金)?$")
_TITLE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
# A unit line (金额单位：亿元) or a bracketed unit in the title; not "亿元以上项目".
_TITLE_UNIT = re.compile(r"单位\s*[：:]?\s*(万美元|亿元|万元|亿)|[（(](万美元|亿元|万元)[）)]")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")
_RATE = re.compile(r"汇率[^0-9]{0,6}([0-9]+(?:\.[0-9]+)?)")
_SYNONYMS = {synonym: spec.key for spec in FIELDS for synonym in spec.synonyms}
WAN = Decimal(1)
YI = Decimal(10000)


def _unit_factor(label: str, rate: Decimal | None) -> tuple[Decimal | None, str]:
    """The factor to 万元 a header or unit line names: (factor, unit word); (None, '万美元')
    when 万美元 is named without a rate."""
    if "万美元" in label:
        return (rate * 1 if rate else None), "万美元"
    if "亿元" in label or re.search(r"亿(?!元)", label):
        return YI, "亿元"
    if "万元" in label:
        return WAN, "万元"
    return WAN, ""


def normalize(label) -> str:
    """Header text without spaces, line breaks, required-marks or its parenthesised unit."""
    return _SPACES.sub("", _PAREN.sub("", text(label)))


def match(label) -> str | None:
    return _SYNONYMS.get(normalize(label)) if not is_blank(label) else None


@dataclass
class Column:
    index: int  # 0-based in the sheet's rows
    key: str  # a FIELDS key, or "funds:YYYY-MM" for a month's funds in place
    header: str
    factor: Decimal | None = WAN  # to 万元; None: 万美元 without a rate


@dataclass
class Layout:
    sheet: Sheet | None  # let go once the sheet's rows are read (imports.rows)
    header_rows: tuple[int, ...]  # Excel row numbers
    data_start: int  # index into sheet.rows
    columns: dict[str, Column]
    month: tuple[int, int] | None = None  # (year, month) named in the title
    unrecognised: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (field, code, message)


HEADER_SCAN = 20


def _filled(sheet: Sheet, index: int) -> list:
    """The row's values with every merged range's first value copied across the range."""
    row = list(sheet.rows[index]) if index < len(sheet.rows) else []
    excel_row = sheet.excel_row(index)
    for top, left, bottom, right in sheet.merged:
        if top <= excel_row <= bottom:
            source_row = top - sheet.first_row
            source_col = left - sheet.first_col
            if 0 <= source_row < len(sheet.rows) and 0 <= source_col < len(sheet.rows[source_row]):
                value = sheet.rows[source_row][source_col]
                for col in range(left - sheet.first_col, right - sheet.first_col + 1):
                    while len(row) <= col:
                        row.append(None)
                    if top == excel_row or is_blank(row[col]):
                        row[col] = value
    return row


def _vertically_merged(sheet: Sheet, index: int, col: int) -> bool:
    excel_row, excel_col = sheet.excel_row(index), col + sheet.first_col
    return any(
        top < excel_row <= bottom and left <= excel_col <= right for top, left, bottom, right in sheet.merged
    )


def _month_key(label: str, year: int | None) -> str | None:
    found = _MONTH_HEADER.match(normalize(label))
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None
    year = int(found.group(1)) if found.group(1) else year
    return f"{year:04d}-{int(found.group(2)):02d}" if year else None


def layout(sheet: Sheet) -> Layout | None:
    """The sheet's header and columns, or None when no row within the first HEADER_SCAN rows
    reads as a header naming the project (a summary sheet, notes)."""
    for index in range(min(HEADER_SCAN, len(sheet.rows))):
        upper = _filled(sheet, index)
        keys = [match(value) for value in upper]
        if "name" in keys and sum(key is not None for key in keys) >= 2:
            return _build(sheet, index, upper)
    return None


def _build(sheet: Sheet, index: int, upper: list) -> Layout:
    title = " ".join(text(v) for row in sheet.rows[:index] for v in row if not is_blank(v))
    month = _TITLE_MONTH.search(title)
    month = (int(month.group(1)), int(month.group(2))) if month and 1 <= int(month.group(2)) <= 12 else None
    year = _TITLE_YEAR.search(title)  # the year of month columns headed 1月, 2月 … (2025年1—3月)
    year = month[0] if month else (int(year.group(1)) if year else None)
    rate_match = _RATE.search(title)
    try:
        rate = Decimal(rate_match.group(1)) if rate_match else None
    except InvalidOperation:
        rate = None
    name_col = [match(v) for v in upper].index("name")
    lower = _filled(sheet, index + 1) if index + 1 < len(sheet.rows) else []
    two_rows = (
        bool(lower)
        and (
            (name_col >= len(sheet.rows[index + 1]) or is_blank(sheet.rows[index + 1][name_col]))
            or _vertically_merged(sheet, index + 1, name_col)
        )
        and any(match(v) or _month_key(text(v), None) for v in lower)
    )
    unit_line = _TITLE_UNIT.search(title)
    default_factor, _word = (
        _unit_factor(unit_line.group(1) or unit_line.group(2), rate) if unit_line else (WAN, "")
    )
    layout_ = Layout(
        sheet,
        header_rows=(sheet.excel_row(index), sheet.excel_row(index + 1))
        if two_rows
        else (sheet.excel_row(index),),
        data_start=index + (2 if two_rows else 1),
        columns={},
        month=month,
    )
    width = max(len(upper), len(lower) if two_rows else 0)
    for col in range(width):
        top = text(upper[col]) if col < len(upper) else ""
        bottom = text(lower[col]) if two_rows and col < len(lower) else ""
        if two_rows and bottom == top:
            bottom = ""  # a vertically merged cell repeats its value
        header = f"{top}{bottom}" if bottom else top
        key = None
        for candidate in (bottom, f"{top}{bottom}", top) if bottom else (top,):
            key = match(candidate) or (candidate and _month_key(candidate, year))
            if key:
                key = key if key in FIELD_BY_KEY else f"funds:{key}"
                header = candidate if candidate in (bottom, top) else header
                break
        if not key:
            if header and normalize(header) not in IGNORED and normalize(top) not in IGNORED:
                layout_.unrecognised.append(header)
            continue
        if key in layout_.columns:
            layout_.problems.append(
                (
                    key,
                    "duplicate_column",
                    _("表头“%(first)s”和“%(second)s”都表示%(label)s，请只保留一列。")
                    % {
                        "first": layout_.columns[key].header,
                        "second": header,
                        "label": FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else key,
                    },
                )
            )
            continue
        factor = WAN
        kind = FIELD_BY_KEY[key].kind if key in FIELD_BY_KEY else "money"
        if kind == "money":
            own = " ".join((top, bottom))
            factor, word = _unit_factor(own, rate)
            if not word:
                factor = default_factor
            if factor is None:
                layout_.problems.append(
                    (
                        key,
                        "missing_rate",
                        _("“%(header)s”以万美元计，但表头或标题中没有写明汇率（如“汇率 7.1”）。")
                        % {"header": header},
                    )
                )
        layout_.columns[key] = Column(col, key, header, factor)
    return layout_
