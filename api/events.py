"""A project's stage events over the API: its history, recording the next milestone and voiding
the latest; and every visible event for incremental pulls. Every write is one call to
pipeline.transitions, which locks the project, checks the rules and refuses with a
ServiceError; the view only translates."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound

from api.base import ApiViewSet, InputSerializer
from api.children import PROJECT_ID, ProjectChildViewSet
from api.concurrency import ETAG_HEADER, IF_MATCH, expected_version
from api.fields import money_field
from api.filters import AllEventFilter, EventFilter
from api.schema import WRITE_ERRORS, errors, paged_list_errors
from core.money import AREA_M2, AREA_MU
from pipeline.models import ExitReason, StageEvent
from pipeline.selectors import event_queryset, project_events
from pipeline.transitions import event_void, milestone_record
from projects.lifecycle import Stage

EVENT_ID = OpenApiParameter("event_id", int, OpenApiParameter.PATH, description=gettext_lazy("节点 id"))


class EventSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text=gettext_lazy("项目 id"))
    from_stage = serializers.CharField(
        read_only=True, help_text=gettext_lazy("登记前的阶段代码（创建时的“在谈”节点为空）")
    )
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, help_text=gettext_lazy("录入人用户名")
    )
    industry_opinion = serializers.CharField(
        source="review.industry_opinion",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("行业评估意见（审定节点）"),
    )
    expert_opinion = serializers.CharField(
        source="review.expert_opinion",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("专家论证意见（审定节点）"),
    )
    department_opinion = serializers.CharField(
        source="review.department_opinion",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("部门联动意见（审定节点）"),
    )
    reason = serializers.ChoiceField(
        choices=ExitReason.choices,
        allow_blank=True,
        read_only=True,
        help_text=gettext_lazy("终止：退出原因（其他节点为空字符串）"),
    )
    is_voided = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("是否已作废（作废的节点保留在历史中）")
    )
    voided_by = serializers.CharField(
        source="voided_by.username", read_only=True, allow_null=True, help_text=gettext_lazy("作废人用户名")
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


class EventInput(InputSerializer):
    """The next milestone. Which data each stage needs is the services' rule (missing_field)."""

    stage = serializers.ChoiceField(
        choices=Stage.choices, help_text=gettext_lazy("要登记的阶段（只能逐级前进，或在达产前终止）")
    )
    date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("发生日期；不能晚于今天，不能早于上一有效节点"),
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("备注"))
    industry_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("审定：行业评估意见（必填）")
    )
    expert_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("审定：专家论证意见（必填）")
    )
    department_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("审定：部门联动意见（必填）")
    )
    contract_no = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=gettext_lazy("签约：合同编号（必填）")
    )
    contract_investment = money_field(gettext_lazy("签约：合同投资额（万元，必填，大于0）"), allow_null=True)
    actual_output = money_field(gettext_lazy("达产：实际年产值（万元，必填）"), allow_null=True)
    reason = serializers.ChoiceField(
        choices=ExitReason.choices,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("终止：退出原因（必填）"),
    )
    reclaimed_land_mu = serializers.DecimalField(
        **AREA_MU,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("终止：收回土地（亩）"),
    )
    reclaimed_building_m2 = serializers.DecimalField(
        **AREA_M2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("终止：收回厂房（平方米）"),
    )


class VoidInput(InputSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("作废原因（必填）")
    )


MILESTONE_EXAMPLES = [
    OpenApiExample(
        "approve",
        summary=gettext_lazy("审定"),
        value={
            "stage": "approved",
            "date": "2025-03-02",
            "note": "",
            "industry_opinion": gettext_lazy("符合产业方向"),
            "expert_opinion": gettext_lazy("技术可行"),
            "department_opinion": gettext_lazy("各部门同意"),
        },
        request_only=True,
    ),
    OpenApiExample(
        "sign",
        summary=gettext_lazy("签约"),
        value={
            "stage": "signed",
            "date": "2025-04-10",
            "contract_no": "HT-2025-018",
            "contract_investment": "120000.00",
        },
        request_only=True,
    ),
    OpenApiExample(
        "start",
        summary=gettext_lazy("开工"),
        value={"stage": "started", "date": "2025-06-01"},
        request_only=True,
    ),
    OpenApiExample(
        "produce",
        summary=gettext_lazy("投产"),
        value={"stage": "producing", "date": "2025-11-20"},
        request_only=True,
    ),
    OpenApiExample(
        "reach_capacity",
        summary=gettext_lazy("达产"),
        value={"stage": "at_capacity", "date": "2026-09-30", "actual_output": "80000.00"},
        request_only=True,
    ),
    OpenApiExample(
        "terminate",
        summary=gettext_lazy("终止"),
        value={
            "stage": "terminated",
            "date": "2025-12-31",
            "reason": "long_unstarted",
            "reclaimed_land_mu": "35.0",
        },
        request_only=True,
    ),
]


@extend_schema(tags=["阶段节点"])
class EventViewSet(ProjectChildViewSet):
    queryset = StageEvent.objects.none()
    serializer_class = EventSerializer
    filterset_class = EventFilter
    default_ordering = ("date", "id")

    @extend_schema(
        summary=gettext_lazy("项目节点历史"),
        description=(
            gettext_lazy(
                "按发生日期从早到晚（同日按 id），含已作废的节点（is_voided 为 true，附作废人、时间、原因）。"
            )
        ),
        parameters=[PROJECT_ID],
        responses={200: EventSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_events(self.get_project()))

    @extend_schema(
        summary=gettext_lazy("登记下一个节点"),
        description=(
            gettext_lazy(
                "只能逐级前进（在谈→已审定→已签约→已开工→已投产→已达产），或在达产前终止；"
                "日期不能晚于今天、不能早于上一有效节点；各阶段必填数据见字段说明。"
                "审定和终止只能由本区管理人员登记。同一项目的节点串行写入：两个请求争同一步时，"
                "一个成功，另一个返回 400 illegal_transition。响应头 ETag 为项目的新版本。"
            )
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
        summary=gettext_lazy("作废节点"),
        description=(
            gettext_lazy(
                "作废最近一个有效节点（须填原因），项目退回上一阶段；节点不删除，历史中标记为已作废。"
                "起始的“在谈”节点不能作废。只有本区管理人员可以作废。"
            )
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


@extend_schema(tags=["增量同步"])
class AllEventViewSet(ApiViewSet):
    queryset = StageEvent.objects.none()
    serializer_class = EventSerializer
    filterset_class = AllEventFilter
    ordering_fields = {"id": "id", "updated_at": "updated_at"}

    @extend_schema(
        summary=gettext_lazy("全部可见项目的节点"),
        description=(
            gettext_lazy(
                "用于数据仓库等系统增量同步：配合 updated_since 拉取新登记或新作废的节点。"
                "默认按 id 升序，翻页稳定。"
            )
        ),
        responses={200: EventSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(event_queryset(request.user))
