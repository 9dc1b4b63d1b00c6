"""Reviews (审议) over the API: a project's reviews, and recording one (an approval is the
`approved` milestone; a rejection is kept on record)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from api.base import InputSerializer
from api.children import PROJECT_ID, ProjectChildViewSet
from api.concurrency import ETAG_HEADER, IF_MATCH, expected_version
from api.filters import ReviewFilter
from api.schema import WRITE_ERRORS, errors, paged_list_errors
from pipeline.models import Review
from pipeline.selectors import project_reviews
from pipeline.transitions import review_record


class ReviewSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True, help_text=gettext_lazy("项目 id"))
    event = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=gettext_lazy("同意时对应的“已审定”节点 id；不同意为 null")
    )
    decision = serializers.ChoiceField(
        choices=Review.Decision.choices,
        read_only=True,
        help_text=gettext_lazy("approved（同意）、rejected（不同意）或 voided（同意后其“已审定”节点被作废）"),
    )
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, help_text=gettext_lazy("录入人用户名")
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "project",
            "date",
            "decision",
            "industry_opinion",
            "expert_opinion",
            "department_opinion",
            "note",
            "event",
            "recorded_by",
            "recorded_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReviewInput(InputSerializer):
    decision = serializers.ChoiceField(
        choices=Review.RECORDED_DECISIONS,
        help_text=gettext_lazy("approved（同意，即“已审定”节点）或 rejected（不同意，项目仍为在谈）"),
    )
    date = serializers.DateField(
        required=False, allow_null=True, help_text=gettext_lazy("审议日期；不能晚于今天")
    )
    industry_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("行业评估意见（必填）")
    )
    expert_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("专家论证意见（必填）")
    )
    department_opinion = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("部门联动意见（必填）")
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("备注"))


@extend_schema(tags=["审议"])
class ReviewViewSet(ProjectChildViewSet):
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    default_ordering = ("date", "id")

    @extend_schema(
        summary=gettext_lazy("项目审议记录"),
        description=gettext_lazy("按审议日期从早到晚，含不同意的审议。"),
        parameters=[PROJECT_ID],
        responses={200: ReviewSerializer, **paged_list_errors()},
    )
    def list(self, request, project_id=None):
        return self.list_response(project_reviews(self.get_project()))

    @extend_schema(
        summary=gettext_lazy("登记审议"),
        description=(
            gettext_lazy(
                "行业评估、专家论证、部门联动三项意见必填。同意（approved）即登记“已审定”节点；"
                "不同意（rejected）记录在案，项目仍为在谈。只有本区管理人员可以登记。"
            )
        ),
        parameters=[PROJECT_ID, IF_MATCH, ETAG_HEADER],
        request=ReviewInput,
        responses={201: ReviewSerializer, **errors(*WRITE_ERRORS, 412)},
    )
    def create(self, request, project_id=None):
        project = self.get_project()
        data = self.validated(ReviewInput)
        review = review_record(
            project=project,
            by=request.user,
            expected_version=expected_version(request),
            decision=data.pop("decision"),
            date=data.pop("date", None),
            **data,
        )
        review = project_reviews(project).select_related("project").get(pk=review.pk)
        return self._with_etag(ReviewSerializer(review).data, review.project, status.HTTP_201_CREATED)
