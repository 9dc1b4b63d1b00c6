"""The changes feed: GET /api/v1/changes/?after=<seq>.

Each entry is one row of the change log (changes.models.Change) with `data`, the changed object
as its own endpoint returns it now (read through the caller's scope), or just its id when it is
gone. Webhook deliveries carry the same entries (`entries`), so the feed and the hooks cannot
disagree. A page costs a constant number of queries: the changes, then one query per kind of
object on the page.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.base import ApiViewSet
from api.events import EventSerializer
from api.exits import ExitReviewSerializer
from api.investors import InvestorSerializer
from api.meetings import MeetingSerializer
from api.openapi import ObjectResponseSchema
from api.progress import ProgressSerializer
from api.projects import ProjectSerializer
from api.reviews import ReviewSerializer
from api.schema import LIST_ERRORS, errors
from api.tasks import TaskSerializer
from changes.models import Change
from changes.selectors import changes_after
from core.dates import local_today
from exits.selectors import exit_review_queryset
from pipeline.selectors import (
    event_queryset,
    progress_queryset,
    project_with_totals,
    review_queryset,
)
from projects.models import Project
from projects.selectors import investor_queryset
from supervision.selectors import meeting_queryset, task_queryset

BIGINT = 2**63 - 1
DEFAULT_LIMIT = 100
MAX_TYPES = 100
MAX_LIMIT = 1000

# object_type → (the queryset its endpoint reads through, for the user; its serializer)
RENDERERS = {
    "project": (project_with_totals, ProjectSerializer),
    "event": (event_queryset, EventSerializer),
    "review": (review_queryset, ReviewSerializer),
    "progress": (progress_queryset, ProgressSerializer),
    "exit_review": (exit_review_queryset, ExitReviewSerializer),
    "task": (task_queryset, TaskSerializer),
    "meeting": (meeting_queryset, MeetingSerializer),
    "investor": (lambda user: investor_queryset(), InvestorSerializer),
}


def entries(changes: list[Change], user) -> list[dict]:
    """The feed entries of `changes` as `user` may read them."""
    wanted: dict[str, set[int]] = {}
    for change in changes:
        if not change.type.endswith(".deleted") and change.object_type in RENDERERS:
            wanted.setdefault(change.object_type, set()).add(change.object_id)
    context = {"today": local_today()}
    found: dict[tuple[str, int], dict] = {}
    for object_type, ids in wanted.items():
        queryset, serializer = RENDERERS[object_type]
        objects = list(queryset(user).filter(pk__in=ids))
        # One serializer for all of them: DRF builds a ModelSerializer's fields per instance.
        for obj, data in zip(objects, serializer(objects, many=True, context=context).data, strict=True):
            found[object_type, obj.pk] = data
    project_ids = {change.project_id for change in changes if change.project_id is not None}
    codes = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "code")) if project_ids else {}
    return [
        {
            "seq": change.seq,
            "type": change.type,
            "id": change.object_id,
            "at": serializers.DateTimeField().to_representation(change.at),
            "project": None
            if change.project_id is None
            else {"id": change.project_id, "code": codes.get(change.project_id)},
            "changes": change.changes,
            "data": _data(change, found),
        }
        for change in changes
    ]


def _data(change: Change, found: dict) -> dict:
    if change.object_type in RENDERERS:
        # Gone (deleted, or no longer in the reader's scope): its id is all that is left.
        return found.get((change.object_type, change.object_id), {"id": change.object_id})
    # A record with no endpoint of its own (a published ledger's version, targets, a deleted
    # reference record): its id and the values this change gave it (or had, when deleted).
    side = 0 if change.type.endswith(".deleted") else 1
    return {"id": change.object_id, **{name: pair[side] for name, pair in change.changes.items()}}


class ProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)


class FeedEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text=gettext_lazy("服务器分配的序号，按提交顺序连续递增，无空缺"))
    type = serializers.CharField(
        help_text=gettext_lazy(
            "发生了什么：project.created、project.updated、event.recorded、event.voided、review.recorded、"
            "progress.saved、task.created、task.reported、task.closed、task.rejected、task.reassigned、"
            "meeting.recorded、task_force.saved、letter.numbered、letter.replied、investor.created、"
            "investor.updated、investor.deleted、reference.deleted、ledger.published、exit_review.decided 等"
        )
    )
    id = serializers.IntegerField(help_text=gettext_lazy("变更对象的 id"))
    at = serializers.DateTimeField(help_text=gettext_lazy("变更时间"))
    project = ProjectRefSerializer(
        allow_null=True, help_text=gettext_lazy("所属项目（id、编号），与项目无关时为 null")
    )
    changes = serializers.DictField(
        help_text=gettext_lazy("本次变更的字段：{字段: [旧值, 新值]}，新建时旧值为 null")
    )
    data = serializers.DictField(
        help_text=gettext_lazy(
            "对象现在的样子（与其自身接口返回的相同）；对象已删除或已不在查看范围内时只有 id"
        )
    )


class FeedPageSerializer(serializers.Serializer):
    results = FeedEntrySerializer(many=True)
    next = serializers.URLField(
        allow_null=True, help_text=gettext_lazy("下一页；已取到最新时为 null（之后用最后一条的 seq 轮询）")
    )


def _int_param(request, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        bounds = f"{low}–{high}" if high is not None and high < BIGINT else f"≥ {low}"
        raise ValidationError(
            {name: [_("应为整数（%(bounds)s），收到“%(value)s”。") % {"bounds": bounds, "value": raw[:32]}]},
            code="invalid_value",
        )
    return int(raw)


@extend_schema(tags=["增量同步"])
class ChangeFeedViewSet(ApiViewSet):
    schema = ObjectResponseSchema()  # one page object, not an array of pages
    queryset = Change.objects.none()
    filter_backends = []
    pagination_class = None
    serializer_class = FeedEntrySerializer

    @extend_schema(
        operation_id="changes_list",
        summary=gettext_lazy("变更流"),
        description=gettext_lazy(
            "按 seq 从小到大返回 seq 大于 after 的变更"
            "（每次写入在同一事务中记录，seq 按提交顺序分配，连续无空缺）。"
            "保存处理过的最后一个 seq，下次以 after=该值 请求，即使多方同时写入也不会漏掉任何变更。"
            "按角色限定范围，与各列表相同。"
        ),
        parameters=[
            OpenApiParameter(
                "after", int, description=gettext_lazy("只返回 seq 大于此值的变更；默认 0（从头开始）")
            ),
            OpenApiParameter("limit", int, description=gettext_lazy("每页条数，1–1000，默认 100")),
            OpenApiParameter(
                "type", str, many=True, description=gettext_lazy("只要这些类型（可重复），如 event.recorded")
            ),
            OpenApiParameter("project", int, description=gettext_lazy("只要这个项目的变更")),
        ],
        responses={200: FeedPageSerializer, **errors(*LIST_ERRORS)},
    )
    def list(self, request):
        unknown = sorted(set(request.query_params) - {"after", "limit", "type", "project", "format"})
        if unknown:
            raise ValidationError(
                {unknown[0]: [_("不支持的查询参数“%(name)s”。") % {"name": unknown[0][:64]}]},
                code="unknown_parameter",
            )
        after = _int_param(request, "after", 0, 0, BIGINT)
        limit = _int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        project = request.query_params.get("project")
        project_id = _int_param(request, "project", 0, 1, BIGINT) if project not in (None, "") else None
        types = [value for value in request.query_params.getlist("type") if value]
        if len(types) > MAX_TYPES:
            raise ValidationError(
                {"type": [_("最多 %(max)d 个类型。") % {"max": MAX_TYPES}]}, code="invalid_value"
            )
        changes = changes_after(request.user, after, limit=limit, types=types, project_id=project_id)
        next_link = None
        if len(changes) == limit:
            next_link = replace_query_param(request.build_absolute_uri(), "after", changes[-1].seq)
        return Response({"results": entries(changes, request.user), "next": next_link})
