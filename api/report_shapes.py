"""The shapes of the ledger and statistics endpoints (api/reports.py) for the OpenAPI schema:
the serializers that document their responses and the publish input, and the query parameters
they take."""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api.filters import UPDATED_SINCE_PARAM
from api.schema import errors
from pipeline.filters import GROUP_CHOICES
from projects.models import District


def _money(help_text: str, **options):
    return serializers.DecimalField(max_digits=18, decimal_places=2, help_text=help_text, **options)


def _section_sum(help_text: str):
    # Versions published before the sections had totals of their own carry only the investment.
    return _money(
        format_lazy(gettext_lazy("{text}（此前发布的版本无此项。）"), text=help_text), required=False
    )


# The amounts a ledger section's totals row carries (projects.lifecycle.LEDGER_TOTAL_FIELDS).
class SectionSumsSerializer(serializers.Serializer):
    total_investment = _money(gettext_lazy("总投资（万元）"))
    contract_investment = _section_sum(gettext_lazy("月末已签约项目的合同投资额之和（万元）。"))
    month_funds_in_place = _section_sum(gettext_lazy("当月资金到位之和（万元）。"))
    month_investment_completed = _section_sum(gettext_lazy("当月完成投资之和（万元）。"))
    funds_in_place_total = _section_sum(gettext_lazy("截至当月累计资金到位之和（万元）。"))


class ColumnSummarySerializer(SectionSumsSerializer):
    label = serializers.CharField(help_text=gettext_lazy("台账栏目名称，如“拟开工”。"))
    count = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text=gettext_lazy("其中逾期项目数。"))


class TotalsSerializer(SectionSumsSerializer):
    count = serializers.IntegerField(help_text=gettext_lazy("各栏目项目数之和。"))
    overdue = serializers.IntegerField(help_text=gettext_lazy("其中逾期项目数。"))


# The keys of pipeline.ledger._row(), one for one (tests/api/test_schema.py holds them alike).
class LedgerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("项目 id"))
    code = serializers.CharField(help_text=gettext_lazy("项目编号"))
    name = serializers.CharField(help_text=gettext_lazy("项目名称"))
    stage = serializers.CharField(help_text=gettext_lazy("月末所处阶段（即台账栏目）。"))
    stage_since = serializers.DateField(help_text=gettext_lazy("进入该阶段的日期。"))
    months_in_stage = serializers.IntegerField(help_text=gettext_lazy("截至月末在该阶段已满的整月数。"))
    is_overdue = serializers.BooleanField(help_text=gettext_lazy("月末是否逾期。"))
    district = serializers.CharField(help_text=gettext_lazy("区县代码"))
    district_name = serializers.CharField(help_text=gettext_lazy("区县名称"))
    unit = serializers.CharField(help_text=gettext_lazy("责任单位代码"))
    unit_name = serializers.CharField(help_text=gettext_lazy("责任单位名称"))
    park = serializers.CharField(allow_null=True, help_text=gettext_lazy("园区代码（无园区为 null）"))
    park_name = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("园区名称（无园区为空字符串）")
    )
    industry = serializers.CharField(help_text=gettext_lazy("产业代码"))
    industry_name = serializers.CharField(help_text=gettext_lazy("产业名称"))
    investor_name = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("投资主体名称（未填为空字符串）")
    )
    is_high_tech = serializers.BooleanField(help_text=gettext_lazy("投资主体是否为高新技术企业。"))
    lead_official = serializers.CharField(allow_blank=True, help_text=gettext_lazy("牵头领导"))
    total_investment = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text=gettext_lazy("总投资（万元）")
    )
    contract_investment = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text=gettext_lazy("合同投资额（万元）；月末尚未签约为 null。"),
    )
    signed_on = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("签约日期；月末尚未签约为 null。")
    )
    started_on = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("开工日期；月末尚未开工为 null。")
    )
    planned_production_date = serializers.DateField(allow_null=True, help_text=gettext_lazy("计划投产日期"))
    month_funds_in_place = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text=gettext_lazy("当月资金到位（万元）；未填报为 0.00。")
    )
    month_investment_completed = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text=gettext_lazy("当月完成投资（万元）；未填报为 0.00。")
    )
    progress = serializers.CharField(allow_blank=True, help_text=gettext_lazy("当月进展情况"))
    problems = serializers.CharField(allow_blank=True, help_text=gettext_lazy("当月存在问题"))
    funds_in_place_total = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text=gettext_lazy("截至当月累计资金到位（万元）。")
    )


class MovementItemSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    code = serializers.CharField(help_text=gettext_lazy("项目编号"))
    name = serializers.CharField(help_text=gettext_lazy("项目名称"))
    unit_name = serializers.CharField(help_text=gettext_lazy("责任单位名称"))
    from_stage = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("节点之前的阶段（首个在谈节点为空字符串）。")
    )
    stage = serializers.CharField(help_text=gettext_lazy("节点阶段"))
    date = serializers.DateField()
    contract_investment = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        allow_null=True,
        help_text=gettext_lazy("签约节点的合同投资额（万元），其他为 null。"),
    )


class MovementsSerializer(serializers.Serializer):
    new = serializers.IntegerField(help_text=gettext_lazy("当月新增在谈项目。"))
    advanced = serializers.IntegerField(help_text=gettext_lazy("当月审定、签约、开工、投产的项目。"))
    reached_capacity = serializers.IntegerField()
    terminated = serializers.IntegerField()
    by_stage = serializers.DictField(child=serializers.IntegerField())
    items = MovementItemSerializer(many=True, help_text=gettext_lazy("当月每个阶段节点（日期顺序）。"))


class PublishedSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField()
    note = serializers.CharField()
    versions = serializers.ListField(child=serializers.IntegerField())
    gaps = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy("发布时确认带着的未完成事项数（未填报进展 + 未审议逾期项目）。"),
    )
    preflight = serializers.JSONField(
        allow_null=True, help_text=gettext_lazy("发布时的发布前检查（各单位缺项）。")
    )


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=gettext_lazy("行字段名，如 stage、funds_in_place_total。"))
    label = serializers.CharField()
    published = serializers.JSONField(allow_null=True, help_text=gettext_lazy("发布时的值。"))
    current = serializers.JSONField(allow_null=True, help_text=gettext_lazy("现在重算的值。"))


class ChangedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("项目 id"))
    code = serializers.CharField()
    name = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class ColumnFiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total_investment = serializers.DecimalField(max_digits=18, decimal_places=2)


class SummaryChangeSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text=gettext_lazy("栏目阶段代码"))
    label = serializers.CharField()
    published = ColumnFiguresSerializer()
    current = ColumnFiguresSerializer()


class CorrectionsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=gettext_lazy("新增、移出和有变化的行数之和。"))
    added = LedgerRowSerializer(many=True, help_text=gettext_lazy("发布后才进入台账的行。"))
    removed = LedgerRowSerializer(many=True, help_text=gettext_lazy("已发布但现在不在台账中的行。"))
    changed = ChangedRowSerializer(many=True, help_text=gettext_lazy("逐字段列出的变化。"))
    summary = SummaryChangeSerializer(many=True, help_text=gettext_lazy("项目数或总投资有变化的栏目。"))


class DistrictRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LedgerSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    as_of = serializers.DateField(
        help_text=gettext_lazy(
            "台账截止日：该月最后一天（当月为今天）；各项目按此日之前（含）的有效节点确定阶段。"
        )
    )
    district = DistrictRefSerializer(
        allow_null=True, help_text=gettext_lazy("所涉区县（整区台账时），否则为 null。")
    )
    published = PublishedSerializer(
        allow_null=True, help_text=gettext_lazy("已发布时为发布信息，否则为 null。")
    )
    corrections = CorrectionsSerializer(
        allow_null=True, help_text=gettext_lazy("发布后的更正（读取已发布版本时），否则为 null。")
    )
    summary = serializers.DictField(
        child=ColumnSummarySerializer(), help_text=gettext_lazy("按栏目阶段代码。")
    )
    totals = TotalsSerializer(help_text=gettext_lazy("五个栏目合计。"))
    movements = MovementsSerializer()
    rows = LedgerRowSerializer(many=True)
    can_publish = serializers.BooleanField()


class PublishInput(serializers.Serializer):
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        required=False,
        help_text=gettext_lazy("区县代码；缺省为当前用户所属区县。"),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    confirm_gaps = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("发布前检查有未完成事项时须为 true（缺项随台账一并记录）。"),
    )

    def to_internal_value(self, data):
        if isinstance(data, dict):
            extra = sorted(set(data) - set(self.fields))
            if extra:
                raise ValidationError(
                    {name: [_("不支持的字段“%(name)s”。") % {"name": str(name)[:64]}] for name in extra},
                    code="unknown_field",
                )
        return super().to_internal_value(data)


class PublicationSerializer(serializers.Serializer):
    district = serializers.CharField()
    month = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField()
    note = serializers.CharField()
    gaps = serializers.IntegerField(
        help_text=gettext_lazy("发布时确认带着的未完成事项数（未填报进展 + 未审议逾期项目）。")
    )
    changes = serializers.JSONField(
        allow_null=True, help_text=gettext_lazy("较上一版的变化（首次发布为 null）。")
    )


# Stocks as of `to`: pipeline.stats does not split them by month, so with group_by=month they
# are null (in each group and in the total).
MONTH_NULL_FIGURES = ("terminated_count", "overdue_count")


def _figures_serializer(name: str, *, grouped: bool = False):
    from pipeline.stats import DECIMAL_FIGURES, FIGURES, RATES

    fields = {}
    for figure, label in FIGURES.items():
        if figure in DECIMAL_FIGURES:
            fields[figure] = serializers.DecimalField(max_digits=18, decimal_places=2, help_text=label)
        elif figure in MONTH_NULL_FIGURES:
            fields[figure] = serializers.IntegerField(
                help_text=format_lazy(gettext_lazy("{label}；group_by=month 时为 null。"), label=label),
                allow_null=True,
            )
        else:
            fields[figure] = serializers.IntegerField(help_text=label)
    for rate, (_num, _den, label) in RATES.items():
        fields[rate] = serializers.DecimalField(
            max_digits=7,
            decimal_places=2,
            allow_null=True,
            help_text=format_lazy(gettext_lazy("{label}（%）；分母为 0 时为 null。"), label=label),
        )
    if grouped:
        fields["group"] = serializers.CharField(help_text=gettext_lazy("分组代码，或 YYYY-MM。"))
        fields["name"] = serializers.CharField()
    return type(name, (serializers.Serializer,), fields)


StatsGroupSerializer = _figures_serializer("StatsGroup", grouped=True)


StatsSerializer = type(
    "Stats",
    (_figures_serializer("StatsFigures"),),
    {
        "from": serializers.DateField(help_text=gettext_lazy("起始日（含）。")),
        "to": serializers.DateField(help_text=gettext_lazy("截止日（含）。")),
        "group_by": serializers.ChoiceField(
            choices=GROUP_CHOICES, allow_null=True, help_text=gettext_lazy("分组方式；未分组为 null。")
        ),
        "results": StatsGroupSerializer(
            many=True, required=False, help_text=gettext_lazy("分组统计时返回。")
        ),
    },
)


PROJECT_FILTER_PARAMS = [
    OpenApiParameter("stage", str, many=True, description=gettext_lazy("月末阶段（台账栏目），可重复。")),
    OpenApiParameter("district", str, description=gettext_lazy("区县代码。")),
    OpenApiParameter("unit", str, description=gettext_lazy("责任单位代码。")),
    OpenApiParameter("park", str, description=gettext_lazy("园区代码。")),
    OpenApiParameter("industry", str, description=gettext_lazy("产业代码（含下级）。")),
    OpenApiParameter("source", str, description=gettext_lazy("招引渠道。")),
    OpenApiParameter("is_overdue", bool, description=gettext_lazy("月末是否逾期。")),
    OpenApiParameter("investor", int, description=gettext_lazy("投资主体 id。")),
    OpenApiParameter("is_high_tech", bool, description=gettext_lazy("高新技术企业。")),
    OpenApiParameter(
        "min_investment", OpenApiTypes.DECIMAL, description=gettext_lazy("总投资不低于（万元）。")
    ),
    OpenApiParameter(
        "max_investment", OpenApiTypes.DECIMAL, description=gettext_lazy("总投资不高于（万元）。")
    ),
    OpenApiParameter("signed_from", OpenApiTypes.DATE),
    OpenApiParameter("signed_to", OpenApiTypes.DATE),
    OpenApiParameter("started_from", OpenApiTypes.DATE),
    OpenApiParameter("started_to", OpenApiTypes.DATE),
    UPDATED_SINCE_PARAM,
    OpenApiParameter("search", str, description=gettext_lazy("名称、编号、投资主体。")),
]
VERSION_PARAM = OpenApiParameter("version", int, description=gettext_lazy("读取指定的已发布版本。"))
XLSX_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.BINARY, description=gettext_lazy("Excel 文件（.xlsx）。")
)
# `?format=xlsx` on the JSON operations still answers the workbook, marked deprecated in favour of
# the download operations (docs/api.md, versioning); within v1 it is not removed.
FORMAT_XLSX_DEPRECATED = "@1796342400"  # 2026-12-04, RFC 9745 structured date
MONTH_PARAM = OpenApiParameter(
    "month", str, OpenApiParameter.PATH, description="YYYY-MM", pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$"
)


STATS_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description=gettext_lazy("起始日（含）。")),
    OpenApiParameter("to", OpenApiTypes.DATE, description=gettext_lazy("截止日（含）。")),
    OpenApiParameter("year", int, description=gettext_lazy("整年，代替 from/to。")),
    OpenApiParameter("group_by", str, enum=list(GROUP_CHOICES)),
    OpenApiParameter("district", str),
    OpenApiParameter("unit", str),
    OpenApiParameter("park", str),
    OpenApiParameter("industry", str, description=gettext_lazy("产业代码（含下级）。")),
    OpenApiParameter("source", str),
    OpenApiParameter("investor", int),
    OpenApiParameter("is_high_tech", bool),
]


def json_errors(*statuses: int) -> dict:
    """Refusals are JSON even when a workbook was asked for (ReportView.handle_exception)."""
    return {(status, "application/json"): response for status, response in errors(*statuses).items()}
