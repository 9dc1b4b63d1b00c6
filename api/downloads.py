"""Downloads as operations of their own (binary responses), so that a generated client never
parses a workbook as JSON: the ledger and the statistics as Excel. They take the parameters of
their JSON operation; refusals are JSON. (The 专项报告 is api.monthend.ReportDocxView.)"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer

from api.report_shapes import (
    MONTH_PARAM,
    PROJECT_FILTER_PARAMS,
    STATS_PARAMS,
    VERSION_PARAM,
    XLSX_RESPONSE,
    json_errors,
)
from api.reports import LedgerView, StatsView, XlsxRenderer
from api.schema import LIST_ERRORS
from pipeline.exports import XLSX_CONTENT_TYPE


class XlsxDownload:
    renderer_classes = [XlsxRenderer, JSONRenderer]

    def wants_xlsx(self) -> bool:
        return True


class LedgerXlsxView(XlsxDownload, LedgerView):
    allowed_params = LedgerView.allowed_params - {"format"}

    @extend_schema(
        operation_id="ledger_xlsx",
        summary=gettext_lazy("月度台账（Excel）"),
        description=gettext_lazy(
            "与 GET /api/v1/ledgers/{month}/ 同一份台账（汇总 + 各栏目工作表），参数相同。"
        ),
        tags=["downloads"],
        parameters=[MONTH_PARAM, VERSION_PARAM, *PROJECT_FILTER_PARAMS],
        responses={(200, XLSX_CONTENT_TYPE): XLSX_RESPONSE, **json_errors(*LIST_ERRORS)},
    )
    def get(self, request, month: str):
        return super().get(request, month)


class StatsXlsxView(XlsxDownload, StatsView):
    allowed_params = StatsView.allowed_params - {"format"}

    @extend_schema(
        operation_id="stats_xlsx",
        summary=gettext_lazy("统计指标（Excel）"),
        description=gettext_lazy("与 GET /api/v1/stats/ 同样的指标和参数，作为 Excel 工作簿。"),
        tags=["downloads"],
        parameters=STATS_PARAMS,
        responses={(200, XLSX_CONTENT_TYPE): XLSX_RESPONSE, **json_errors(*LIST_ERRORS)},
    )
    def get(self, request):
        return super().get(request)
