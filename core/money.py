"""Money: Decimal in 万元, two decimals, never float.

One display rule. Amounts are kept and computed in 万元. Tables — on the pages, in the
workbooks, in print — show 万元 with two decimals and the unit in the column heading or the
title; headline figures (the ledger's tiles, the statistics' and the dashboard's cards, the
charts) show 亿元 with two decimals and the unit beside them: in_yi / format_wan / format_yi,
used by the templates through web/templatetags/money.py, by pipeline.charts, and by
pipeline.xlsx's 万元 cells (#,##0.00)."""

from decimal import Decimal, InvalidOperation

from django.core.validators import MinValueValidator
from django.utils.translation import gettext as _

from core.errors import InvalidValue

# Keyword arguments of every money column (万元, two decimals), and of the two areas.
MONEY = {"max_digits": 16, "decimal_places": 2}
AREA_MU = {"max_digits": 12, "decimal_places": 2}  # land, 亩
AREA_M2 = {"max_digits": 14, "decimal_places": 2}  # buildings, m²
NON_NEGATIVE = [MinValueValidator(0)]
MAX_AMOUNT = Decimal("99999999999999.99")


def clean_money(field: str, value, *, label, positive: bool = False) -> Decimal:
    """A non-negative (or positive) amount with two decimals, or InvalidValue naming `field`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        value = "0"
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidValue(_("%(label)s应为数字。") % {"label": label}, field=field) from None
    if not amount.is_finite():
        raise InvalidValue(_("%(label)s应为数字。") % {"label": label}, field=field)
    if amount < 0 or (positive and amount == 0):
        message = _("%(label)s应大于0。") if positive else _("%(label)s不能为负数。")
        raise InvalidValue(message % {"label": label}, field=field)
    if amount > MAX_AMOUNT:
        raise InvalidValue(_("%(label)s数值过大。") % {"label": label}, field=field)
    return amount.quantize(Decimal("0.01"))


WAN_PER_YI = Decimal(10000)
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Two decimals, never None (SQLite may hand back floats or integers)."""
    if value is None:
        return Decimal("0.00")
    if value.__class__ is Decimal:  # PostgreSQL's numeric: no round trip through str
        return value.quantize(CENT)
    return Decimal(str(value)).quantize(CENT)


def in_yi(amount) -> Decimal | None:
    """An amount in 万元 as 亿元, two decimals (None stays None)."""
    if amount is None or amount == "":
        return None
    return (Decimal(str(amount)) / WAN_PER_YI).quantize(CENT)


def format_wan(amount) -> str:
    """'1,117,000.00' — a table's amount in 万元; '—' for none."""
    if amount is None or amount == "":
        return "—"
    return f"{Decimal(str(amount)).quantize(CENT):,.2f}"


def format_yi(amount) -> str:
    """'111.70' — a headline amount in 亿元; '—' for none."""
    value = in_yi(amount)
    return "—" if value is None else f"{value:,.2f}"
