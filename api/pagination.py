"""Page-number pagination: ``{"count", "next", "previous", "results"}``, ``?page_size=`` 1–500.

A bad ``page`` or ``page_size`` is a 400 naming the parameter; a page past the end is 404.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

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

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw not in (None, "", "last") and (not raw.isdigit() or int(raw) < 1):
            raise ValidationError(
                {"page": [_("页码应为正整数，收到“%(value)s”。") % {"value": raw}]}, code="invalid_value"
            )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = "符合条件的记录总数"
        response["properties"]["next"]["description"] = "下一页地址（没有则为 null）"
        response["properties"]["previous"]["description"] = "上一页地址（没有则为 null）"
        return response
