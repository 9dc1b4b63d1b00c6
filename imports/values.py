"""Reading one cell as people type it: dates in every usual form, amounts (万元, or 亿元 / 万美元
converted), stages in the bureau's words. Each reader returns the value or raises CellError
with a stable code and a Chinese message naming the value; nothing here touches the database."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.dates import EARLIEST_YEAR
from projects.lifecycle import Stage

# An amount above this (万元, i.e. 1万亿元) is taken for a typing error, not a project.
IMPLAUSIBLE_AMOUNT = Decimal("100000000")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (the 1900 leap-year bug included)


class CellError(Exception):
    """A value that cannot be read; `code` is stable (API, report), the message is for people."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(message)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A cell as text: numbers without a trailing .0, everything stripped."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),  # 2025-03-02, 2025/3/2, 2025.3.2
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),  # 2025年3月2日
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20250302
)
_DATE_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _calendar_date(year: int, month: int, day: int, shown) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise CellError("invalid_date", _("日期“%(value)s”不存在。") % {"value": shown}) from None
    if date.year < EARLIEST_YEAR:
        raise CellError(
            "invalid_date", _("日期“%(value)s”早于 %(year)s 年。") % {"value": shown, "year": EARLIEST_YEAR}
        )
    return date


def read_date(value) -> dt.date | None:
    """A date from an Excel date, an Excel serial number, 2025-03-02, 2025/3/2, 2025.3.2,
    2025年3月2日 or 20250302; None for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 29991231:
            number = str(int(value))
            return _calendar_date(int(number[:4]), int(number[4:6]), int(number[6:]), number)
        if 1 <= value < 2958466:  # an Excel serial number (a date cell read as a number)
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError("invalid_date", _("“%(value)s”不是日期。") % {"value": text(value)})
    shown = str(value).strip()
    cleaned = _DATE_TIME_TAIL.sub("", shown.replace("\u3000", " ")).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            return _calendar_date(*(int(part) for part in match.groups()), shown)
    raise CellError(
        "invalid_date",
        _("“%(value)s”不是可识别的日期（可写作 2025-03-02、2025/3/2、2025.3.2、2025年3月2日 或 20250302）。")
        % {"value": shown[:40]},
    )


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def read_amount(value, *, factor: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 (the cell's number times `factor`: 10000 for 亿元, the rate for 万美元),
    two decimals; None for an empty cell. "约5亿", "5千万" or "-3" are errors."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("not_a_number", _("“%(value)s”不是数字。") % {"value": value})
    if isinstance(value, int | float):
        amount = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        shown = str(value).strip()
        cleaned = shown.replace(",", "").replace("，", "").replace(" ", "").replace("\u3000", "")
        if not _NUMBER.match(cleaned):
            raise CellError(
                "not_a_number",
                _("金额“%(value)s”不是数字（请只填数字，单位见表头）。") % {"value": shown[:40]},
            )
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise CellError("not_a_number", _("金额“%(value)s”不是数字。") % {"value": shown[:40]}) from None
    if not amount.is_finite():
        raise CellError("not_a_number", _("金额“%(value)s”不是数字。") % {"value": text(value)})
    if amount < 0:
        raise CellError("negative_value", _("金额“%(value)s”为负数。") % {"value": text(value)})
    amount = (amount * factor).quantize(Decimal("0.01"))
    if amount > IMPLAUSIBLE_AMOUNT:
        raise CellError(
            "implausible_value",
            _("金额“%(value)s”折合 %(amount)s 万元，超出合理范围，请核对单位。")
            % {"value": text(value), "amount": f"{amount:,.2f}"},
        )
    return amount


# The bureau's words for each stage: the stage's own name, the ledger column it stands in, and
# the usual variants. Spaces and the words 项目/阶段 are ignored when matching.
STAGE_WORDS: dict[str, str] = {}
for _stage, _words in (
    (Stage.NEGOTIATING, ("在谈", "洽谈", "洽谈中", "在洽谈", "谈判中", "在谈项目")),
    (Stage.APPROVED, ("已审定", "审定", "拟签约", "已审议", "审议通过", "待签约")),
    (Stage.SIGNED, ("已签约", "签约", "拟开工", "待开工", "签约未开工")),
    (Stage.STARTED, ("已开工", "开工", "在建", "拟投产", "待投产", "开工未投产")),
    (Stage.PRODUCING, ("已投产", "投产", "投产未达产", "试生产")),
    (Stage.AT_CAPACITY, ("已达产", "达产")),
    (Stage.TERMINATED, ("已终止", "终止", "已退出", "退出", "已中止")),
):
    for _word in _words:
        STAGE_WORDS[_word] = _stage


def stage_key(value: str) -> str:
    return re.sub(r"[\s项目阶段]", "", value)


def read_stage(value) -> str | None:
    """A stage code from the bureau's word for it (在谈, 已审定/拟签约, 已签约/拟开工, …)."""
    if is_blank(value):
        return None
    shown = text(value)
    if shown in Stage.values:
        return shown
    stage = STAGE_WORDS.get(stage_key(shown))
    if stage is None:  # 已开工/拟投产: every part names the same stage
        parts = {STAGE_WORDS.get(stage_key(part)) for part in re.split(r"[/／、|]", shown) if part.strip()}
        stage = parts.pop() if len(parts) == 1 else None
    if stage is None:
        raise CellError(
            "unknown_stage",
            _(
                "阶段“%(value)s”无法识别（可填：在谈、已审定/拟签约、已签约/拟开工、已开工/拟投产、已投产、已达产、已终止）。"
            )
            % {"value": shown[:40]},
        )
    return stage


def sheet_stage(name: str) -> str | None:
    """The stage a sheet named after a ledger column holds (在谈 / 拟签约 / 拟开工 / 拟投产…)."""
    key = stage_key(re.sub(r"^\d+[.、\s]*", "", name.strip()))
    return STAGE_WORDS.get(key) or STAGE_WORDS.get(key.removesuffix("项目"))
