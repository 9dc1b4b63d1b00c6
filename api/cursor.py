"""Keyset pages: the ``next`` link of a list carries the sort key of the last row it returned.

Page numbers count rows: when a row before the page leaves the list (a project advances out
of ``?stage=negotiating``) every later row moves up one place, and the client asking for the
next page number never sees the row that moved across the boundary. A cursor asks for "the rows
after this key" instead, so a client following ``next`` misses no row that still matches,
however the list changes while it pages (a row updated during an ``?ordering=updated_at`` pull
moves behind the cursor and is returned again, later: seen twice, never lost).

The cursor is signed (django.core.signing): a client cannot forge a key the database would
refuse. Sorting is NULLS LAST in both directions on every database (api.filters.OrderingBackend),
so a key holding a null still has a well-defined "after".
"""

import datetime as dt
from decimal import Decimal

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

SALT = "api.cursor.v1"


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"t": "dt", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": "d", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"t": "n", "v": str(value)}
    return value


def _decode(value):
    if isinstance(value, dict):
        kind, text = value.get("t"), value.get("v")
        if kind == "dt":
            return dt.datetime.fromisoformat(text)
        if kind == "d":
            return dt.date.fromisoformat(text)
        if kind == "n":
            return Decimal(text)
    return value


def _value(row, path: str):
    value = row
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, "pk" if name == "pk" else name)
    return value


def make_cursor(row, ordering: list[str]) -> str:
    """The signed key of `row` under `ordering` (field paths, "-" for descending)."""
    key = [_encode(_value(row, term.lstrip("-"))) for term in ordering]
    return signing.dumps({"o": ordering, "k": key}, salt=SALT, compress=True)


def read_cursor(raw: str, ordering: list[str]) -> list:
    """The key a cursor carries; 400 naming `cursor` when it is forged, garbled or was made
    for another ordering."""
    try:
        data = signing.loads(raw, salt=SALT)
        if data["o"] != ordering or len(data["k"]) != len(ordering):
            raise ValueError
        return [_decode(value) for value in data["k"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(
            {"cursor": [_("翻页游标无效或与当前排序不符，请从第一页重新开始。")]}, code="invalid_value"
        ) from None


def after(key: list, ordering: list[str]) -> Q:
    """Rows that sort after `key`: lexicographic over the ordering, nulls last."""
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for term, value in zip(ordering, key, strict=True):
        field = term.lstrip("-")
        descending = term.startswith("-")
        if value is None:
            beyond = Q(pk__in=[])  # nothing sorts after a null
            same = Q(**{f"{field}__isnull": True})
        else:
            beyond = Q(**{f"{field}__{'lt' if descending else 'gt'}": value}) | Q(
                **{f"{field}__isnull": True}
            )
            same = Q(**{field: value})
        condition |= equal_so_far & beyond
        equal_so_far &= same
    return condition
