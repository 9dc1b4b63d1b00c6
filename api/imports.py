"""The 台账 import over the API: thin views over imports.services.

POST /api/v1/imports/                  multipart: file, district (accounts spanning districts),
                                       commit (true/false, default false), month (YYYY-MM)
    200 the report of a dry run; 201 the report of a commit; 400 the report of a refused commit;
    202 {"id", "status", "url"} when a large commit goes to the background worker.
GET  /api/v1/imports/{id}/             status and progress; the report once previewed, done or failed
GET  /api/v1/imports/{id}/errors.xlsx  the upload's rows with each row's outcome and errors
"""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import RolePermission
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors
from core.dates import parse_month
from imports.models import ImportRun
from imports.report_xlsx import error_workbook
from imports.services import import_commit, import_district, import_enqueue, import_preview, import_runs
from pipeline.exports import XLSX_CONTENT_TYPE

# A commit of more rows than this runs in the background worker (202); smaller ones at once.
SYNC_COMMIT_ROWS = 500


class ImportUpload(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("台账工作簿（.xlsx）。"))
    district = serializers.CharField(
        required=False, help_text=gettext_lazy("区县代码；跨区县的账号必填，缺省为本人所属区县。")
    )
    commit = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("true 写入；缺省 false 只预览。")
    )
    month = serializers.CharField(
        required=False, help_text=gettext_lazy("台账所属月份 YYYY-MM；缺省取标题中的“2025年3月”。")
    )

    def validate_month(self, value):
        try:
            return parse_month(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_value") from None


REPORT = inline_serializer(
    "ImportReport",
    {
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(ImportRun.Status.choices),
        "summary": inline_serializer(
            "ImportSummary",
            {
                name: serializers.IntegerField()
                for name in ("rows", "created", "updated", "unchanged", "errors")
            },
        ),
        "month": serializers.CharField(allow_null=True),
        "file_errors": serializers.ListField(child=serializers.DictField()),
        "sheets": serializers.ListField(child=serializers.DictField()),
        "rows": serializers.ListField(
            child=inline_serializer(
                "ImportRow",
                {
                    "sheet": serializers.CharField(),
                    "row": serializers.IntegerField(),
                    "status": serializers.ChoiceField(["created", "updated", "unchanged", "error"]),
                    "project": serializers.CharField(allow_null=True),
                    "name": serializers.CharField(),
                    "errors": serializers.ListField(
                        child=inline_serializer(
                            "ImportRowError",
                            {
                                "field": serializers.CharField(),
                                "code": serializers.CharField(),
                                "message": serializers.CharField(),
                                "column": serializers.CharField(),
                                "value": serializers.CharField(),
                            },
                        )
                    ),
                },
            )
        ),
    },
)
QUEUED = inline_serializer(
    "ImportQueued",
    {"id": serializers.IntegerField(), "status": serializers.CharField(), "url": serializers.CharField()},
)


def run_body(request, run: ImportRun) -> dict:
    body = {
        "id": run.pk,
        "status": run.status,
        "url": request.build_absolute_uri(reverse("api-import", args=[run.pk])),
        "file": {"name": run.file_name, "sha256": run.sha256},
        "district": run.district.code,
        "rows_total": run.rows_total,
        "rows_done": run.rows_done,
        "created_at": run.created_at,
        "committed_at": run.committed_at,
    }
    if run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
        body.update(run.report or {})
    return body


class ImportView(APIView):
    permission_classes = [RolePermission]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="import_create",
        summary=gettext_lazy("导入台账（Excel）"),
        description=(
            gettext_lazy(
                "上传台账工作簿（multipart/form-data）。默认只预览，不写入：逐行给出 created / updated / "
                "unchanged / error、匹配或将获得的项目编号和每个错误（字段、代码、中文说明）。"
                "commit=true 时：文件有任何错误行则拒绝（400，不写入任何数据）；"
                "否则在一个事务中全部写入（201）；"
                "超过 500 行的写入交给后台任务，返回 202 和查询地址。项目先按项目编号匹配，"
                "其次按名称 + 投资主体（有信用代码时按信用代码）；重复导入同一文件不会产生任何变化。"
            )
        ),
        tags=["台账导入"],
        request={"multipart/form-data": ImportUpload},
        responses={
            200: OpenApiResponse(REPORT, description=gettext_lazy("预览报告（未写入）。")),
            201: OpenApiResponse(REPORT, description=gettext_lazy("已写入。")),
            202: OpenApiResponse(
                QUEUED, description=gettext_lazy("写入已交给后台任务；GET url 查询进度与报告。")
            ),
            **errors(*WRITE_ERRORS),
        },
    )
    def post(self, request):
        upload = ImportUpload(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        district = import_district(request.user, data.get("district"))
        content = data["file"].read()
        run = import_preview(
            by=request.user,
            district=district,
            file_name=data["file"].name,
            content=content,
            month=data.get("month"),
        )
        if not data["commit"]:
            return Response(run_body(request, run), status=status.HTTP_200_OK)
        if run.status != ImportRun.Status.PREVIEWED:
            return Response(run_body(request, run), status=status.HTTP_400_BAD_REQUEST)
        if run.rows_total > SYNC_COMMIT_ROWS:
            run = import_enqueue(run=run, by=request.user)
            body = run_body(request, run)
            return Response(
                {key: body[key] for key in ("id", "status", "url")}, status=status.HTTP_202_ACCEPTED
            )
        run = import_commit(run=run, by=request.user)
        done = run.status == ImportRun.Status.DONE
        return Response(
            run_body(request, run), status=status.HTTP_201_CREATED if done else status.HTTP_400_BAD_REQUEST
        )


def _run_for(user, pk) -> ImportRun:
    run = import_runs(user).filter(pk=pk).first()
    if run is None:
        raise NotFound(_("导入记录不存在或不在您的查看范围内。"))
    return run


class ImportDetailView(APIView):
    permission_classes = [RolePermission]

    @extend_schema(
        operation_id="import_retrieve",
        summary=gettext_lazy("导入状态与报告"),
        description=(
            gettext_lazy(
                "status：previewed、queued、running、done、failed、refused；"
                "rows_done / rows_total 为写入进度；预览完成、done、failed 或 refused 时附完整报告。"
            )
        ),
        tags=["台账导入"],
        responses={200: OpenApiResponse(REPORT), **errors(*DETAIL_ERRORS)},
    )
    def get(self, request, pk: int):
        return Response(run_body(request, _run_for(request.user, pk)))


class ImportErrorsView(APIView):
    permission_classes = [RolePermission]

    @extend_schema(
        operation_id="import_errors_xlsx",
        summary=gettext_lazy("导入报告（Excel）"),
        description=gettext_lazy("上传文件的各行原样列出，并附导入结果和错误说明两列，错误行标红。"),
        tags=["台账导入"],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            **errors(400, *DETAIL_ERRORS),
        },
    )
    def get(self, request, pk: int):
        run = _run_for(request.user, pk)
        response = HttpResponse(error_workbook(run), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename=import-{run.pk}-report.xlsx"
        return response
