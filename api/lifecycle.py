"""A project's lifecycle over the API: stage events (record, list, void), reviews (审议) and
monthly progress. Every write is one call to a pipeline service, which locks the project,
checks the rules and refuses with a ServiceError; the view only translates."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.concurrency import ETAG_HEADER, IF_MATCH, etag, expected_version
from api.filters import AllEventFilter, AllProgressFilter, EventFilter, ProgressFilter, ReviewFilter
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from core.dates import format_month, parse_month
from core.errors import InvalidValue
from pipeline.models import ExitReason, MonthlyProgress, Review, StageEvent
from pipeline.progress import progress_save
from pipeline.selectors import (
    event_queryset,
    progress_queryset,
    project_events,
    project_progress,
    project_reviews,
)
from pipeline.transitions import event_void, milestone_record, review_record
from projects.lifecycle import Stage
from projects.models import Project
from projects.selectors import project_queryset


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-11"})
class MonthField(serializers.Field):
    """A month as `YYYY-MM` (stored as its first day)."""

    def to_representation(self, value):
        return format_month(value)

    def to_internal_value(self, data):  # pragma: no cover - months come from the URL
        try:
            return parse_month(str(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


# --- serializers ------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 id")
    from_stage = serializers.CharField(read_only=True, help_text="登记前的阶段代码（创建时的“在谈”节点为空）")
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, help_text="录入人用户名"
    )
    industry_opinion = serializers.CharField(
        source="review.industry_opinion",
        read_only=True,
        allow_null=True,
        help_text="行业评估意见（审定节点）",
    )
    expert_opinion = serializers.CharField(
        source="review.expert_opinion", read_only=True, allow_null=True, help_text="专家论证意见（审定节点）"
    )
    department_opinion = serializers.CharField(
        source="review.department_opinion",
        read_only=True,
        allow_null=True,
        help_text="部门联动意见（审定节点）",
    )
    reason = serializers.ChoiceField(
        choices=ExitReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="终止：退出原因（其他节点为空字符串）",
    )
    is_voided = serializers.BooleanField(read_only=True, help_text="是否已作废（作废的节点保留在历史中）")
    voided_by = serializers.CharField(
        source="voided_by.username", read_only=True, allow_null=True, help_text="作废人用户名"
    )

    class Meta:
        model = StageEvent
        fields = [
            "id",
            "project",
            "stage",
            "from_stage",
            "date",
            "note",
            "recorded_by",
            "recorded_at",
            "contract_no",
            "contract_investment",
            "actual_output",
            "reason",
            "reclaimed_land_mu",
            "reclaimed_building_m2",
            "industry_opinion",
            "expert_opinion",
            "department_opinion",
            "is_voided",
            "voided_at",
            "voided_by",
            "void_reason",
            "updated_at",
        ]
        read_only_fields = fields


def _money(help_text, **kwargs):
    return serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=help_text,
        **kwargs,
    )


class EventInput(InputSerializer):
    """The next milestone. Which data each stage needs is the services' rule (missing_field)."""

    stage = serializers.ChoiceField(
        choices=Stage.choices, help_text="要登记的阶段（只能逐级前进，或在达产前终止）"
    )
    date = serializers.DateField(
        required=False, allow_null=True, help_text="发生日期；不能晚于今天，不能早于上一有效节点"
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="备注")
    industry_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text="审定：行业评估意见（必填）"
    )
    expert_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text="审定：专家论证意见（必填）"
    )
    department_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text="审定：部门联动意见（必填）"
    )
    contract_no = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="签约：合同编号（必填）"
    )
    contract_investment = _money("签约：合同投资额（万元，必填，大于0）")
    actual_output = _money("达产：实际年产值（万元，必填）")
    reason = serializers.ChoiceField(
        choices=ExitReason.choices, required=False, allow_blank=True, help_text="终止：退出原因（必填）"
    )
    reclaimed_land_mu = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="终止：收回土地（亩）",
    )
    reclaimed_building_m2 = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="终止：收回厂房（平方米）",
    )


class VoidInput(InputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, help_text="作废原因（必填）")


class ReviewSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 id")
    event = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="同意时对应的“已审定”节点 id；不同意为 null"
    )
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, help_text="录入人用户名"
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "project",
            "date",
            "decision",
            "industry_opinion",
            "expert_opinion",
            "department_opinion",
            "note",
            "event",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReviewInput(InputSerializer):
    decision = serializers.ChoiceField(
        choices=Review.Decision.choices,
        help_text="approved（同意，即“已审定”节点）或 rejected（不同意，项目仍为在谈）",
    )
    date = serializers.DateField(required=False, allow_null=True, help_text="审议日期；不能晚于今天")
    industry_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text="行业评估意见（必填）"
    )
    expert_opinion = serializers.CharField(required=False, allow_blank=True, help_text="专家论证意见（必填）")
    department_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text="部门联动意见（必填）"
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="备注")


class ProgressSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text="项目 id")
    month = MonthField(read_only=True, help_text="月份 YYYY-MM")
    updated_by = serializers.CharField(
        source="updated_by.username", read_only=True, allow_null=True, help_text="填报人用户名"
    )

    class Meta:
        model = MonthlyProgress
        fields = [
            "project",
            "month",
            "funds_in_place",
            "investment_completed",
            "progress",
            "problems",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProgressInput(InputSerializer):
    read_only_names = ("project", "month", "updated_by", "created_at", "updated_at")

    funds_in_place = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="当月资金到位额（万元），不填为 0",
    )
    investment_completed = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="当月完成投资额（万元），不填为 0",
    )
    progress = serializers.CharField(required=False, allow_blank=True, help_text="进展情况")
    problems = serializers.CharField(required=False, allow_blank=True, help_text="存在问题")


# --- views ------------------------------------------------------------------------------

PROJECT_ID = OpenApiParameter("project_id", int, OpenApiParameter.PATH, description="项目 id")
EVENT_ID = OpenApiParameter("event_id", int, OpenApiParameter.PATH, description="节点 id")
MONTH = OpenApiParameter(
    "month",
    str,
    OpenApiParameter.PATH,
    description="月份 YYYY-MM，如 2025-11",
    pattern=r"^[0-9]{4}-[0-9]{2}$",
)

MILESTONE_EXAMPLES = [
    OpenApiExample(
        "审定",
        value={
            "stage": "approved",
            "date": "2025-03-02",
            "note": "",
            "industry_opinion": "符合产业方向",
            "expert_opinion": "技术可行",
            "department_opinion": "各部门同意",
        },
        request_only=True,
    ),
    OpenApiExample(
        "签约",
        value={
            "stage": "signed",
            "date": "2025-04-10",
            "contract_no": "HT-2025-018",
            "contract_investment": "120000.00",
        },
        request_only=True,
    ),
    OpenApiExample("开工", value={"stage": "started", "date": "2025-06-01"}, request_only=True),
    OpenApiExample("投产", value={"stage": "producing", "date": "2025-11-20"}, request_only=True),
    OpenApiExample(
        "达产",
        value={"stage": "at_capacity", "date": "2026-09-30", "actual_output": "80000.00"},
        request_only=True,
    ),
    OpenApiExample(
        "终止",
        value={
            "stage": "terminated",
            "date": "2025-12-31",
            "reason": "long_unstarted",
            "reclaimed_land_mu": "35.0",
        },
        request_only=True,
    ),
]


class ProjectChildViewSet(ApiViewSet):
    """Records under /projects/{project_id}/…: the project is looked up in the caller's
    scope first (404 outside it)."""

    lookup_value_regex = r"[0-9]+"

    def get_project(self):
        if not hasattr(self, "_project"):
            try:
                self._project = project_queryset(self.request.user).get(pk=self.kwargs["project_id"])
            except (ValueError, OverflowError, Project.DoesNotExist):
                raise NotFound(_("项目不存在或不在您的查看范围内。")) from None
        return self._project

    def _with_etag(self, data, project, status_code):
        project.refresh_from_db(fields=["version"])  # the service moved it on
        return Response(data, status=status_code, headers={"ETag": etag(project)})


@extend_schema(tags=["阶段节点"])
class EventViewSet(ProjectChildViewSet):
    queryset = StageEvent.objects.none()
    serializer_class = EventSerializer
    filterset_class = EventFilter
    default_ordering = ("date", "id")

    @extend_schema(
        summary="项目节点历史",
        description=(
            "按发生日期从早到晚（同日按 id），含已作废的节点（is_voided 为 true，附作废人、时间、原因）。"
        ),
        parameters=[PROJECT_ID],
        responses={200: EventSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_events(self.get_project()))

    @extend_schema(
        summary="登记下一个节点",
        description=(
            "只能逐级前进（在谈→已审定→已签约→已开工→已投产→已达产），或在达产前终止；"
            "日期不能晚于今天、不能早于上一有效节点；各阶段必填数据见字段说明。"
            "审定和终止只能由本区管理人员登记。同一项目的节点串行写入：两个请求争同一步时，"
            "一个成功，另一个返回 400 illegal_transition。响应头 ETag 为项目的新版本。"
        ),
        parameters=[PROJECT_ID, IF_MATCH, ETAG_HEADER],
        request=EventInput,
        examples=MILESTONE_EXAMPLES,
        responses={201: EventSerializer, **errors(*WRITE_ERRORS, 412)},
    )
    def create(self, request, project_id=None):
        project = self.get_project()
        data = self.validated(EventInput)
        event = milestone_record(
            project=project,
            by=request.user,
            expected_version=expected_version(request),
            stage=data.pop("stage"),
            date=data.pop("date", None),
            note=data.pop("note", ""),
            **data,
        )
        event = project_events(project).get(pk=event.pk)
        return self._with_etag(EventSerializer(event).data, event.project, status.HTTP_201_CREATED)

    @extend_schema(
        summary="作废节点",
        description=(
            "作废最近一个有效节点（须填原因），项目退回上一阶段；节点不删除，历史中标记为已作废。"
            "起始的“在谈”节点不能作废。只有本区管理人员可以作废。"
        ),
        parameters=[PROJECT_ID, EVENT_ID, IF_MATCH, ETAG_HEADER],
        request=VoidInput,
        responses={200: EventSerializer, **errors(*WRITE_ERRORS, 412)},
    )
    def void(self, request, project_id=None, event_id=None):
        project = self.get_project()
        data = self.validated(VoidInput)
        event = self._event(project, event_id)
        event_void(
            project=project,
            by=request.user,
            reason=data.get("reason", ""),
            event=event,
            expected_version=expected_version(request),
        )
        event = project_events(project).get(pk=event.pk)
        return self._with_etag(EventSerializer(event).data, event.project, status.HTTP_200_OK)

    def _event(self, project, event_id):
        try:
            return project.events.get(pk=event_id)
        except (StageEvent.DoesNotExist, ValueError, OverflowError):
            raise NotFound(_("该项目没有这个节点。")) from None


@extend_schema(tags=["审议"])
class ReviewViewSet(ProjectChildViewSet):
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    default_ordering = ("date", "id")

    @extend_schema(
        summary="项目审议记录",
        description="按审议日期从早到晚，含不同意的审议。",
        parameters=[PROJECT_ID],
        responses={200: ReviewSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_reviews(self.get_project()))

    @extend_schema(
        summary="登记审议",
        description=(
            "行业评估、专家论证、部门联动三项意见必填。同意（approved）即登记“已审定”节点；"
            "不同意（rejected）记录在案，项目仍为在谈。只有本区管理人员可以登记。"
        ),
        parameters=[PROJECT_ID, IF_MATCH, ETAG_HEADER],
        request=ReviewInput,
        responses={201: ReviewSerializer, **errors(*WRITE_ERRORS, 412)},
    )
    def create(self, request, project_id=None):
        project = self.get_project()
        data = self.validated(ReviewInput)
        review = review_record(
            project=project,
            by=request.user,
            expected_version=expected_version(request),
            decision=data.pop("decision"),
            date=data.pop("date", None),
            **data,
        )
        review = project_reviews(project).select_related("project").get(pk=review.pk)
        return self._with_etag(ReviewSerializer(review).data, review.project, status.HTTP_201_CREATED)


@extend_schema(tags=["月度进展"])
class ProgressViewSet(ProjectChildViewSet):
    queryset = MonthlyProgress.objects.none()
    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter
    default_ordering = ("month", "id")

    @extend_schema(
        summary="项目月度进展",
        description="按月份从早到晚。",
        parameters=[PROJECT_ID],
        responses={200: ProgressSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_progress(self.get_project()))

    @extend_schema(
        summary="某月进展",
        parameters=[PROJECT_ID, MONTH],
        responses={200: ProgressSerializer, **errors(400, *DETAIL_ERRORS)},
    )
    def retrieve(self, request, project_id=None, month=None):
        return Response(ProgressSerializer(self.get_object()).data)

    @extend_schema(
        summary="填报或替换某月进展",
        description=(
            "每个项目每月一条：不存在则新建（201），已存在则整条替换（200）。"
            "月份不能晚于本月、不能早于开始洽谈的月份；已终止项目不能填报终止之后的月份；金额不能为负。"
        ),
        parameters=[PROJECT_ID, MONTH],
        request=ProgressInput,
        responses={200: ProgressSerializer, 201: ProgressSerializer, **errors(*WRITE_ERRORS)},
    )
    def update(self, request, project_id=None, month=None):
        project = self.get_project()
        month = self._month(month)
        data = self.validated(ProgressInput)
        existed = self._record(project, month) is not None
        record = progress_save(project=project, by=request.user, month=month, **data)
        record = project_progress(project).get(pk=record.pk)
        return Response(
            ProgressSerializer(record).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    def get_object(self):
        # The record is addressed by project and month, not by pk (OPTIONS asks for it too).
        record = self._record(self.get_project(), self._month(self.kwargs.get("month", "")))
        if record is None:
            raise NotFound(_("该月尚未填报进展。"))
        return record

    def _month(self, raw):
        try:
            return parse_month(raw)
        except ValueError as exc:
            raise InvalidValue(str(exc), field="month") from None

    def _record(self, project, month):
        return project_progress(project).filter(month=month).first()


@extend_schema(tags=["增量同步"])
class AllEventViewSet(ApiViewSet):
    queryset = StageEvent.objects.none()
    serializer_class = EventSerializer
    filterset_class = AllEventFilter
    ordering_fields = {"id": "id", "updated_at": "updated_at"}

    @extend_schema(
        summary="全部可见项目的节点",
        description=(
            "用于数据仓库等系统增量同步：配合 updated_since 拉取新登记或新作废的节点。"
            "默认按 id 升序，翻页稳定。"
        ),
        responses={200: EventSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(event_queryset(request.user))


@extend_schema(tags=["增量同步"])
class AllProgressViewSet(ApiViewSet):
    queryset = MonthlyProgress.objects.none()
    serializer_class = ProgressSerializer
    filterset_class = AllProgressFilter
    ordering_fields = {"id": "id", "month": "month", "updated_at": "updated_at"}

    @extend_schema(
        summary="全部可见项目的月度进展",
        description="用于增量同步：配合 updated_since 拉取新填报或修改的月度进展。默认按 id 升序。",
        responses={200: ProgressSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(progress_queryset(request.user))
