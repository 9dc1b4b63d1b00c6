"""Bulk export for a first load: GET /api/v1/exports/{projects,events,progress,reviews,requests,tasks}.ndjson.

One JSON object per line, each exactly what the list endpoint returns for the row; the same
filters and the same role scope as the list (the view reuses its filterset, selector and
serializer). Streamed in keyset chunks of the primary key, so memory stays constant however
many rows there are, and a row changed during the export is written once. The `Changes-Seq`
header is the last seq of the changes feed when the export began: following the feed from it
afterwards catches everything committed while (or after) the file was read.
"""

import json

from django.db.models import Max
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer

from api.base import ApiViewSet
from api.events import EventSerializer
from api.filters import AllEventFilter, AllProgressFilter, StrictFilterBackend
from api.progress import ProgressSerializer
from api.projects import ProjectSerializer
from api.pulls import AllReviewFilter, RequestFilter, RequestSerializer, request_queryset
from api.reviews import ReviewSerializer
from api.schema import LIST_ERRORS, errors
from api.tasks import TaskFilter, TaskSerializer
from changes.models import Change
from core.dates import local_today
from pipeline.models import MonthlyProgress, Review, StageEvent
from pipeline.selectors import (
    event_queryset,
    progress_queryset,
    project_with_totals,
    review_queryset,
)
from projects.filters import ProjectFilter
from projects.models import Project
from supervision.models import Task
from supervision.selectors import task_queryset

NDJSON = "application/x-ndjson"
CHUNK = 1000


class NDJSONRenderer(BaseRenderer):
    media_type = NDJSON
    format = "ndjson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data  # the views stream their own lines; errors are rendered as JSON


def lines(queryset, serializer_class, context):
    """The rows of `queryset` as NDJSON lines, CHUNK rows per query, in primary-key order."""
    last = None
    while True:
        chunk_query = queryset.order_by("pk")
        if last is not None:
            chunk_query = chunk_query.filter(pk__gt=last)
        rows = list(chunk_query[:CHUNK])
        if not rows:
            return
        for data in serializer_class(rows, many=True, context=context).data:
            yield json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        last = rows[-1].pk
        if len(rows) < CHUNK:
            return


class ExportView(ApiViewSet):
    filter_backends = [StrictFilterBackend]
    renderer_classes = [NDJSONRenderer, JSONRenderer]
    pagination_class = None
    name_of_file = ""
    selector = None

    def handle_exception(self, exc):
        # A refusal (bad filter, 401, 403) is JSON like everywhere else in the API.
        if getattr(self.request, "accepted_renderer", None) is not None:
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def get_queryset(self):
        # The rows come from `selector`; the schema generator asks here for their model (its
        # warnings made `check --deploy` fail).
        return type(self).selector(self.request.user)

    def list(self, request):
        seq = Change.objects.aggregate(top=Max("seq"))["top"] or 0
        queryset = self.filter_queryset(type(self).selector(request.user))
        context = {"today": local_today(), "request": request}
        response = StreamingHttpResponse(
            lines(queryset, self.serializer_class, context), content_type=f"{NDJSON}; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.name_of_file}.ndjson"'
        response["Changes-Seq"] = str(seq)
        return response


def _schema(summary, operation_id: str):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=gettext_lazy(
            "每行一个 JSON 对象，与对应列表接口返回的一项相同；筛选参数和查看范围与列表相同。"
            "流式输出，不分页。响应头 Changes-Seq 为开始导出时变更流的最后序号：导入后从该序号起读取变更流"
            "（after=该值），即可接上导出期间及之后的变更。"
        ),
        tags=["增量同步"],
        responses={
            (200, NDJSON): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=gettext_lazy("每行一个 JSON 对象（NDJSON）")
            ),
            **errors(*LIST_ERRORS),
        },
    )


def _export(name, model, filterset, serializer, selector, summary):
    """The NDJSON export of one list: its filters, serializer and selector, and its schema."""

    class Export(ExportView):
        queryset = model.objects.none()  # for the schema; rows come from the selector
        filterset_class = filterset
        serializer_class = serializer
        name_of_file = name

        @_schema(summary, f"export_{name}")
        def list(self, request):
            return super().list(request)

    Export.selector = staticmethod(selector)
    Export.__name__ = Export.__qualname__ = f"{model.__name__}Export_{name}"
    return Export


EXPORTS = {
    name: _export(name, *parts)
    for name, *parts in (
        (
            "projects",
            Project,
            ProjectFilter,
            ProjectSerializer,
            project_with_totals,
            gettext_lazy("批量导出项目（NDJSON）"),
        ),
        (
            "events",
            StageEvent,
            AllEventFilter,
            EventSerializer,
            event_queryset,
            gettext_lazy("批量导出阶段节点（NDJSON）"),
        ),
        (
            "progress",
            MonthlyProgress,
            AllProgressFilter,
            ProgressSerializer,
            progress_queryset,
            gettext_lazy("批量导出月度进展（NDJSON）"),
        ),
        (
            "reviews",
            Review,
            AllReviewFilter,
            ReviewSerializer,
            review_queryset,
            gettext_lazy("批量导出审议（NDJSON）"),
        ),
        (
            "requests",
            Task,
            RequestFilter,
            RequestSerializer,
            request_queryset,
            gettext_lazy("批量导出诉求（NDJSON）"),
        ),
        (
            "tasks",
            Task,
            TaskFilter,
            TaskSerializer,
            task_queryset,
            gettext_lazy("批量导出督办事项（NDJSON）"),
        ),
    )
}
