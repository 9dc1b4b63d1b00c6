"""The ledger and statistics endpoints: thin views over pipeline.reports (the report path the
pages take too: one parser, the same figures, the same workbook) and monthend.publication. Their
documented shapes are api/report_shapes.py.

GET  /api/v1/ledgers/{YYYY-MM}/            the month's ledger (published version + corrections
                                            for a whole published district); ?format=xlsx
POST /api/v1/ledgers/{YYYY-MM}/publish/    a district manager freezes the month
GET  /api/v1/stats/                         the figures for ?from&to or ?year; ?group_by; ?format=xlsx
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import RolePermission
from api.report_shapes import (
    FORMAT_XLSX_DEPRECATED,
    MONTH_PARAM,
    PROJECT_FILTER_PARAMS,
    STATS_PARAMS,
    VERSION_PARAM,
    LedgerSerializer,
    PublicationSerializer,
    PublishInput,
    StatsSerializer,
    json_errors,
)
from api.schema import LIST_ERRORS, WRITE_ERRORS, errors
from core.errors import InvalidValue
from monthend.publication import month_publish
from monthend.selectors import with_publication_check
from pipeline.exports import XLSX_CONTENT_TYPE
from pipeline.filters import LedgerFilter, StatsFilter
from pipeline.ledger_json import ledger_json
from pipeline.reports import ledger_request, ledger_workbook, stats_request, stats_workbook
from projects.models import District


class XlsxRenderer(BaseRenderer):
    """`?format=xlsx`: the view hands over the workbook's bytes."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ReportView(APIView):
    permission_classes = [RolePermission]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]
    allowed_params: frozenset[str] = frozenset()

    def handle_exception(self, exc):
        # Errors are JSON even when a workbook was asked for.
        if getattr(self.request, "accepted_renderer", None) is not None and self.wants_xlsx():
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def wants_xlsx(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) == "xlsx"

    def check_params(self) -> None:
        params = self.request.query_params
        unknown = sorted(set(params) - self.allowed_params)
        if unknown:
            raise ValidationError(
                {name: [_("不支持的查询参数“%(name)s”。") % {"name": name[:64]}] for name in unknown},
                code="unknown_parameter",
            )
        for name, values in params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: [_("参数值含有非法字符。")]}, code="invalid_value")

    download_path: str = ""  # the download operation's path, below the JSON one's

    def xlsx(self, content: bytes, filename: str) -> HttpResponse:
        """The workbook as an attachment (the pages send theirs the same way)."""
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
        if "format" in self.request.query_params and self.download_path:
            query = self.request.GET.copy()
            del query["format"]
            successor = self.request.path.rstrip("/") + self.download_path
            if query:
                successor += "?" + query.urlencode()
            response["Deprecation"] = FORMAT_XLSX_DEPRECATED
            response["Link"] = f'<{successor}>; rel="alternate"; type="{XLSX_CONTENT_TYPE}"'
        return response


class LedgerView(ReportView):
    allowed_params = frozenset({*LedgerFilter.base_filters, "format", "version"})
    download_path = "/ledger.xlsx"

    @extend_schema(
        operation_id="ledger_retrieve",
        summary=gettext_lazy("月度台账"),
        description=(
            gettext_lazy(
                "某月末（含）各项目所处阶段，由有效阶段节点计算（作废节点不计），按栏目"
                "（在谈 / 拟签约 / 拟开工 / 拟投产 / 投产未达产）汇总，含当月变动和逐项目行。"
                "整区且该月已发布时返回已发布版本，并在 corrections 中列出发布后的更正。"
            )
        ),
        tags=["台账与统计"],
        parameters=[
            MONTH_PARAM,
            VERSION_PARAM,
            *PROJECT_FILTER_PARAMS,
        ],
        responses={(200, "application/json"): LedgerSerializer, **json_errors(*LIST_ERRORS)},
    )
    def get(self, request, month: str):
        self.check_params()
        data = ledger_request(month, request.query_params, user=request.user)
        with_publication_check(data)
        if self.wants_xlsx():
            return self.xlsx(*ledger_workbook(data, user=request.user))
        return Response(ledger_json(data))


class LedgerPublishView(ReportView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]  # publishing answers JSON only

    @extend_schema(
        operation_id="ledger_publish",
        summary=gettext_lazy("发布月度台账"),
        description=(
            gettext_lazy(
                "区招商投资局管理人员发布某月台账（冻结当时的台账）；再次发布生成新版本，旧版本保留，"
                "changes 列出较上一版的变化。发布前检查（preflight）有未完成事项时须带 confirm_gaps: true，"
                "否则 400 gaps_not_confirmed；缺项随发布记录。"
            )
        ),
        tags=["台账与统计"],
        parameters=[MONTH_PARAM],
        request=PublishInput,
        responses={201: PublicationSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request, month: str):
        serializer = PublishInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        district = serializer.validated_data.get("district")
        if district is None:
            district_id = getattr(request.user, "home_district_id", None)
            district = District.objects.filter(pk=district_id).first() if district_id else None
            if district is None:
                raise InvalidValue(_("请指定要发布的区县。"), field="district")
        publication = month_publish(
            district=district,
            month=month,
            by=request.user,
            note=serializer.validated_data.get("note", ""),
            confirm_gaps=serializer.validated_data["confirm_gaps"],
        )
        record = publication.ledger
        by = record.published_by
        return Response(
            ledger_json(
                {
                    "district": district.code,
                    "month": f"{record.month:%Y-%m}",
                    "version": record.version,
                    "published_at": timezone.localtime(record.published_at),
                    "published_by": (by.get_full_name() or by.username) if by else "",
                    "note": record.note,
                    "gaps": publication.gaps,
                    "changes": publication.changes,
                }
            ),
            status=status.HTTP_201_CREATED,
        )


class StatsView(ReportView):
    allowed_params = frozenset({*StatsFilter.base_filters, "format"})
    download_path = ".xlsx"

    @extend_schema(
        operation_id="stats_retrieve",
        summary=gettext_lazy("统计指标"),
        description=(
            gettext_lazy(
                "统计指标：签约、开工、投产、资金到位、高新技术企业签约、"
                "当期签约当期开工/投产及其比率、当期终止；期末存量：已终止、逾期（截至 to，"
                "to 晚于今天时截至今天）。group_by 时 results 为各组数据，各组之和等于总数"
                "（按月分组时不含 terminated_count、overdue_count 两项存量）。"
            )
        ),
        tags=["台账与统计"],
        parameters=STATS_PARAMS,
        responses={(200, "application/json"): StatsSerializer, **json_errors(*LIST_ERRORS)},
    )
    def get(self, request):
        self.check_params()
        report = stats_request(request.query_params, user=request.user, previous=self.wants_xlsx())
        if self.wants_xlsx():
            return self.xlsx(*stats_workbook(report, user=request.user, params=request.query_params))
        return Response(ledger_json(stats_json(report["result"])))


def stats_json(result: dict) -> dict:
    """Flat objects, as docs/api.md says: the figures and rates side by side."""
    body = {
        "from": result["from"],
        "to": result["to"],
        "group_by": result["group_by"],
        **result["figures"],
        **result["rates"],
    }
    if result.get("results") is not None:
        body["results"] = [
            {"group": entry["group"], "name": entry["name"], **entry["figures"], **entry["rates"]}
            for entry in result["results"]
        ]
    return body
