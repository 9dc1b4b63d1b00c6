"""Query-string handling shared by every list: strict filters, explicit ordering, and the
filtersets of the records that are not projects (projects use projects.filters.ProjectFilter).

Unknown parameters are refused with 400 naming them: a typo must not silently return
everything. Ordering always ends on `id`, so paging through a changing list is stable.
"""

import django_filters as filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from pipeline.models import MonthlyProgress, Review, StageEvent
from projects.filters import NO_WORDS, YES_WORDS, MomentFilter
from projects.lifecycle import Stage
from projects.models import District, Industry, Investor, Park, Unit

ALWAYS_ALLOWED = {"page", "page_size", "cursor", "format"}


def yes_no_word(value: str) -> str | None:
    """The word django-filter's BooleanFilter reads for a yes/no word of the product
    (projects.filters.YES_WORDS / NO_WORDS, any case), or None for any other: its
    NullBooleanSelect knows only true/false, so "1" or "yes" would mean "no filter"."""
    word = value.strip().lower()
    if word in YES_WORDS:
        return "true"
    if word in NO_WORDS:
        return "false"
    return None


def allowed_query_params(view) -> set[str]:
    allowed = set(ALWAYS_ALLOWED)
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        allowed |= set(filterset_class.base_filters)
    if getattr(view, "ordering_fields", None):
        allowed.add("ordering")
    return allowed


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but unknown parameters and NUL characters are a 400."""

    def filter_queryset(self, request, queryset, view):
        params = request.query_params
        unknown = sorted(set(params) - allowed_query_params(view))
        if unknown:
            raise ValidationError(
                {name: [_("不支持的查询参数“%(name)s”。") % {"name": name[:64]}] for name in unknown},
                code="unknown_parameter",
            )
        declared = getattr(getattr(view, "filterset_class", None), "base_filters", {})
        for name, values in params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: [_("参数值含有非法字符。")]}, code="invalid_value")
            # django-filter reads any other word as "no filter"; a typo must not widen the list.
            if isinstance(declared.get(name), filters.BooleanFilter) and None in map(yes_no_word, values):
                raise ValidationError({name: [_("应为 true 或 false。")]}, code="invalid_value")
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        declared = getattr(getattr(view, "filterset_class", None), "base_filters", {})
        data = kwargs["data"].copy()
        for name, values in kwargs["data"].lists():
            if isinstance(declared.get(name), filters.BooleanFilter):
                data.setlist(name, [yes_no_word(value) or value for value in values])
        kwargs["data"] = data
        return kwargs


def _nulls_last(model, term: str):
    """A nullable sort field sorts its nulls last in both directions, on every database (the
    cursor pages need one rule); a non-null one keeps its plain form, which indexes serve."""
    path, descending = term.lstrip("-"), term.startswith("-")
    field = None
    for name in path.split("__"):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        model = field.related_model or model
    if field is None or not field.null:
        return term
    return F(path).desc(nulls_last=True) if descending else F(path).asc(nulls_last=True)


def requested_ordering(request, view) -> list[str]:
    """The list's ordering: ``?ordering=a,-b`` over the view's `ordering_fields` (API name →
    model field; anything else is a 400), else the view's default; always ending on id. The
    filter backend orders by it and the keyset pages (api.cursor) read the rows' keys under it."""
    fields = getattr(view, "ordering_fields", None) or {}
    raw = request.query_params.get("ordering", "") if fields else ""
    terms = [term.strip() for term in raw.split(",") if term.strip()]
    bad = [term for term in terms if term.lstrip("-") not in fields]
    if bad:
        raise ValidationError(
            {
                "ordering": [
                    _("不能按“%(bad)s”排序，可选：%(choices)s（前加 - 为倒序）。")
                    % {"bad": "、".join(bad), "choices": "、".join(fields)}
                ]
            },
            code="invalid_value",
        )
    order = [("-" if term.startswith("-") else "") + fields[term.lstrip("-")] for term in terms]
    order = order or list(view.default_ordering)
    if not any(term.lstrip("-") in ("id", "pk") for term in order):
        order.append("id")
    return order


class OrderingBackend(BaseFilterBackend):
    """Orders every list by requested_ordering, nulls last."""

    def filter_queryset(self, request, queryset, view):
        order = requested_ordering(request, view)
        return queryset.order_by(*(_nulls_last(queryset.model, term) for term in order))

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None)
        if not fields:
            return []
        return [
            {
                "name": "ordering",
                "required": False,
                "in": "query",
                "description": _(
                    "排序字段，逗号分隔，前加 - 为倒序；可选：%(fields)s。默认：%(default)s；"
                    "总以 id 作为最后的排序依据，翻页稳定。"
                )
                % {"fields": ", ".join(fields), "default": ",".join(view.default_ordering)},
                "schema": {"type": "string"},
            }
        ]


# `updated_at >= the moment` (at or after, not strictly after): an incremental pull that
# passes the last seen updated_at again gets that record again rather than missing a
# record written in the same instant.
UPDATED_SINCE_LABEL = gettext_lazy("更新时间不早于（ISO 8601，含时区）")
# For views whose filterset labels it otherwise (ProjectFilter) or that document parameters
# by hand (the ledger).
UPDATED_SINCE_PARAM = OpenApiParameter(
    "updated_since", OpenApiTypes.DATETIME, description=UPDATED_SINCE_LABEL
)


def updated_since_filter():
    """The one `updated_since` filter of every list: ISO 8601 with time zone, within the
    calendar the product reads (MomentFilter refuses year 1 and the like with a 400)."""
    return MomentFilter(label=UPDATED_SINCE_LABEL, field_name="updated_at", lookup_expr="gte")


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A record's id: an integer, so typed in the schema (NumberFilter would say `number`)."""

    field_class = forms.IntegerField


class DistrictFilter(filters.FilterSet):
    updated_since = updated_since_filter()

    class Meta:
        model = District
        fields = []


class UnitFilter(filters.FilterSet):
    district = filters.ModelChoiceFilter(
        label=gettext_lazy("区县代码"), queryset=District.objects.all(), to_field_name="code"
    )
    kind = filters.ChoiceFilter(label=gettext_lazy("单位类别"), choices=Unit.Kind.choices)
    updated_since = updated_since_filter()

    class Meta:
        model = Unit
        fields = []


class ParkFilter(filters.FilterSet):
    district = filters.ModelChoiceFilter(
        label=gettext_lazy("区县代码"), queryset=District.objects.all(), to_field_name="code"
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Park
        fields = []


class IndustryFilter(filters.FilterSet):
    parent = filters.ModelChoiceFilter(
        label=gettext_lazy("上级产业代码"), queryset=Industry.objects.all(), to_field_name="code"
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Industry
        fields = []


class InvestorFilter(filters.FilterSet):
    search = filters.CharFilter(label=gettext_lazy("搜索（名称或统一社会信用代码）"), method="filter_search")
    credit_code = filters.CharFilter(
        label=gettext_lazy("统一社会信用代码（精确）"), method="filter_credit_code"
    )
    is_high_tech = filters.BooleanFilter(label=gettext_lazy("高新技术企业"))
    is_foreign = filters.BooleanFilter(label=gettext_lazy("外资企业"))
    is_listed = filters.BooleanFilter(label=gettext_lazy("上市企业"))
    updated_since = updated_since_filter()

    class Meta:
        model = Investor
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(credit_code=value.upper())

    def filter_credit_code(self, queryset, name, value):
        return queryset.filter(credit_code=value.strip().upper())


class EventFilter(filters.FilterSet):
    stage = filters.MultipleChoiceFilter(label=gettext_lazy("阶段"), choices=Stage.choices)
    voided = filters.BooleanFilter(
        label=gettext_lazy("是否已作废"), field_name="voided_at", lookup_expr="isnull", exclude=True
    )
    updated_since = updated_since_filter()

    class Meta:
        model = StageEvent
        fields = []


class AllEventFilter(EventFilter):
    project = IdFilter(label=gettext_lazy("项目 id"), field_name="project_id")

    class Meta(EventFilter.Meta):
        pass


class ReviewFilter(filters.FilterSet):
    decision = filters.ChoiceFilter(label=gettext_lazy("审议结论"), choices=Review.Decision.choices)
    updated_since = updated_since_filter()

    class Meta:
        model = Review
        fields = []


class ProgressFilter(filters.FilterSet):
    month_from = filters.CharFilter(label=gettext_lazy("月份自（YYYY-MM）"), method="filter_month_from")
    month_to = filters.CharFilter(label=gettext_lazy("月份至（YYYY-MM）"), method="filter_month_to")
    updated_since = updated_since_filter()

    class Meta:
        model = MonthlyProgress
        fields = []

    def _month(self, name, value):
        from core.dates import parse_month

        try:
            return parse_month(value)
        except ValueError as exc:
            raise ValidationError({name: [str(exc)]}, code="invalid_value") from None

    def filter_month_from(self, queryset, name, value):
        return queryset.filter(month__gte=self._month(name, value))

    def filter_month_to(self, queryset, name, value):
        return queryset.filter(month__lte=self._month(name, value))


class AllProgressFilter(ProgressFilter):
    project = IdFilter(label=gettext_lazy("项目 id"), field_name="project_id")

    class Meta(ProgressFilter.Meta):
        pass
