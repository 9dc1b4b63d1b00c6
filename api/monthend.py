"""The month end over the API: thin views over monthend.

GET  /api/v1/ledgers/{YYYY-MM}/preflight/      the pre-flight of a month's publication
GET  /api/v1/ledgers/{YYYY-MM}/report.docx     the 专项报告 (the published version's, unchanged)
GET, PUT /api/v1/targets/{YYYY}/               annual targets per unit and for the district
GET  /api/v1/scorecards/                       the units' scorecard (?from&to or ?year)
GET, PUT /api/v1/scorecards/weights/           the district's scorecard weights
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from api.base import InputSerializer
from api.reports import MONTH_PARAM, ReportView, json_errors
from api.schema import LIST_ERRORS, WRITE_ERRORS, errors
from core.dates import local_today, month_start
from core.errors import InvalidValue
from monthend.access import district_for, whole_district_for
from monthend.preflight import preflight
from monthend.report.files import report_file
from monthend.scorecard import current_weights, scorecard_for, visible_rows, weights_set
from monthend.targets import check_year, targets_of, targets_set
from pipeline.filters import as_month, report_period
from pipeline.ledger_json import ledger_json

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DISTRICT_PARAM = OpenApiParameter(
    "district", str, description=gettext_lazy("区县代码；缺省为当前用户所属区县。")
)


class DocxRenderer(BaseRenderer):
    media_type = DOCX_CONTENT_TYPE
    format = "docx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PreflightView(ReportView):
    allowed_params = frozenset({"district"})
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="ledger_preflight",
        summary=gettext_lazy("发布前检查"),
        description=(
            gettext_lazy(
                "发布某月台账前：各责任单位应填报与已填报月度进展的项目数（及未填报项目）、无退出审议的逾期项目、"
                "月末之后（或上次发布之后）补录或作废、改变该月台账的节点。gaps 为未填报与未审议项目数之和，"
                "大于 0 时发布须带 confirm_gaps: true。"
            )
        ),
        tags=["台账与统计"],
        parameters=[MONTH_PARAM, DISTRICT_PARAM],
        responses={200: OpenApiTypes.OBJECT, **errors(*LIST_ERRORS)},
    )
    def get(self, request, month: str):
        self.check_params()
        district = whole_district_for(request.user, request.query_params.get("district"))
        return Response(ledger_json(preflight(district=district, month=as_month(month))))


class ReportDocxView(ReportView):
    allowed_params = frozenset({"district", "version"})
    renderer_classes = [DocxRenderer, JSONRenderer]

    def handle_exception(self, exc):
        if getattr(self.request, "accepted_renderer", None) is not None:
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="ledger_report_docx",
        summary=gettext_lazy("月度专项报告（Word）"),
        description=(
            gettext_lazy(
                "由该月台账生成的专项报告（.docx）：已发布的月份用发布时冻结的内容，每次下载完全相同；"
                "未发布的月份为当前草稿。须能查看全区项目。"
            )
        ),
        tags=["downloads"],
        parameters=[
            MONTH_PARAM,
            DISTRICT_PARAM,
            OpenApiParameter("version", int, description=gettext_lazy("已发布的版本号")),
        ],
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("专项报告 .docx")
            ),
            **json_errors(*LIST_ERRORS, 404),
        },
    )
    def get(self, request, month: str):
        self.check_params()
        version = request.query_params.get("version")
        if version is not None and not version.isdigit():
            raise InvalidValue(_("版本号应为正整数。"), field="version")
        district = whole_district_for(request.user, request.query_params.get("district"))
        first = as_month(month)
        if first > month_start(local_today()):
            raise InvalidValue(
                _("%(month)s 尚未开始，没有专项报告。") % {"month": f"{first:%Y-%m}"}, field="month"
            )
        content, filename = report_file(
            district=district, month=first, version=int(version) if version else None
        )
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
        return response


def _count(help_text):
    return serializers.IntegerField(min_value=0, required=False, allow_null=True, help_text=help_text)


def _amount(help_text):
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, help_text=help_text
    )


class TargetRowInput(InputSerializer):
    """One unit's (or the district's) targets; a figure left out or null has no target."""

    unit = serializers.CharField(required=False, help_text=gettext_lazy("责任单位代码（total 中不填）"))
    name = serializers.CharField(required=False, help_text=gettext_lazy("单位名称（只读，忽略）"))
    signed_count = _count(gettext_lazy("新签约项目（个）"))
    contract_investment = _amount(gettext_lazy("签约合同投资额（万元）"))
    started_count = _count(gettext_lazy("新开工项目（个）"))
    funds_in_place = _amount(gettext_lazy("资金到位额（万元）"))
    high_tech_signed_count = _count(gettext_lazy("高新技术企业签约项目（个）"))
    advanced_signed_count = _count(gettext_lazy("先进制造签约项目（个）"))
    advanced_contract_investment = _amount(gettext_lazy("先进制造签约合同投资额（万元）"))


class TargetRowSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text=gettext_lazy("责任单位代码（total 中没有）"))
    name = serializers.CharField(required=False)
    signed_count = serializers.IntegerField(allow_null=True)
    contract_investment = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    started_count = serializers.IntegerField(allow_null=True)
    funds_in_place = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    high_tech_signed_count = serializers.IntegerField(allow_null=True)
    advanced_signed_count = serializers.IntegerField(allow_null=True)
    advanced_contract_investment = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class TargetChangeSerializer(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class TargetsSerializer(serializers.Serializer):
    district = serializers.CharField()
    year = serializers.IntegerField()
    advanced_industry = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("计为先进制造的产业代码（含下级）")
    )
    units = TargetRowSerializer(
        many=True, help_text=gettext_lazy("本区每个责任单位一行；未设定的目标为 null")
    )
    total = TargetRowSerializer(help_text=gettext_lazy("全区目标"))
    history = TargetChangeSerializer(many=True, help_text=gettext_lazy("每次设定：时间、设定人、理由"))


class ScorecardTotalSerializer(serializers.Serializer):
    unit = serializers.CharField()
    name = serializers.CharField()
    figures = serializers.DictField(
        help_text=(
            gettext_lazy(
                "与统计同一口径的指标，另有 progress_owed、progress_on_time(_rate)；督办：task_due_count、"
                "task_closed_on_time_count、task_on_time_rate（按期办结率）、letter_count、"
                "letter_replied_on_time_count、letter_on_time_rate"
                "（与 /stats/tasks/ 同一口径，无到期为 null）"
            )
        )
    )
    targets = serializers.DictField(help_text=gettext_lazy("年度目标（未设为 null）"))
    completion = serializers.DictField(help_text=gettext_lazy("完成率（%，两位小数）；无目标为 null"))


class ScorecardRowSerializer(ScorecardTotalSerializer):
    """A unit's row: the total's fields with its score and rank (the total has neither)."""

    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


# "from" is a Python keyword: the class is built with type(), as the statistics' is.
ScorecardSerializer = type(
    "Scorecard",
    (serializers.Serializer,),
    {
        "district": serializers.CharField(),
        "from": serializers.DateField(help_text=gettext_lazy("起始日（含）")),
        "to": serializers.DateField(help_text=gettext_lazy("截止日（含）")),
        "year": serializers.IntegerField(),
        "time_progress": serializers.DecimalField(
            max_digits=6, decimal_places=2, help_text=gettext_lazy("序时进度（%）")
        ),
        "weights": serializers.DictField(
            help_text=gettext_lazy("考核项 → 权重；overdue_penalty 为每个逾期项目的扣分")
        ),
        "results": ScorecardRowSerializer(many=True),
        "total": ScorecardTotalSerializer(help_text=gettext_lazy("全区合计与全区目标")),
        "stored_at": serializers.DateTimeField(
            allow_null=True, help_text=gettext_lazy("随月度发布保存的时间；现算为 null")
        ),
    },
)


class TargetsInput(InputSerializer):
    units = TargetRowInput(many=True, help_text=gettext_lazy("各责任单位的目标；未列出的单位没有目标"))
    total = TargetRowInput(required=False, help_text=gettext_lazy("全区目标"))
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("调整理由（调整已设定的目标时必填）")
    )
    advanced_industry = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=gettext_lazy("计为先进制造的产业代码（含下级）"),
    )


class TargetsView(ReportView):
    allowed_params = frozenset({"district"})
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="targets_retrieve",
        summary=gettext_lazy("年度目标任务"),
        description=(
            gettext_lazy(
                "各责任单位和全区的年度目标：签约项目数、合同投资额、开工项目数、资金到位额"
                "（及高新、先进制造子项）；未设定为 null。"
            )
        ),
        tags=["考核"],
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH), DISTRICT_PARAM],
        responses={200: TargetsSerializer, **errors(*LIST_ERRORS)},
    )
    def get(self, request, year: str):
        self.check_params()
        district = district_for(request.user, request.query_params.get("district"))
        return Response(ledger_json(targets_of(district, check_year(year))))

    @extend_schema(
        operation_id="targets_update",
        summary=gettext_lazy("设定年度目标任务"),
        description=(
            gettext_lazy(
                "区招商投资局管理人员整体设定某年目标；调整已设定的目标须填 reason（每次设定都留有记录）。"
            )
        ),
        tags=["考核"],
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH), DISTRICT_PARAM],
        request=TargetsInput,
        examples=[
            OpenApiExample(
                "set_targets_2026",
                summary=gettext_lazy("设定2026年目标"),
                value={
                    "units": [
                        {
                            "unit": "jlp-econ",
                            "signed_count": 30,
                            "contract_investment": "600000.00",
                            "started_count": 20,
                            "funds_in_place": "150000.00",
                        }
                    ],
                    "total": {
                        "signed_count": 226,
                        "contract_investment": "4578000.00",
                        "started_count": 150,
                        "funds_in_place": "1068900.00",
                    },
                },
                request_only=True,
            )
        ],
        responses={200: TargetsSerializer, **errors(*WRITE_ERRORS)},
    )
    def put(self, request, year: str):
        self.check_params()
        district = district_for(request.user, request.query_params.get("district"))
        serializer = TargetsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        targets_set(
            district=district,
            year=check_year(year),
            by=request.user,
            units=[dict(row) for row in data["units"]],
            total=dict(data.get("total") or {}),
            reason=data.get("reason", ""),
            advanced_industry=data.get("advanced_industry") or None,
        )
        return Response(ledger_json(targets_of(district, check_year(year))))


class ScorecardView(ReportView):
    allowed_params = frozenset({"district", "from", "to", "year"})
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="scorecards_retrieve",
        summary=gettext_lazy("责任单位考核"),
        description=(
            gettext_lazy(
                "某区某期间（同一年度内）每个责任单位一行：签约、合同投资、开工、投产、资金到位等指标（与统计同一口径），"
                "各自的年度目标、完成率（无目标为 null）、序时进度 time_progress、进展按时填报率、"
                "期末逾期项目数、"
                "按权重计算的得分与排名。该期间已随月度发布保存过的考核返回保存时的结果（stored_at 非空）。"
            )
        ),
        tags=["考核"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter("year", int),
            DISTRICT_PARAM,
        ],
        responses={200: ScorecardSerializer, **errors(*LIST_ERRORS)},
    )
    def get(self, request):
        self.check_params()
        date_from, date_to, _group_by = report_period(request.query_params)
        district = district_for(request.user, request.query_params.get("district"))
        data = scorecard_for(district=district, date_from=date_from, date_to=date_to)
        return Response(ledger_json(visible_rows(data, request.user)))


class WeightsInput(InputSerializer):
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))


class WeightsView(ReportView):
    allowed_params = frozenset({"district"})
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="scorecard_weights_retrieve",
        summary=gettext_lazy("考核权重"),
        tags=["考核"],
        parameters=[DISTRICT_PARAM],
        responses={200: OpenApiTypes.OBJECT, **errors(*LIST_ERRORS)},
    )
    def get(self, request):
        self.check_params()
        district = district_for(request.user, request.query_params.get("district"))
        return Response({"district": district.code, "weights": current_weights(district)})

    @extend_schema(
        operation_id="scorecard_weights_update",
        summary=gettext_lazy("设定考核权重"),
        description=(
            gettext_lazy(
                "区管理人员设定本区各考核项的权重（0–100）与每个逾期项目的扣分 overdue_penalty；"
                "已保存的考核不受影响。"
            )
        ),
        tags=["考核"],
        parameters=[DISTRICT_PARAM],
        request=WeightsInput,
        responses={200: OpenApiTypes.OBJECT, **errors(*WRITE_ERRORS)},
    )
    def put(self, request):
        self.check_params()
        district = district_for(request.user, request.query_params.get("district"))
        serializer = WeightsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = weights_set(district=district, by=request.user, weights=serializer.validated_data["weights"])
        return Response({"district": district.code, "weights": saved.weights})
