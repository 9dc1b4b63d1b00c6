"""Every visible 审议 and 诉求, for incremental pulls beside the events and progress lists
(`?updated_since=…`, keyset `next` links)."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from accounts import roles
from api.base import ApiViewSet
from api.filters import IdFilter, ReviewFilter, updated_since_filter
from api.reviews import ReviewSerializer
from api.schema import paged_list_errors
from pipeline.models import Review
from pipeline.selectors import review_queryset
from supervision.models import Task, TaskStep


class AllReviewFilter(ReviewFilter):
    project = IdFilter(label=gettext_lazy("项目 id"), field_name="project_id")

    class Meta(ReviewFilter.Meta):
        pass


class RequestFilter(filters.FilterSet):
    """诉求 are 督办事项 with source `request` (supervision.Task); this list keeps the 诉求 shape."""

    project = IdFilter(label=gettext_lazy("项目 id"), field_name="project_id")
    status = filters.ChoiceFilter(
        label=gettext_lazy("状态"),
        choices=[("open", "open"), ("resolved", "resolved")],
        method="filter_status",
    )
    assigned_unit = filters.CharFilter(label=gettext_lazy("承办单位代码"), field_name="unit__code")
    updated_since = updated_since_filter()

    class Meta:
        model = Task
        fields = []

    def filter_status(self, queryset, name, value):
        closed = queryset.filter(status=Task.Status.CLOSED)
        return closed if value == "resolved" else queryset.exclude(status=Task.Status.CLOSED)


class RequestSerializer(serializers.ModelSerializer):
    """A project's request (a task with source `request`) as the requests list has always given
    it: resolved once verified and closed, with the acting unit's last report as its resolution.
    The task itself, with every step, is /api/v1/tasks/{id}/."""

    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text=gettext_lazy("项目 id"))
    description = serializers.CharField(source="content", read_only=True, help_text=gettext_lazy("诉求内容"))
    assigned_unit = serializers.CharField(
        source="unit.code", read_only=True, help_text=gettext_lazy("承办单位代码")
    )
    status = serializers.SerializerMethodField(
        help_text=gettext_lazy("open（办理中，含已报送待验收）或 resolved（已验收销号）")
    )
    resolution = serializers.SerializerMethodField(help_text=gettext_lazy("办理情况（最近一次报送）"))
    raised_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, help_text=gettext_lazy("提出人用户名")
    )
    raised_on = serializers.DateField(
        source="assigned_on", read_only=True, help_text=gettext_lazy("提出日期")
    )
    resolved_on = serializers.DateField(
        source="closed_on", read_only=True, allow_null=True, help_text=gettext_lazy("销号日期")
    )
    resolved_by = serializers.CharField(
        source="closed_by.username", read_only=True, allow_null=True, help_text=gettext_lazy("销号人用户名")
    )

    class Meta:
        model = Task
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

    def get_status(self, obj) -> str:
        return "resolved" if obj.status == Task.Status.CLOSED else "open"

    def get_resolution(self, obj) -> str:
        reports = [step.text for step in obj.steps.all() if step.kind == TaskStep.Kind.REPORTED]
        return reports[-1] if reports and obj.status == Task.Status.CLOSED else ""


def request_queryset(user):
    """The 诉求 `user` sees: tasks with source `request` in its task scope, with what the 诉求
    shape shows (one query, and one for the steps)."""
    return (
        Task.objects.filter(roles.task_scope(user), source=Task.Source.REQUEST)
        .select_related("project", "unit", "created_by", "closed_by")
        .prefetch_related("steps")
    )


@extend_schema(tags=["增量同步"])
class AllReviewViewSet(ApiViewSet):
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    filterset_class = AllReviewFilter
    ordering_fields = {"id": "id", "date": "date", "updated_at": "updated_at"}

    @extend_schema(
        summary=gettext_lazy("全部可见项目的审议"),
        description=(
            gettext_lazy(
                "用于增量同步：配合 updated_since 拉取新登记或有变化的审议（含不同意的）。默认按 id 升序。"
            )
        ),
        responses={200: ReviewSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(review_queryset(request.user))


@extend_schema(tags=["增量同步"])
class AllRequestViewSet(ApiViewSet):
    queryset = Task.objects.none()
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    ordering_fields = {"id": "id", "due_date": "due_date", "updated_at": "updated_at"}

    @extend_schema(
        summary=gettext_lazy("诉求"),
        description=(
            gettext_lazy(
                "可见项目的诉求，以及交本单位承办的诉求。"
                "诉求即来源为 request 的督办事项（完整记录及办理环节见 "
                "/api/v1/tasks/{id}/），验收销号后为 resolved。"
                "用于增量同步：配合 updated_since 拉取新提出或已办结的诉求。"
                "默认按 id 升序。"
            )
        ),
        responses={200: RequestSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(request_queryset(request.user))
