"""督办事项 (tasks) and their rates over the API: thin views over supervision.selectors,
supervision.tasks and supervision.rates.

GET, POST /api/v1/tasks/                   the tasks the caller sees; assign one (manager) or raise a 诉求
GET  /api/v1/tasks/{id}/                   with its steps
POST /api/v1/tasks/{id}/report/            {"text", "date"}: the acting unit reports (办理情况)
POST /api/v1/tasks/{id}/verify/            {"note", "date"}: a manager closes it (验收销号)
POST /api/v1/tasks/{id}/reject/            {"reason", "date"}: a manager sends it back
POST /api/v1/tasks/{id}/reassign/          {"unit", "reason", "date"}: a manager hands it to another unit
GET  /api/v1/stats/tasks/?from=&to=&group_by=unit    办结率, 按期办结率 (by source), letters replied on time
"""

import django_filters as filters
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.filters import IdFilter, updated_since_filter
from api.reports import ReportView
from api.schema import DETAIL_ERRORS, LIST_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from core.errors import InvalidValue
from pipeline.filters import report_period
from pipeline.ledger_json import ledger_json
from projects.models import Unit
from projects.selectors import project_queryset
from supervision.models import Task
from supervision.rates import task_rates
from supervision.selectors import letter_queryset, task_queryset, with_steps
from supervision.tasks import task_create, task_reassign, task_reject, task_report, task_verify


def _person(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


class TaskStepSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text=gettext_lazy(
            "assigned（交办）、reported（报送办理情况）、closed（验收销号）、rejected（退回）、reassigned（改派）"
        )
    )
    date = serializers.DateField()
    text = serializers.CharField(help_text=gettext_lazy("办理情况、验收意见、退回或改派理由"))
    from_unit = serializers.CharField(source="from_unit.code", allow_null=True, default=None)
    to_unit = serializers.CharField(source="to_unit.code", allow_null=True, default=None)
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_by(self, obj) -> str | None:
        return _person(obj.by)


class TaskSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")
    project = serializers.IntegerField(
        source="project_id", allow_null=True, help_text=gettext_lazy("项目 id（可空）")
    )
    project_name = serializers.CharField(source="project.name", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.code", help_text=gettext_lazy("承办单位代码"))
    unit_name = serializers.CharField(source="unit.name")
    source = serializers.ChoiceField(
        choices=Task.Source.choices,
        help_text=gettext_lazy(
            "request（诉求）、meeting（会议交办）、letter（函件整改）、manager（领导交办）"
        ),
    )
    status = serializers.ChoiceField(
        choices=Task.Status.choices,
        help_text=gettext_lazy("open（办理中）、reported（已报办结）、closed（已销号）"),
    )
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    letter = serializers.IntegerField(source="letter_id", allow_null=True)
    category = serializers.CharField(
        help_text=gettext_lazy(
            "诉求类别（land、planning、approval、utilities、finance、labour、other）；非诉求为空"
        )
    )
    overdue = serializers.BooleanField(help_text=gettext_lazy("已过办结时限且未销号"))
    colour = serializers.CharField(
        help_text=gettext_lazy("red（逾期）、yellow（7 日内到期）、green（正常）；已销号为空")
    )
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "district",
            "project",
            "project_name",
            "unit",
            "unit_name",
            "source",
            "category",
            "meeting",
            "letter",
            "content",
            "assigned_on",
            "due_date",
            "status",
            "reported_on",
            "closed_on",
            "overdue",
            "colour",
            "created_by",
            "updated_at",
        ]
        read_only_fields = fields

    def get_created_by(self, obj) -> str | None:
        return _person(obj.created_by)


class TaskDetailSerializer(TaskSerializer):
    steps = TaskStepSerializer(many=True)

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "steps"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ScopedProjectField(serializers.PrimaryKeyRelatedField):
    """A project id the caller can see (another one reads as unknown)."""

    def get_queryset(self):
        return project_queryset(self.context["request"].user)


def unit_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all(), **kwargs)


class TaskInput(InputSerializer):
    content = serializers.CharField(help_text=gettext_lazy("督办内容"))
    unit = unit_field(help_text=gettext_lazy("承办单位代码"))
    due_date = serializers.DateField(help_text=gettext_lazy("办结时限"))
    project = ScopedProjectField(
        required=False, allow_null=True, help_text=gettext_lazy("项目 id（诉求必填）")
    )
    source = serializers.ChoiceField(
        choices=[Task.Source.MANAGER, Task.Source.REQUEST],
        required=False,
        help_text=gettext_lazy("manager（领导交办，缺省，区管理人员）或 request（诉求，能编辑该项目者）"),
    )
    category = serializers.ChoiceField(
        choices=Task.Category.choices, required=False, help_text=gettext_lazy("诉求类别（诉求必填）")
    )
    assigned_on = serializers.DateField(required=False, help_text=gettext_lazy("交办日期；缺省为今天"))


class ReportInput(InputSerializer):
    text = serializers.CharField(help_text=gettext_lazy("办理情况"))
    date = serializers.DateField(required=False, help_text=gettext_lazy("办理日期；缺省为今天，不能晚于今天"))


class VerifyInput(InputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("验收意见"))
    date = serializers.DateField(required=False, help_text=gettext_lazy("销号日期；缺省为今天"))


class RejectInput(InputSerializer):
    reason = serializers.CharField(help_text=gettext_lazy("退回理由"))
    date = serializers.DateField(required=False)


class ReassignInput(InputSerializer):
    unit = unit_field(help_text=gettext_lazy("改派至的单位代码"))
    reason = serializers.CharField(help_text=gettext_lazy("改派理由"))
    date = serializers.DateField(required=False)


class TaskFilter(filters.FilterSet):
    unit = filters.ModelChoiceFilter(
        label=gettext_lazy("承办单位代码"), queryset=Unit.objects.all(), to_field_name="code"
    )
    project = IdFilter(label=gettext_lazy("项目 id"), field_name="project_id")
    source = filters.ChoiceFilter(label=gettext_lazy("来源"), choices=Task.Source.choices)
    status = filters.ChoiceFilter(label=gettext_lazy("状态"), choices=Task.Status.choices)
    overdue = filters.BooleanFilter(label=gettext_lazy("是否逾期"))
    due_from = filters.DateFilter(
        label=gettext_lazy("办结时限不早于"), field_name="due_date", lookup_expr="gte"
    )
    due_to = filters.DateFilter(
        label=gettext_lazy("办结时限不晚于"), field_name="due_date", lookup_expr="lte"
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Task
        fields = []


ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("督办事项 id"))


@extend_schema(tags=["督办"])
class TaskViewSet(ApiViewSet):
    queryset = Task.objects.none()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = {"id": "id", "due_date": "due_date", "updated_at": "updated_at"}
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("督办事项不存在或不在您的查看范围内。")

    def get_queryset(self):
        return task_queryset(self.request.user)

    def task_response(self, task, status_code=status.HTTP_200_OK):
        return Response(
            TaskDetailSerializer(with_steps(self.get_queryset()).get(pk=task.pk)).data, status=status_code
        )

    @extend_schema(
        summary=gettext_lazy("督办事项列表"),
        description=gettext_lazy(
            "单位工作人员看到本单位承办的和本单位项目的事项，区管理人员看到本区的，市级用户看到全部。"
        ),
        responses={200: TaskSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(self.get_queryset())

    @extend_schema(
        summary=gettext_lazy("督办事项详情"),
        description=gettext_lazy("含办理环节 steps。"),
        parameters=[ID],
        responses={200: TaskDetailSerializer, **errors(*DETAIL_ERRORS)},
    )
    def retrieve(self, request, pk=None):
        return self.task_response(self.get_object())

    @extend_schema(
        summary=gettext_lazy("交办督办事项"),
        description=(
            gettext_lazy(
                "区管理人员交办（source=manager），或能编辑项目者为项目提出诉求"
                "（source=request，须填 project、category）。"
            )
        ),
        request=TaskInput,
        examples=[
            OpenApiExample(
                "assign",
                summary=gettext_lazy("交办"),
                value={"content": gettext_lazy("协调用电接入"), "unit": "jlp-econ", "due_date": "2025-03-31"},
                request_only=True,
            )
        ],
        responses={201: TaskDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    def create(self, request):
        data = self.validated(TaskInput)
        task = task_create(by=request.user, **data)
        return self.task_response(task, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("报送办理情况"),
        description=gettext_lazy("承办单位（或本区管理人员）报送；已销号的事项不能再报送。"),
        parameters=[ID],
        request=ReportInput,
        responses={200: TaskDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="report")
    def report(self, request, pk=None):
        data = self.validated(ReportInput)
        return self.task_response(task_report(task=self.get_object(), by=request.user, **data))

    @extend_schema(
        summary=gettext_lazy("验收销号"),
        description=gettext_lazy("本区管理人员验收已报送的事项并销号。"),
        parameters=[ID],
        request=VerifyInput,
        responses={200: TaskDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="verify")
    def verify(self, request, pk=None):
        data = self.validated(VerifyInput)
        return self.task_response(task_verify(task=self.get_object(), by=request.user, **data))

    @extend_schema(
        summary=gettext_lazy("退回重办"),
        description=gettext_lazy("本区管理人员退回已报送的事项，须说明理由。"),
        parameters=[ID],
        request=RejectInput,
        responses={200: TaskDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="reject")
    def reject(self, request, pk=None):
        data = self.validated(RejectInput)
        return self.task_response(task_reject(task=self.get_object(), by=request.user, **data))

    @extend_schema(
        summary=gettext_lazy("改派"),
        description=gettext_lazy("本区管理人员把未销号的事项改派给本区另一单位，须说明理由。"),
        parameters=[ID],
        request=ReassignInput,
        responses={200: TaskDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="reassign")
    def reassign(self, request, pk=None):
        data = self.validated(ReassignInput)
        return self.task_response(task_reassign(task=self.get_object(), by=request.user, **data))


class SourceRatesSerializer(serializers.Serializer):
    due_count = serializers.IntegerField()
    closed_count = serializers.IntegerField()
    closed_on_time_count = serializers.IntegerField()
    closed_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    on_time_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class RatesSerializer(SourceRatesSerializer):
    overdue_count = serializers.IntegerField(help_text=gettext_lazy("期内到期、至今未销号且已过时限的事项数"))
    by_source = serializers.DictField(
        child=SourceRatesSerializer(), help_text=gettext_lazy("按来源：request、meeting、letter、manager")
    )
    letter_count = serializers.IntegerField(help_text=gettext_lazy("回复期限在期内的督办函"))
    replied_count = serializers.IntegerField()
    replied_on_time_count = serializers.IntegerField()
    replied_on_time_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class UnitRatesSerializer(RatesSerializer):
    unit = serializers.CharField()
    name = serializers.CharField()


TaskStatsSerializer = type(
    "TaskStatsSerializer",
    (RatesSerializer,),
    {
        "from": serializers.DateField(help_text=gettext_lazy("起始日（含）")),
        "to": serializers.DateField(help_text=gettext_lazy("截止日（含）")),
        "results": UnitRatesSerializer(
            many=True, required=False, help_text=gettext_lazy("group_by=unit 时各单位的数据")
        ),
    },
)


class TaskStatsView(ReportView):
    allowed_params = frozenset({"from", "to", "year", "group_by"})
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]  # no workbook of these rates

    @extend_schema(
        operation_id="stats_tasks_retrieve",
        summary=gettext_lazy("督办办结率"),
        description=(
            gettext_lazy(
                "期内到期的督办事项：办结数、按期办结数（销号日期不晚于办结时限）、办结率、按期办结率，"
                "并按来源分列（request 即诉求办结率）；回复期限在期内的督办函：已回复、按期回复及按期回复率。"
                "比率为百分数，两位小数，无到期事项时为 null。范围按角色。"
            )
        ),
        tags=["督办"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description=gettext_lazy("起始日（含）。")),
            OpenApiParameter("to", OpenApiTypes.DATE, description=gettext_lazy("截止日（含）。")),
            OpenApiParameter("year", int, description=gettext_lazy("整年，代替 from/to。")),
            OpenApiParameter("group_by", str, enum=["unit"]),
        ],
        responses={200: TaskStatsSerializer, **errors(*LIST_ERRORS)},
    )
    def get(self, request):
        self.check_params()
        start, end, group_by = report_period(request.query_params)
        if group_by not in (None, "unit"):
            raise InvalidValue(gettext_lazy("group_by 只支持 unit。"), field="group_by")
        scope = {"tasks": task_queryset(request.user), "letters": letter_queryset(request.user)}
        body = {"from": start.isoformat(), "to": end.isoformat(), **task_rates(start=start, end=end, **scope)}
        if group_by:
            grouped = task_rates(start=start, end=end, group_by="unit", **scope)
            units = Unit.objects.in_bulk(list(grouped))
            body["results"] = [
                {"unit": units[pk].code, "name": units[pk].name, **row} for pk, row in grouped.items()
            ]
        return Response(ledger_json(body))
