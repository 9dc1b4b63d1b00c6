"""The JSON parser of every API view: DRF's, but a body nested deeper than MAX_DEPTH levels is
a 400 (ParseError, ``code`` parse_error) instead of a RecursionError and a 500. Python's json
module recurses once per level, so '[' * 1000 + ']' * 1000 exhausted the stack; no request
of the API nests more than a few levels."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 64


class NestedTooDeep(ParseError):
    """A JSON body nested beyond MAX_DEPTH; its detail is shown as is (see api.errors)."""


def _too_deep() -> NestedTooDeep:
    return NestedTooDeep(
        _("请求正文的 JSON 嵌套层数过多（上限 %(limit)s 层），未处理。") % {"limit": MAX_DEPTH}
    )


def _depth_exceeds(data, limit: int) -> bool:
    """Whether `data` nests lists/dicts deeper than `limit`, walked without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise _too_deep()
        return data
