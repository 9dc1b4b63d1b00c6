"""Pages: ``{"count", "next", "previous", "results"}``, ``?page_size=`` 1–500.

Without ``?page=``, a list is paged by keyset: ``next`` carries a signed cursor holding the last
row's sort key (api.cursor), so a client that follows ``next`` misses no row while the list
changes under it; ``previous`` is then null. ``?page=N`` still numbers pages (offsets) for
people jumping about. A bad ``page``, ``page_size`` or ``cursor`` is a 400 naming the
parameter; a page past the end is 404.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.cursor import after, make_cursor, read_cursor
from api.filters import OrderingBackend, requested_ordering

MAX_PAGE_SIZE = 500


class DeferredJoinPaginator(Paginator):
    """Past the first page, pick the page's ids first (an index walk), then load only
    those rows with their joins and sums: OFFSET otherwise makes the database build every
    skipped row in full."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if bottom == 0 or not _plain_queryset(queryset):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def _plain_queryset(queryset) -> bool:
    query = getattr(queryset, "query", None)
    return (
        isinstance(queryset, QuerySet)
        and not query.distinct
        and not query.combinator
        and queryset._fields is None  # not a values() queryset
    )


class Pagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = gettext_lazy("第 {page_number} 页不存在：{message}")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("每页条数应为 1 到 %(max)d 之间的整数，收到“%(value)s”。")
                        % {"max": self.max_page_size, "value": raw}
                    ]
                },
                code="invalid_value",
            )
        return int(raw)

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = False
        raw = request.query_params.get(self.page_query_param)
        if raw not in (None, "", "last") and (not raw.isdigit() or int(raw) < 1):
            raise ValidationError(
                {"page": [_("页码应为正整数，收到“%(value)s”。") % {"value": raw}]}, code="invalid_value"
            )
        cursor = request.query_params.get(self.cursor_query_param)
        # Lists ordered by the OrderingBackend page by keyset cursors under the same ordering.
        keyset = view is not None and OrderingBackend in getattr(view, "filter_backends", ())
        ordering = requested_ordering(request, view) if keyset else None
        if cursor is not None and (raw not in (None, "") or ordering is None):
            raise ValidationError({"cursor": [_("cursor 不能与 page 同时使用。")]}, code="invalid_value")
        if raw in (None, "") and ordering is not None:
            return self._keyset_page(queryset, request, ordering, cursor)
        return super().paginate_queryset(queryset, request, view)

    def _keyset_page(self, queryset, request, ordering, cursor):
        """The rows after the cursor's key (the first rows without one), and the count of the
        whole list: two queries, however deep the client has paged."""
        self.keyset, self.request = True, request
        page_size = self.get_page_size(request)
        self.keyset_count = queryset.count()
        if cursor is not None:
            queryset = queryset.filter(after(read_cursor(cursor, ordering), ordering))
        rows = list(queryset[: page_size + 1])
        more, rows = len(rows) > page_size, rows[:page_size]
        self.next_cursor = make_cursor(rows[-1], ordering) if more else None
        return rows

    def get_paginated_response(self, data):
        if not self.keyset:
            return super().get_paginated_response(data)
        next_link = None
        if self.next_cursor is not None:
            url = self.request.build_absolute_uri()
            next_link = replace_query_param(url, self.cursor_query_param, self.next_cursor)
        return Response({"count": self.keyset_count, "next": next_link, "previous": None, "results": data})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        if OrderingBackend in getattr(view, "filter_backends", ()):
            # A generated client follows `next` by passing its cursor back as this parameter.
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": _(
                        "翻页游标：取自上一页 next 地址中的 cursor；不能与 page 同时使用。"
                        "按 next 逐页读取，列表在读取期间变化也不会漏掉记录。"
                    ),
                    "schema": {"type": "string"},
                }
            )
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = _("页码，从 1 开始（last 为最后一页）；超出末页返回 404。")
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = _(
                    "每页条数，1 到 %(max)d，默认 %(default)d；超出范围返回 400。"
                ) % {
                    "max": self.max_page_size,
                    "default": self.page_size,
                }
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["description"] = _("符合条件的记录总数")
        properties["next"]["description"] = _("下一页地址，含 cursor 参数（没有则为 null）")
        properties["next"]["example"] = "https://example.org/api/v1/projects/?cursor=eyJrIjpbMTIwXX0:1tAbCd"
        properties["previous"]["description"] = _("上一页地址（按 cursor 翻页时为 null）")
        properties["previous"]["example"] = None
        return response
