"""Fields the API's serializers share: months as YYYY-MM, money in 万元."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import format_month, parse_month
from core.money import MONEY


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-11"})
class MonthField(serializers.Field):
    """A month as `YYYY-MM` (stored as its first day)."""

    def to_representation(self, value):
        return format_month(value)

    def to_internal_value(self, data):  # pragma: no cover - months come from the URL
        try:
            return parse_month(str(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


def money_field(help_text, **kwargs):
    """An amount in 万元 with two decimals, not negative (the MONEY columns' shape)."""
    kwargs.setdefault("required", False)
    return serializers.DecimalField(**MONEY, min_value=0, help_text=help_text, **kwargs)


class IdField(serializers.PrimaryKeyRelatedField):
    """A related record's id: a whole number (or its digits as text). 1.5 was read as 1 and
    true as 1; both are refused now, naming the field."""

    def to_internal_value(self, data):
        whole = isinstance(data, int) and not isinstance(data, bool)
        digits = isinstance(data, str) and data.isascii() and data.isdigit()
        if not (whole or digits):
            raise serializers.ValidationError(_("应为整数 id。"), code="invalid_value")
        return super().to_internal_value(data)
