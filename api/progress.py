"""Monthly progress (进度跟踪台账) over the API: a project's months, one month, filing or
replacing a month; and every visible record for incremental pulls."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.children import PROJECT_ID, ProjectChildViewSet
from api.concurrency import PROGRESS_ETAG, PROGRESS_IF_MATCH, expected_stamp, progress_etag
from api.fields import MonthField, money_field
from api.filters import AllProgressFilter, ProgressFilter
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from core.dates import parse_month
from core.errors import InvalidValue
from pipeline.models import MonthlyProgress
from pipeline.progress import progress_save
from pipeline.selectors import progress_queryset, project_progress

MONTH = OpenApiParameter(
    "month",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("月份 YYYY-MM，如 2025-11"),
    pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
)


class ProgressSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text=gettext_lazy("项目 id"))
    month = MonthField(read_only=True, help_text=gettext_lazy("月份 YYYY-MM"))
    updated_by = serializers.CharField(
        source="updated_by.username", read_only=True, allow_null=True, help_text=gettext_lazy("填报人用户名")
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

    funds_in_place = money_field(gettext_lazy("当月资金到位额（万元），不填为 0"))
    investment_completed = money_field(gettext_lazy("当月完成投资额（万元），不填为 0"))
    progress = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("进展情况"))
    problems = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("存在问题"))


@extend_schema(tags=["月度进展"])
class ProgressViewSet(ProjectChildViewSet):
    queryset = MonthlyProgress.objects.none()
    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter
    default_ordering = ("month", "id")

    @extend_schema(
        summary=gettext_lazy("项目月度进展"),
        description=gettext_lazy("按月份从早到晚。"),
        parameters=[PROJECT_ID],
        responses={200: ProgressSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_progress(self.get_project()))

    @extend_schema(
        summary=gettext_lazy("某月进展"),
        parameters=[PROJECT_ID, MONTH, PROGRESS_ETAG],
        responses={200: ProgressSerializer, **errors(400, *DETAIL_ERRORS)},
    )
    def retrieve(self, request, project_id=None, month=None):
        record = self.get_object()
        return Response(ProgressSerializer(record).data, headers={"ETag": progress_etag(record)})

    @extend_schema(
        summary=gettext_lazy("填报或替换某月进展"),
        description=(
            gettext_lazy(
                "每个项目每月一条：不存在则新建（201），已存在则整条替换（200）。"
                "月份不能晚于本月、不能早于开始洽谈的月份；已终止项目不能填报终止之后的月份；金额不能为负。"
                "带 If-Match（上次读到的 ETag）时，该月进展已被他人修改则返回 412、不写入。"
            )
        ),
        parameters=[PROJECT_ID, MONTH, PROGRESS_IF_MATCH, PROGRESS_ETAG],
        request=ProgressInput,
        responses={200: ProgressSerializer, 201: ProgressSerializer, **errors(*WRITE_ERRORS, 412)},
    )
    def update(self, request, project_id=None, month=None):
        project = self.get_project()
        month = self._month(month)
        data = self.validated(ProgressInput)
        existed = self._record(project, month) is not None
        record = progress_save(
            project=project, by=request.user, month=month, expected_stamp=expected_stamp(request), **data
        )
        record = project_progress(project).get(pk=record.pk)
        return Response(
            ProgressSerializer(record).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
            headers={"ETag": progress_etag(record)},
        )

    def created_location(self, request, response):
        return request.build_absolute_uri(request.path)  # a month's record is addressed by its PUT

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
class AllProgressViewSet(ApiViewSet):
    queryset = MonthlyProgress.objects.none()
    serializer_class = ProgressSerializer
    filterset_class = AllProgressFilter
    ordering_fields = {"id": "id", "month": "month", "updated_at": "updated_at"}

    @extend_schema(
        summary=gettext_lazy("全部可见项目的月度进展"),
        description=gettext_lazy(
            "用于增量同步：配合 updated_since 拉取新填报或修改的月度进展。默认按 id 升序。"
        ),
        responses={200: ProgressSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(progress_queryset(request.user))
