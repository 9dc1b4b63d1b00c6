"""Input cleaning shared by the 督办 services: text, past dates, units of a district."""

import datetime as dt

from django.utils.translation import gettext as _

from core.dates import clean_date, local_today
from core.errors import DateInFuture, InvalidValue, MissingField


def clean_text(value, field: str, label, *, required: bool = True, max_length: int | None = None) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidValue(_("%(label)s应为文本。") % {"label": label}, field=field)
    text = (value or "").strip()
    if required and not text:
        raise MissingField(_("请填写%(label)s。") % {"label": label}, field=field)
    if "\x00" in text:
        raise InvalidValue(_("%(label)s含有非法字符。") % {"label": label}, field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(
            _("%(label)s不能超过%(n)d个字符。") % {"label": label, "n": max_length}, field=field
        )
    return text


def past_day(value, field: str, *, default_today: bool = True) -> dt.date:
    """A date not in the future (today when none is given)."""
    if value is None or value == "":
        if default_today:
            return local_today()
        raise MissingField(_("请填写日期。"), field=field)
    day = clean_date(value, field)
    if day > local_today():
        raise DateInFuture(_("日期 %(date)s 晚于今天。") % {"date": day.isoformat()}, field=field)
    return day


def any_day(value, field: str, label) -> dt.date:
    if value is None or value == "":
        raise MissingField(_("请填写%(label)s。") % {"label": label}, field=field)
    return clean_date(value, field)


def unit_of(district_id: int, unit, field: str = "unit"):
    """`unit` must be given and belong to the district."""
    if unit is None:
        raise MissingField(_("请选择承办单位。"), field=field)
    if unit.district_id != district_id:
        raise InvalidValue(_("承办单位须为本区县的单位。"), field=field)
    return unit
