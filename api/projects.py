"""Projects: list with the shared project filters (projects.filters), detail, create and edit
(never delete: a project leaves the pool by termination). The project's `version` travels as
its ETag."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.concurrency import ETAG_HEADER, IF_MATCH, IF_NONE_MATCH, etag, expected_version, not_modified
from api.fields import IdField
from api.filters import UPDATED_SINCE_PARAM
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from core.dates import local_today
from pipeline.intake import project_create
from pipeline.selectors import project_with_totals
from projects import lifecycle
from projects.filters import ProjectFilter
from projects.models import PROJECT_DERIVED, PROJECT_FACTS, Industry, Investor, Park, Project, Unit
from projects.services import project_update

# Reference facts travel as codes, each beside its name.
NAMED = {"unit": "unit_name", "industry": "industry_name", "investor": "investor_name"}
READ_ONLY_FIELDS = (
    "id",
    "code",
    "district",
    "months_in_stage",
    "is_overdue",
    *PROJECT_DERIVED,
    "funds_in_place_total",
    "version",
    "created_at",
    "updated_at",
)
OUTPUT_FIELDS = [
    "id",
    "code",
    "district",
    "district_name",
    *(name for fact in PROJECT_FACTS for name in (fact, NAMED.get(fact)) if name),
    "months_in_stage",
    "is_overdue",
    *PROJECT_DERIVED,
    "funds_in_place_total",
    "version",
    "created_at",
    "updated_at",
]


class ProjectSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=gettext_lazy("区县代码")
    )
    district_name = serializers.CharField(
        source="district.name", read_only=True, help_text=gettext_lazy("区县名称")
    )
    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=gettext_lazy("责任单位代码")
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, help_text=gettext_lazy("责任单位名称")
    )
    park = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=gettext_lazy("园区代码")
    )
    industry = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=gettext_lazy("产业代码")
    )
    industry_name = serializers.CharField(
        source="industry.name", read_only=True, help_text=gettext_lazy("产业名称")
    )
    investor = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=gettext_lazy("投资主体 id")
    )
    investor_name = serializers.CharField(
        source="investor.name", read_only=True, allow_null=True, help_text=gettext_lazy("投资主体名称")
    )
    months_in_stage = serializers.SerializerMethodField(
        help_text=gettext_lazy("在本阶段已满的整月数（截至今天）")
    )
    is_overdue = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("是否逾期（谈而未定、定而未落超过 N 个月，或已过计划投产日期仍未投产）"),
    )
    funds_in_place_total = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text=gettext_lazy("累计资金到位额（万元）")
    )

    class Meta:
        model = Project
        fields = OUTPUT_FIELDS

    @extend_schema_field(OpenApiTypes.INT)
    def get_months_in_stage(self, project) -> int:
        today = self.context.get("today") or local_today()
        return lifecycle.months_in_stage(project.stage_since, today)

    def to_representation(self, project):
        """The declared fields, written out by hand: a list page is 50 rows × 40 fields and
        DRF's field-by-field path was most of its time. The declared fields stay the schema;
        a test pins this output to what they produce."""
        tz = timezone.get_current_timezone()
        district, unit, park, industry, investor = (
            project.district,
            project.unit,
            project.park,
            project.industry,
            project.investor,
        )
        return {
            "id": project.id,
            "code": project.code,
            "name": project.name,
            "district": district.code,
            "district_name": district.name,
            "unit": unit.code,
            "unit_name": unit.name,
            "park": park.code if park else None,
            "industry": industry.code,
            "industry_name": industry.name,
            "investor": project.investor_id,
            "investor_name": investor.name if investor else None,
            "source": project.source,
            "lead_official": project.lead_official,
            "task_force": project.task_force,
            "total_investment": _amount(project.total_investment),
            "expected_output": _amount(project.expected_output),
            "land_area_mu": _amount(project.land_area_mu),
            "building_area_m2": _amount(project.building_area_m2),
            "planned_sign_date": _day(project.planned_sign_date),
            "planned_start_date": _day(project.planned_start_date),
            "planned_production_date": _day(project.planned_production_date),
            "description": project.description,
            "stage": project.stage,
            "stage_since": _day(project.stage_since),
            "months_in_stage": self.get_months_in_stage(project),
            "is_overdue": bool(project.is_overdue),
            "negotiation_started_on": _day(project.negotiation_started_on),
            "approved_on": _day(project.approved_on),
            "signed_on": _day(project.signed_on),
            "started_on": _day(project.started_on),
            "producing_on": _day(project.producing_on),
            "at_capacity_on": _day(project.at_capacity_on),
            "terminated_on": _day(project.terminated_on),
            "contract_investment": _amount(project.contract_investment),
            "funds_in_place_total": _amount(project.funds_in_place_total),
            "version": project.version,
            "created_at": _moment(project.created_at, tz),
            "updated_at": _moment(project.updated_at, tz),
        }


def _amount(value):
    return None if value is None else f"{value:.2f}"


def _moment(value, tz):
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text  # as DRF writes UTC


def _day(value):
    return None if value is None else value.isoformat()


class ProjectInput(InputSerializer, serializers.ModelSerializer):
    """The writable facts of a project. Codes name reference records; the investor is an id."""

    # The facts are projects.models.PROJECT_FACTS, shaped as the model declares them.

    read_only_names = READ_ONLY_FIELDS

    investor = IdField(
        queryset=Investor.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("投资主体 id"),
    )
    industry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Industry.objects.all(),
        help_text=gettext_lazy("产业代码（见 /api/v1/industries/）"),
    )
    park = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Park.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("园区代码，须与项目同一区县"),
    )
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.select_related("district"),
        help_text=gettext_lazy("责任单位代码；项目属于该单位所在区县，不能移交到其他区县"),
    )

    class Meta:
        model = Project
        fields = PROJECT_FACTS
        # The API documents each fact by its name in the model (总投资（万元）…).
        extra_kwargs = {
            name: {"help_text": Project._meta.get_field(name).verbose_name} for name in PROJECT_FACTS
        }


class ProjectCreateInput(ProjectInput):
    read_only_names = tuple(name for name in READ_ONLY_FIELDS if name != "negotiation_started_on")

    negotiation_started_on = serializers.DateField(
        required=False,
        help_text=gettext_lazy("开始洽谈日期（第一个“在谈”节点的日期），不填为今天；不能晚于今天"),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("第一个“在谈”节点的备注")
    )

    class Meta(ProjectInput.Meta):
        fields = (*PROJECT_FACTS, "negotiation_started_on", "note")


ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("项目 id"))


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("项目列表"),
        description=(
            gettext_lazy(
                "当前用户可见的项目（单位工作人员：本单位；区管理人员和系统账号：本区；市级用户：全部）。"
                "默认按 id 升序，翻页稳定；增量同步请用 updated_since 并保持默认排序。"
                "未知参数、不存在的代码返回 400 并指明参数。"
            )
        ),
        # ProjectFilter's own label for it says "晚于" (after); the filter is `>=`.
        parameters=[UPDATED_SINCE_PARAM],
        responses={200: ProjectSerializer, **paged_list_errors()},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("项目详情"),
        description=gettext_lazy("响应头 ETag 为项目版本号（version）。"),
        parameters=[ID, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: ProjectSerializer, 304: None, **errors(*DETAIL_ERRORS)},
    ),
    create=extend_schema(
        summary=gettext_lazy("新建项目"),
        description=(
            gettext_lazy(
                "在责任单位所在区县新建“在谈”项目，自动生成项目编号（如"
                " JLP-2025-0001）并登记第一个“在谈”节点。"
                "单位工作人员只能为本单位新建，管理人员只能在本区新建。"
            )
        ),
        request=ProjectCreateInput,
        parameters=[ETAG_HEADER],
        responses={201: ProjectSerializer, **errors(*WRITE_ERRORS)},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("修改项目"),
        description=(
            gettext_lazy(
                "只修改提交的字段；阶段和节点日期由节点决定，不能在此修改。"
                "带 If-Match 时，项目已被他人修改则返回 412（conflict）。"
            )
        ),
        request=ProjectInput(partial=True),
        parameters=[ID, IF_MATCH, ETAG_HEADER],
        responses={200: ProjectSerializer, **errors(*WRITE_ERRORS, 412)},
    ),
)
@extend_schema(tags=["项目"])
class ProjectViewSet(ApiViewSet):
    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = {
        "id": "id",
        "code": "code",
        "name": "name",
        "stage": "stage",
        "stage_since": "stage_since",
        "total_investment": "total_investment",
        "contract_investment": "contract_investment",
        "signed_on": "signed_on",
        "started_on": "started_on",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("项目不存在或不在您的查看范围内。")

    def get_queryset(self):
        return project_with_totals(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": local_today()}

    def list(self, request):
        return self.list_response(self.get_queryset())

    def retrieve(self, request, pk=None):
        project = self.get_object()
        if not_modified(request, project):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(project)})
        return self._respond(project)

    def create(self, request):
        created = project_create(by=request.user, **self.validated(ProjectCreateInput))
        return self._respond(self.get_queryset().get(pk=created.pk), status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        project = self.get_object()
        fields = self.validated(ProjectInput, partial=True)
        project_update(project=project, by=request.user, expected_version=expected_version(request), **fields)
        return self._respond(self.get_queryset().get(pk=project.pk))

    def _respond(self, project, status_code=status.HTTP_200_OK):
        data = ProjectSerializer(project, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": etag(project)})
