"""Every visible 审议 and 诉求, for incremental pulls beside the events and progress lists
(`?updated_since=…`, keyset `next` links)."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from api.base import ApiViewSet
from api.filters import ReviewFilter, updated_since_filter
from api.reviews import ReviewSerializer
from api.schema import paged_list_errors
from pipeline.models import Request, Review
from pipeline.selectors import request_queryset, review_queryset


class AllReviewFilter(ReviewFilter):
    project = filters.NumberFilter(label=gettext_lazy("项目 id"), field_name="project_id")

    class Meta(ReviewFilter.Meta):
        pass


class RequestFilter(filters.FilterSet):
    project = filters.NumberFilter(label=gettext_lazy("项目 id"), field_name="project_id")
    status = filters.ChoiceFilter(label=gettext_lazy("状态"), choices=Request.Status.choices)
    assigned_unit = filters.CharFilter(label=gettext_lazy("承办单位代码"), field_name="assigned_unit__code")
    updated_since = updated_since_filter()

    class Meta:
        model = Request
        fields = []


class RequestSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 id")
    assigned_unit = serializers.CharField(
        source="assigned_unit.code", read_only=True, help_text="承办单位代码"
    )
    raised_by = serializers.CharField(
        source="raised_by.username", read_only=True, allow_null=True, help_text="提出人用户名"
    )
    resolved_by = serializers.CharField(
        source="resolved_by.username", read_only=True, allow_null=True, help_text="办结人用户名"
    )

    class Meta:
        model = Request
        fields = [
            "id",
            "project",
            "category",
            "description",
            "assigned_unit",
            "due_date",
            "status",
            "resolution",
            "raised_by",
            "raised_on",
            "resolved_on",
            "resolved_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema(tags=["增量同步"])
class AllReviewViewSet(ApiViewSet):
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    filterset_class = AllReviewFilter
    ordering_fields = {"id": "id", "date": "date", "updated_at": "updated_at"}

    @extend_schema(
        summary="全部可见项目的审议",
        description=(
            "用于增量同步：配合 updated_since 拉取新登记或有变化的审议（含不同意的）。默认按 id 升序。"
        ),
        responses={200: ReviewSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(review_queryset(request.user))


@extend_schema(tags=["增量同步"])
class AllRequestViewSet(ApiViewSet):
    queryset = Request.objects.none()
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    ordering_fields = {"id": "id", "due_date": "due_date", "updated_at": "updated_at"}

    @extend_schema(
        summary="诉求",
        description=(
            "可见项目的诉求，以及交本单位承办的诉求。"
            "用于增量同步：配合 updated_since 拉取新提出或已办结的诉求。"
            "默认按 id 升序。"
        ),
        responses={200: RequestSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(request_queryset(request.user))
