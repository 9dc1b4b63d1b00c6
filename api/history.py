"""GET /api/v1/projects/{id}/history/: a project's audit trail (变更记录) from the change log —
who, when, through which channel, what happened and what changed (old → new)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from api.children import PROJECT_ID, ProjectChildViewSet
from api.schema import paged_list_errors
from changes.models import Change
from changes.selectors import project_history


class HistorySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id", read_only=True, help_text=gettext_lazy("变更对象的 id"))
    user = serializers.CharField(
        source="user.username", read_only=True, allow_null=True, help_text=gettext_lazy("操作人用户名")
    )
    changes = serializers.DictField(
        read_only=True, help_text=gettext_lazy("{字段: [旧值, 新值]}，新建时旧值为 null")
    )
    source = serializers.DictField(
        read_only=True, allow_null=True, help_text=gettext_lazy("来源（如导入的文件），没有为 null")
    )

    class Meta:
        model = Change
        fields = ["seq", "at", "type", "id", "user", "channel", "changes", "source"]
        read_only_fields = fields


@extend_schema(tags=["项目"])
class HistoryViewSet(ProjectChildViewSet):
    queryset = Change.objects.none()
    serializer_class = HistorySerializer
    # Oldest first by seq, numbered pages (`page`, `page_size`); the change log has no `id` to
    # key the cursors of the other lists on (a consumer following changes uses the feed).
    filter_backends = []
    filterset_class = None

    @extend_schema(
        summary=gettext_lazy("项目变更记录"),
        description=gettext_lazy(
            "项目的全部变更，从早到晚：项目字段、阶段节点（含作废）、审议、月度进展（覆盖前的值也保留）、"
            "诉求、退出审议。每条含时间、操作人、渠道（page、api、admin、import、command）、类型和"
            " {字段: [旧值, 新值]}。"
            "与变更流（/api/v1/changes/?project=）是同一份记录。"
        ),
        parameters=[PROJECT_ID],
        responses={200: HistorySerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_history(self.get_project().pk))
