"""The month-end screening and the exit reviews over the API: thin views over exits.screening,
exits.selectors and exits.services.

GET  /api/v1/screenings/{YYYY-MM}/                 the screening list as of the month's end
GET  /api/v1/exit-reviews/                         every review the caller sees (decision, open,
                                                   district, unit, project, updated_since)
GET  /api/v1/exit-reviews/{id}/
POST /api/v1/exit-reviews/{id}/decide/             a manager decides exit or keep
POST /api/v1/exit-reviews/{id}/opinions/           one more opinion
GET, POST /api/v1/projects/{id}/exit-reviews/      a project's reviews; propose / open one
"""

import django_filters as filters
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.children import PROJECT_ID, ProjectChildViewSet
from api.filters import IdFilter, updated_since_filter
from api.reports import MONTH_PARAM, ReportView
from api.schema import DETAIL_ERRORS, LIST_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from exits.models import Choice, ExitReview
from exits.screening import KINDS, screening
from exits.selectors import exit_review_queryset, project_exit_reviews
from exits.services import exit_review_add_opinion, exit_review_decide, exit_review_open
from pipeline.ledger_json import ledger_json
from pipeline.models import ExitReason
from projects.models import District, Unit

AREA = {"max_digits": 14, "decimal_places": 2}


class OpinionSerializer(serializers.Serializer):
    text = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username", help_text=gettext_lazy("录入人用户名"))
    recorded_at = serializers.DateTimeField()

    def get_fields(self):
        # "from" (a Python keyword) as the input names it, so the schema documents what is sent.
        return {
            "from": serializers.CharField(
                source="source", help_text=gettext_lazy("意见来源（如责任单位、行业主管部门）")
            ),
            **super().get_fields(),
        }


class ExitReviewSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", help_text=gettext_lazy("项目 id"))
    project_code = serializers.CharField(source="project.code")
    project_name = serializers.CharField(source="project.name")
    unit = serializers.CharField(source="project.unit.code", help_text=gettext_lazy("责任单位代码"))
    origin = serializers.ChoiceField(
        choices=ExitReview.Origin.choices,
        help_text=gettext_lazy("unit（责任单位提请）或 bureau（区招商投资局发起）"),
    )
    proposal = serializers.ChoiceField(
        choices=Choice.choices, help_text=gettext_lazy("exit（提请退出）或 keep（申请保留）")
    )
    opened_by = serializers.CharField(source="opened_by.username")
    decision = serializers.ChoiceField(
        choices=Choice.choices, allow_blank=True, help_text=gettext_lazy("exit / keep；尚未决定为空字符串")
    )
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    reclaimed_land_mu = serializers.DecimalField(
        **AREA, allow_null=True, help_text=gettext_lazy("收回土地（亩）")
    )
    reclaimed_building_m2 = serializers.DecimalField(
        **AREA, allow_null=True, help_text=gettext_lazy("收回厂房（平方米）")
    )
    event = serializers.IntegerField(
        source="event_id", allow_null=True, help_text=gettext_lazy("决定退出时登记的终止节点 id")
    )
    opinions = OpinionSerializer(many=True)

    class Meta:
        model = ExitReview
        fields = [
            "id",
            "project",
            "project_code",
            "project_name",
            "unit",
            "origin",
            "proposal",
            "reason",
            "opened_on",
            "opened_by",
            "opened_at",
            "opinions",
            "decision",
            "decided_on",
            "decision_reason",
            "reclaimed_land_mu",
            "reclaimed_building_m2",
            "keep_until",
            "decided_by",
            "decided_at",
            "event",
            "updated_at",
        ]
        read_only_fields = fields


OpinionInput = type(
    "OpinionInput",
    (InputSerializer,),
    {
        "from": serializers.CharField(
            max_length=64, help_text=gettext_lazy("意见来源，如“区经济信息委”“行业主管部门”")
        ),
        "text": serializers.CharField(help_text=gettext_lazy("意见")),
    },
)


class ExitReviewInput(InputSerializer):
    proposal = serializers.ChoiceField(
        choices=Choice.choices, help_text=gettext_lazy("exit（提请退出）或 keep（申请保留）")
    )
    reason = serializers.CharField(help_text=gettext_lazy("提请理由"))
    date = serializers.DateField(required=False, help_text=gettext_lazy("提请日期；缺省为今天"))
    opinions = OpinionInput(many=True, required=False, help_text=gettext_lazy('各方意见：[{"from", "text"}]'))


class DecideInput(InputSerializer):
    decision = serializers.ChoiceField(
        choices=Choice.choices, help_text=gettext_lazy("exit（退出：登记终止节点）或 keep（保留）")
    )
    date = serializers.DateField(help_text=gettext_lazy("决定日期（终止节点的日期）；不能晚于今天"))
    reason = serializers.CharField(help_text=gettext_lazy("决定理由"))
    reclaimed_land_mu = serializers.DecimalField(
        **AREA,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("退出：收回土地（亩，必填，未供地填 0）"),
    )
    reclaimed_building_m2 = serializers.DecimalField(
        **AREA, required=False, allow_null=True, help_text=gettext_lazy("退出：收回厂房（平方米）")
    )
    keep_until = serializers.DateField(
        required=False, allow_null=True, help_text=gettext_lazy("保留：保留至（必填，晚于决定日期）")
    )
    exit_reason = serializers.ChoiceField(
        choices=ExitReason.choices,
        required=False,
        help_text=gettext_lazy("退出：终止节点的退出原因类别；缺省按项目阶段"),
    )


class ExitReviewFilter(filters.FilterSet):
    decision = filters.ChoiceFilter(label=gettext_lazy("审议结论"), choices=Choice.choices)
    open = filters.BooleanFilter(
        label=gettext_lazy("是否尚未决定"), field_name="decided_on", lookup_expr="isnull"
    )
    district = filters.ModelChoiceFilter(
        label=gettext_lazy("区县代码"),
        queryset=District.objects.all(),
        to_field_name="code",
        field_name="project__district",
    )
    unit = filters.ModelChoiceFilter(
        label=gettext_lazy("责任单位代码"),
        queryset=Unit.objects.all(),
        to_field_name="code",
        field_name="project__unit",
    )
    project = IdFilter(label=gettext_lazy("项目 id"), field_name="project_id")
    updated_since = updated_since_filter()

    class Meta:
        model = ExitReview
        fields = []


ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("退出审议 id"))


@extend_schema(tags=["退出审议"])
class ExitReviewViewSet(ApiViewSet):
    queryset = ExitReview.objects.none()
    serializer_class = ExitReviewSerializer
    filterset_class = ExitReviewFilter
    ordering_fields = {
        "id": "id",
        "opened_on": "opened_on",
        "decided_on": "decided_on",
        "updated_at": "updated_at",
    }
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("退出审议不存在或不在您的查看范围内。")

    def get_queryset(self):
        return exit_review_queryset(self.request.user)

    @extend_schema(
        summary=gettext_lazy("退出审议列表"), responses={200: ExitReviewSerializer, **paged_list_errors()}
    )
    def list(self, request):
        return self.list_response(self.get_queryset())

    @extend_schema(
        summary=gettext_lazy("退出审议详情"),
        parameters=[ID],
        responses={200: ExitReviewSerializer, **errors(*DETAIL_ERRORS)},
    )
    def retrieve(self, request, pk=None):
        return Response(ExitReviewSerializer(self.get_object()).data)

    @extend_schema(
        summary=gettext_lazy("作出退出审议决定"),
        description=(
            gettext_lazy(
                "只有本区招商投资局管理人员可以决定。exit：在同一事务中登记“已终止”节点（日期即决定日期），"
                "须填收回土地（亩，未供地填 0），可填收回厂房（平"
                "方米）；keep：须填保留期限，项目在此之前不进入"
                "逾期筛查名单（仍计入逾期统计）。已决定的审议不能再次决定（400 duplicate）。"
            )
        ),
        parameters=[ID],
        request=DecideInput,
        examples=[
            OpenApiExample(
                "decide_exit",
                summary=gettext_lazy("决定退出"),
                value={
                    "decision": "exit",
                    "date": "2025-12-20",
                    "reason": gettext_lazy("长期未开工，收回土地"),
                    "reclaimed_land_mu": "35.00",
                    "reclaimed_building_m2": "0",
                },
                request_only=True,
            ),
            OpenApiExample(
                "decide_keep",
                summary=gettext_lazy("决定保留"),
                value={
                    "decision": "keep",
                    "date": "2025-12-20",
                    "reason": gettext_lazy("资金已落实"),
                    "keep_until": "2026-03-31",
                },
                request_only=True,
            ),
        ],
        responses={200: ExitReviewSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request, pk=None):
        data = self.validated(DecideInput)
        review = exit_review_decide(review=self.get_object(), by=request.user, **data)
        return Response(ExitReviewSerializer(self.get_queryset().get(pk=review.pk)).data)

    @extend_schema(
        summary=gettext_lazy("补充审议意见"),
        description=gettext_lazy("在作出决定前录入一条意见（责任单位、行业主管部门或其他部门）。"),
        parameters=[ID],
        request=OpinionInput,
        responses={201: ExitReviewSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="opinions")
    def opinions(self, request, pk=None):
        data = self.validated(OpinionInput)
        review = self.get_object()
        exit_review_add_opinion(review=review, by=request.user, source=data["from"], text=data["text"])
        return Response(
            ExitReviewSerializer(self.get_queryset().get(pk=review.pk)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["退出审议"])
class ProjectExitReviewViewSet(ProjectChildViewSet):
    queryset = ExitReview.objects.none()
    location_name = "exit-review-detail"
    serializer_class = ExitReviewSerializer
    filterset_class = ExitReviewFilter
    default_ordering = ("opened_on", "id")

    @extend_schema(
        summary=gettext_lazy("项目的退出审议"),
        parameters=[PROJECT_ID],
        responses={200: ExitReviewSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_exit_reviews(request.user, self.get_project()))

    @extend_schema(
        summary=gettext_lazy("提请退出审议"),
        description=(
            gettext_lazy(
                "责任单位提请退出（exit）或申请保留（keep），或区管理人员发起审议；可同时录入各方意见。"
                "已达产或已终止的项目不能审议；同一项目同时只能有一项未决定的审议（400 duplicate）。"
            )
        ),
        parameters=[PROJECT_ID],
        request=ExitReviewInput,
        examples=[
            OpenApiExample(
                "propose_exit",
                summary=gettext_lazy("提请退出"),
                value={
                    "proposal": "exit",
                    "reason": gettext_lazy("签约后长期未开工"),
                    "opinions": [
                        {
                            "from": gettext_lazy("区经济信息委"),
                            "text": gettext_lazy("投资方资金未到位，建议退出。"),
                        }
                    ],
                },
                request_only=True,
            )
        ],
        responses={201: ExitReviewSerializer, **errors(*WRITE_ERRORS)},
    )
    def create(self, request, project_id=None):
        project = self.get_project()
        data = self.validated(ExitReviewInput)
        opinions = [{"from": item["from"], "text": item["text"]} for item in data.pop("opinions", [])]
        review = exit_review_open(project=project, by=request.user, opinions=opinions, **data)
        return Response(
            ExitReviewSerializer(exit_review_queryset(request.user).get(pk=review.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ScreeningRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("项目 id"))
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    district = serializers.CharField()
    industry_name = serializers.CharField()
    stage = serializers.CharField(help_text=gettext_lazy("月末阶段"))
    stage_since = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=list(KINDS),
        help_text=gettext_lazy(
            "negotiation_stalled（谈而未定）、not_started（定而未落）、production_late（逾期未投产）、not_at_capacity（投而未达）"
        ),
    )
    kind_label = serializers.CharField()
    months_stuck = serializers.IntegerField(
        help_text=gettext_lazy("已停滞的整月数（逾期未投产：超过计划投产日期的月数）")
    )
    planned_production_date = serializers.DateField(allow_null=True)
    total_investment = serializers.DecimalField(max_digits=18, decimal_places=2)
    land_area_mu = serializers.DecimalField(**AREA, allow_null=True)
    building_area_m2 = serializers.DecimalField(**AREA, allow_null=True)
    kept_until = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("经审议保留至（kept 中的项目）")
    )
    reviews = serializers.IntegerField(help_text=gettext_lazy("截至月末的退出审议次数"))
    latest_review = serializers.JSONField(
        allow_null=True,
        help_text=gettext_lazy(
            "截至月末最近一次审议：id、proposal、opened_on、decision、decided_on、keep_until、reclaimed_land_mu"
        ),
    )


class ScreeningSerializer(serializers.Serializer):
    month = serializers.CharField()
    as_of = serializers.DateField(help_text=gettext_lazy("筛查截止日：月末（当月为今天）"))
    underperform_months = serializers.IntegerField(
        help_text=gettext_lazy("投而未达的月数 N（UNDERPERFORM_MONTHS）")
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=gettext_lazy("名单中各类项目数")
    )
    results = ScreeningRowSerializer(many=True, help_text=gettext_lazy("筛查名单"))
    kept = ScreeningRowSerializer(
        many=True, help_text=gettext_lazy("经审议保留、保留期内不列入名单的项目（仍计入逾期）")
    )


class ScreeningView(ReportView):
    allowed_params = frozenset({"district", "unit", "park", "industry"})
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]  # no workbook of the screening

    @extend_schema(
        operation_id="screening_retrieve",
        summary=gettext_lazy("逾期项目筛查名单"),
        description=(
            gettext_lazy(
                "截至该月最后一天（当月为今天）的逾期项目：谈而未定、定而未落、逾期未投产，以及投产满 N 个月"
                "仍未达产（投而未达），附停滞月数和最近一次退出审"
                "议。经审议保留、尚在保留期内的项目列在 kept。"
            )
        ),
        tags=["退出审议"],
        parameters=[
            MONTH_PARAM,
            OpenApiParameter("district", str),
            OpenApiParameter("unit", str),
            OpenApiParameter("park", str),
            OpenApiParameter("industry", str, description=gettext_lazy("产业代码（含下级）")),
        ],
        responses={200: ScreeningSerializer, **errors(*LIST_ERRORS)},
    )
    def get(self, request, month: str):
        self.check_params()
        filters = {
            name: request.query_params.getlist(name)
            for name in self.allowed_params
            if name in request.query_params
        }
        return Response(ledger_json(screening(month, user=request.user, filters=filters)))
