"""Money: Decimal in 万元, two decimals, never float."""

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


CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Two decimals, never None (SQLite may hand back floats or integers)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)
