"""调度会商, 专班 and letter replies over the API: thin views over supervision.

GET, POST /api/v1/meetings/                  meetings of the districts the caller sees; record one
                                             with its 交办事项 (a manager)
GET  /api/v1/meetings/{id}/                  with its tasks inline
GET, PUT /api/v1/projects/{id}/task-force/   the project's 专班, members and 推进方案 steps
POST /api/v1/reminders/{id}/reply/           the addressed unit's written reply to a letter
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.children import PROJECT_ID, ProjectChildViewSet
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from api.tasks import ScopedProjectField, TaskSerializer, unit_field
from core.errors import IllegalTransition, InvalidValue
from pipeline.models import Reminder
from pipeline.reminders import reminder_queryset
from projects.models import District
from supervision.letters import letter_reply
from supervision.meetings import meeting_record
from supervision.models import Letter, Meeting
from supervision.selectors import letter_queryset, meeting_detail, meeting_queryset, project_supervision
from supervision.taskforces import task_force_save


class MeetingSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code")
    kind = serializers.ChoiceField(
        choices=Meeting.Kind.choices,
        help_text=(
            gettext_lazy(
                "weekly（周调度会）、monthly（月度调度会）、on_site（现场办公会）、"
                "joint（联席会议）、topic（专题会）"
            )
        ),
    )
    units = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=gettext_lazy("参会单位代码")
    )
    projects = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=gettext_lazy("研究项目 id")
    )
    recorded_by = serializers.CharField(source="recorded_by.username")
    task_count = serializers.IntegerField(help_text=gettext_lazy("交办事项数"))

    class Meta:
        model = Meeting
        fields = [
            "id",
            "district",
            "date",
            "kind",
            "title",
            "chair",
            "units",
            "projects",
            "minutes",
            "recorded_by",
            "task_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    tasks = TaskSerializer(many=True, help_text=gettext_lazy("本次会议的交办事项"))

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "tasks"]
        read_only_fields = fields


class MeetingTaskInput(InputSerializer):
    content = serializers.CharField(help_text=gettext_lazy("交办内容"))
    unit = unit_field(help_text=gettext_lazy("承办单位代码"))
    due_date = serializers.DateField(help_text=gettext_lazy("办结时限"))
    project = ScopedProjectField(required=False, allow_null=True, help_text=gettext_lazy("项目 id"))


class MeetingInput(InputSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        required=False,
        help_text=gettext_lazy("区县代码；缺省为本人所在区"),
    )
    date = serializers.DateField(help_text=gettext_lazy("会议日期，不能晚于今天"))
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    title = serializers.CharField(max_length=128)
    chair = serializers.CharField(max_length=32, help_text=gettext_lazy("主持人"))
    units = serializers.ListField(
        child=unit_field(), required=False, help_text=gettext_lazy("参会单位代码列表")
    )
    projects = serializers.ListField(
        child=ScopedProjectField(), required=False, help_text=gettext_lazy("研究项目 id 列表")
    )
    minutes = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("会议纪要"))
    tasks = MeetingTaskInput(
        many=True,
        required=False,
        help_text=gettext_lazy('交办事项：[{"content", "unit", "due_date", "project"}]'),
    )


MEETING_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("会议 id"))


@extend_schema(tags=["督办"])
class MeetingViewSet(ApiViewSet):
    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer
    ordering_fields = {"id": "id", "date": "date", "updated_at": "updated_at"}
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("会议不存在或不在您的查看范围内。")

    def get_queryset(self):
        return meeting_queryset(self.request.user).prefetch_related("units", "projects")

    def meeting_response(self, pk, status_code=status.HTTP_200_OK):
        meeting, tasks = meeting_detail(pk, self.request.user)
        meeting.task_count = len(tasks)
        data = MeetingSerializer(meeting).data
        data["tasks"] = TaskSerializer(tasks, many=True).data
        return Response(data, status=status_code)

    @extend_schema(
        summary=gettext_lazy("调度会商列表"), responses={200: MeetingSerializer, **paged_list_errors()}
    )
    def list(self, request):
        return self.list_response(self.get_queryset())

    @extend_schema(
        summary=gettext_lazy("调度会商详情"),
        description=gettext_lazy("含交办事项 tasks。"),
        parameters=[MEETING_ID],
        responses={200: MeetingDetailSerializer, **errors(*DETAIL_ERRORS)},
    )
    def retrieve(self, request, pk=None):
        return self.meeting_response(self.get_object().pk)

    @extend_schema(
        summary=gettext_lazy("记录调度会商"),
        description=gettext_lazy(
            "区管理人员记录会议，并在同一事务中交办 tasks（任何一项有误则全部不写入）。"
        ),
        request=MeetingInput,
        examples=[
            OpenApiExample(
                "weekly_meeting",
                summary=gettext_lazy("周调度会"),
                value={
                    "date": "2025-03-03",
                    "kind": "weekly",
                    "title": gettext_lazy("第10周项目调度会"),
                    "chair": gettext_lazy("王副区长"),
                    "units": ["jlp-econ"],
                    "projects": [1],
                    "minutes": gettext_lazy("研究用地问题"),
                    "tasks": [
                        {
                            "content": gettext_lazy("完成用地报批"),
                            "unit": "jlp-econ",
                            "due_date": "2025-03-20",
                            "project": 1,
                        }
                    ],
                },
                request_only=True,
            )
        ],
        responses={201: MeetingDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    def create(self, request):
        data = self.validated(MeetingInput)
        district = data.pop("district", None)
        if district is None:
            district_id = getattr(request.user, "home_district_id", None)
            district = District.objects.filter(pk=district_id).first() if district_id else None
            if district is None:
                raise InvalidValue(_("请指定区县。"), field="district")
        tasks = [dict(item) for item in data.pop("tasks", [])]
        meeting = meeting_record(by=request.user, district=district, tasks=tasks, **data)
        return self.meeting_response(meeting.pk, status.HTTP_201_CREATED)


class MemberSerializer(InputSerializer):
    name = serializers.CharField(max_length=32)
    unit = serializers.CharField(max_length=64, required=False, allow_blank=True)
    role = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text=gettext_lazy("专班职责")
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class PlanStepInput(InputSerializer):
    name = serializers.CharField(
        max_length=64, help_text=gettext_lazy("节点，如土地摘牌、施工许可、水电接入")
    )
    planned_on = serializers.DateField(help_text=gettext_lazy("计划完成日期"))
    done_on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy("实际完成日期"))


class TaskForceInput(InputSerializer):
    leader = serializers.CharField(max_length=32, help_text=gettext_lazy("包抓领导"))
    lead_unit = unit_field(help_text=gettext_lazy("牵头单位代码"))
    plan = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("推进方案"))
    members = MemberSerializer(many=True, required=False)
    steps = PlanStepInput(many=True, required=False)


class PlanStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    planned_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField(help_text=gettext_lazy("已过计划日期仍未完成"))


class TaskForceSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    leader = serializers.CharField()
    lead_unit = serializers.CharField()
    plan = serializers.CharField()
    members = MemberSerializer(many=True)
    steps = PlanStepSerializer(many=True)
    late_count = serializers.IntegerField(help_text=gettext_lazy("逾期未完成的节点数"))
    updated_at = serializers.DateTimeField()


def task_force_json(project, user) -> dict:
    view = project_supervision(project, user)
    force = view["task_force"]
    if force is None:
        raise NotFound(_("该项目尚未组建专班。"))
    return TaskForceSerializer(
        {
            "project": project.pk,
            "leader": force.leader,
            "lead_unit": force.lead_unit.code,
            "plan": force.plan,
            "members": [
                {"name": m.name, "unit": m.unit, "role": m.role, "phone": m.phone} for m in view["members"]
            ],
            "steps": view["steps"],
            "late_count": view["late_count"],
            "updated_at": force.updated_at,
        }
    ).data


@extend_schema(tags=["督办"])
class TaskForceViewSet(ProjectChildViewSet):
    @extend_schema(
        operation_id="project_task_force_retrieve",
        summary=gettext_lazy("项目专班与推进方案"),
        parameters=[PROJECT_ID],
        responses={200: TaskForceSerializer, **errors(400, *DETAIL_ERRORS)},
    )
    def retrieve(self, request, project_id=None):
        return Response(task_force_json(self.get_project(), request.user))

    @extend_schema(
        operation_id="project_task_force_update",
        summary=gettext_lazy("设置项目专班"),
        description=gettext_lazy(
            "整体替换专班（包抓领导、牵头单位、成员）和推进方案（节点及计划、实际日期）。项目责任单位或区管理人员。"
        ),
        parameters=[PROJECT_ID],
        request=TaskForceInput,
        responses={200: TaskForceSerializer, **errors(*WRITE_ERRORS)},
    )
    def update(self, request, project_id=None):
        project = self.get_project()
        data = self.validated(TaskForceInput)
        data["members"] = [dict(item) for item in data.get("members", [])]
        data["steps"] = [dict(item) for item in data.get("steps", [])]
        task_force_save(project=project, by=request.user, **data)
        return Response(task_force_json(project, request.user))


class ReplyItemInput(InputSerializer):
    project = serializers.IntegerField(help_text=gettext_lazy("函中所列项目 id"))
    measures = serializers.CharField(help_text=gettext_lazy("整改措施"))
    expected_date = serializers.DateField(
        required=False, allow_null=True, help_text=gettext_lazy("预计完成日期")
    )


class ReplyInput(InputSerializer):
    text = serializers.CharField(help_text=gettext_lazy("回复内容"))
    date = serializers.DateField(required=False, help_text=gettext_lazy("回复日期；缺省为今天"))
    items = ReplyItemInput(many=True, required=False)


class LetterSerializer(serializers.ModelSerializer):
    reminder = serializers.IntegerField(source="reminder_id")
    unit = serializers.CharField(source="reminder.unit.code")
    overdue = serializers.BooleanField(help_text=gettext_lazy("逾期未回复"))
    items = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "reminder",
            "unit",
            "document_number",
            "district_leader",
            "head",
            "reply_due",
            "reply_text",
            "replied_on",
            "overdue",
            "items",
            "updated_at",
        ]
        read_only_fields = fields

    def get_items(self, obj) -> list[dict]:
        return [
            {"project": item.project_id, "measures": item.measures, "expected_date": item.expected_on}
            for item in obj.items.all()
        ]


@extend_schema(tags=["提示函"])
class LetterReplyViewSet(ApiViewSet):
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("提示函不存在或不在您的查看范围内。")

    def get_queryset(self):
        return reminder_queryset(self.request.user)

    @extend_schema(
        operation_id="reminders_reply_create",
        summary=gettext_lazy("书面回复督办函"),
        description=gettext_lazy(
            "被发函单位（或本区管理人员代录）书面回复：整改措施，及各项目的预计完成日期。只能回复一次。"
        ),
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("提示函 id"))
        ],
        request=ReplyInput,
        responses={201: LetterSerializer, **errors(*WRITE_ERRORS)},
    )
    def create(self, request, pk=None):
        reminder: Reminder = self.get_object()
        data = self.validated(ReplyInput)
        letter = Letter.objects.filter(reminder=reminder).first()
        if letter is None:
            raise IllegalTransition(_("该函尚未编号发出，不能回复。"))
        items = [dict(item) for item in data.pop("items", [])]
        letter_reply(letter=letter, by=request.user, items=items, **data)
        fresh = letter_queryset(request.user).prefetch_related("items").get(pk=letter.pk)
        return Response(LetterSerializer(fresh).data, status=status.HTTP_201_CREATED)
