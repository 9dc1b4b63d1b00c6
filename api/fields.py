"""Fields the API's serializers share: months as YYYY-MM, money in 万元."""

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
