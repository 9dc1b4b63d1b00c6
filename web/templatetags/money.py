"""{{ amount|wan }} and {{ amount|yi }}: the money display rule of core/money.py."""

from django import template

from core.money import format_wan, format_yi

register = template.Library()
register.filter("wan", format_wan)
register.filter("yi", format_yi)
