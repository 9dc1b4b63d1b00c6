"""The project filters (docs/api.md lists them), shared by the API, the project list page and the ledger.

Selectors apply this filterset; unknown codes are a validation error, never a silent no-op.
"""

import datetime as dt
import re

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from projects.lifecycle import Stage
from projects.models import District, Industry, Investor, Park, Project, Source, Unit
from projects.overdue import overdue_q

# Project codes are generated as district short code, year and sequence (JLP-2025-0001): text
# with any other character cannot be part of one.
PROJECT_CODE_CHARS = re.compile(r"[A-Z0-9-]+")


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment that the database can be asked about, handed on in UTC: one that
    cannot be written in UTC (0001-01-01 in Asia/Shanghai) is a validation error, not an
    OverflowError, and an offset PostgreSQL does not take (+16:00; Python takes up to ±23:59)
    never reaches it."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None:
            try:
                moment = moment.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(_("时间超出可处理的范围。"), code="invalid") from None
        return moment


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


# The words a yes/no filter reads, in any case; any other word is refused (django-filter's
# BooleanFilter reads it as "no filter": a typo must not widen a list).
YES_WORDS = frozenset({"true", "1", "yes", "on"})
NO_WORDS = frozenset({"false", "0", "no", "off"})


class YesNoSelect(forms.NullBooleanSelect):
    """Hands every word on to the field (NullBooleanSelect drops the ones it does not know)."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return None if value in (None, "", "unknown") else value


class YesNoField(forms.NullBooleanField):
    widget = YesNoSelect

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in ("", "unknown"):
            return None
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise forms.ValidationError(_("应为 true 或 false。"), code="invalid")


class YesNoFilter(filters.BooleanFilter):
    field_class = YesNoField


class ProjectFilter(filters.FilterSet):
    # No DISTINCT: the filter joins nothing, and DISTINCT made PostgreSQL sort every matching
    # row before paging (650 ms at 100k projects).
    stage = filters.MultipleChoiceFilter(label=_("阶段（可重复）"), choices=Stage.choices, distinct=False)
    district = filters.ModelChoiceFilter(
        label=_("区县"), queryset=District.objects.all(), to_field_name="code"
    )
    unit = filters.ModelChoiceFilter(label=_("责任单位"), queryset=Unit.objects.all(), to_field_name="code")
    park = filters.ModelChoiceFilter(label=_("园区"), queryset=Park.objects.all(), to_field_name="code")
    industry = filters.ModelChoiceFilter(
        label=_("产业（含下级）"),
        queryset=Industry.objects.all(),
        to_field_name="code",
        method="filter_industry",
    )
    source = filters.ChoiceFilter(label=_("招引渠道"), choices=Source.choices)
    is_overdue = YesNoFilter(label=_("是否逾期"), method="filter_overdue")
    investor = filters.ModelChoiceFilter(label=_("投资主体"), queryset=Investor.objects.all())
    is_high_tech = YesNoFilter(label=_("高新技术企业"), method="filter_high_tech")
    min_investment = filters.NumberFilter(
        label=_("总投资不低于（万元）"), field_name="total_investment", lookup_expr="gte"
    )
    max_investment = filters.NumberFilter(
        label=_("总投资不高于（万元）"), field_name="total_investment", lookup_expr="lte"
    )
    signed_from = filters.DateFilter(label=_("签约日期自"), field_name="signed_on", lookup_expr="gte")
    signed_to = filters.DateFilter(label=_("签约日期至"), field_name="signed_on", lookup_expr="lte")
    started_from = filters.DateFilter(label=_("开工日期自"), field_name="started_on", lookup_expr="gte")
    started_to = filters.DateFilter(label=_("开工日期至"), field_name="started_on", lookup_expr="lte")
    updated_since = MomentFilter(label=_("更新时间不早于"), field_name="updated_at", lookup_expr="gte")
    search = filters.CharFilter(label=_("搜索（名称、编号、投资主体）"), method="filter_search")

    class Meta:
        model = Project
        fields = []

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry_id__in=Industry.objects.subtree_ids(value))

    def filter_high_tech(self, queryset, name, value):
        # A project with no investor recorded is not a high-tech enterprise's project.
        if value:
            return queryset.filter(investor__is_high_tech=True)
        return queryset.exclude(investor__is_high_tech=True)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_search(self, queryset, name, value):
        """Name, code or investor name containing the text, or the exact credit code.

        Three or more characters: a union of three index-friendly lookups (trigram indexes on
        PostgreSQL, see projects/migrations/0002; one OR across the investor join scanned every
        project). Fewer: no trigram index can serve them, so one pass over the projects in
        list order that stops at the page, with a case-sensitive match when the text has no
        letters with case (Chinese), which PostgreSQL runs twice as fast (docs/benchmarks.md)."""
        value = value.strip()
        if not value:
            return queryset
        maybe_code = PROJECT_CODE_CHARS.fullmatch(value.upper()) is not None
        if len(value) < 3:
            lookup = "icontains" if value.lower() != value.upper() else "contains"
            investors = Investor.objects.filter(**{f"name__{lookup}": value})  # no credit code is this short
            condition = Q(**{f"name__{lookup}": value}) | Q(investor__in=investors.values("pk"))
            if maybe_code:
                condition |= Q(code__icontains=value)
            return queryset.filter(condition)
        investors = Investor.objects.filter(Q(name__icontains=value) | Q(credit_code=value.upper()))
        projects = Project.objects.order_by()  # SQLite refuses ORDER BY inside a UNION
        lookups = [
            projects.filter(name__icontains=value),
            projects.filter(investor__in=investors.values("pk")),
        ]
        if maybe_code:
            lookups.append(projects.filter(code__icontains=value))
        first, *others = (lookup.values("pk") for lookup in lookups)
        return queryset.filter(pk__in=first.union(*others))
