"""Reminders (工作提示函 / 催办函) over the API: thin views over pipeline.reminders.

GET  /api/v1/reminders/                     the caller's reminders (month, unit, kind, district,
                                             acknowledged, updated_since); paginated
GET  /api/v1/reminders/{id}/                one reminder with its projects as of the month's end
POST /api/v1/reminders/issue/               a district manager issues a month {"month", "district"}
POST /api/v1/reminders/{id}/acknowledge/    签收 (staff of the unit or a manager of the district)
"""

import django_filters as filters
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.fields import MonthField
from api.filters import updated_since_filter
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from core.dates import local_today, parse_month
from core.errors import InvalidValue
from pipeline.models import Reminder
from pipeline.reminders import reminder_acknowledge, reminder_projects, reminder_queryset
from projects.models import District, Project, Unit
from supervision.letters import letters_issue


class ReminderFilter(filters.FilterSet):
    month = filters.CharFilter(label=gettext_lazy("月份（YYYY-MM）"), method="filter_month")
    district = filters.ModelChoiceFilter(
        label=gettext_lazy("区县代码"),
        queryset=District.objects.all(),
        to_field_name="code",
        field_name="unit__district",
    )
    unit = filters.ModelChoiceFilter(
        label=gettext_lazy("责任单位代码"), queryset=Unit.objects.all(), to_field_name="code"
    )
    kind = filters.ChoiceFilter(label=gettext_lazy("类别"), choices=Reminder.Kind.choices)
    acknowledged = filters.BooleanFilter(
        label=gettext_lazy("是否已签收"), field_name="acknowledged_at", lookup_expr="isnull", exclude=True
    )
    updated_since = updated_since_filter()

    class Meta:
        model = Reminder
        fields = []

    def filter_month(self, queryset, name, value):
        try:
            return queryset.filter(month=parse_month(value))
        except ValueError as exc:
            raise ValidationError({name: [str(exc)]}, code="invalid_value") from None


def _person(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


class ProjectBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class LetterBriefSerializer(serializers.Serializer):
    document_number = serializers.CharField(help_text=gettext_lazy("文号，如 九龙坡招商〔2026〕12号"))
    district_leader = serializers.CharField(help_text=gettext_lazy("主送：分管区领导"))
    head = serializers.CharField(help_text=gettext_lazy("主送：主要负责人"))
    reply_due = serializers.DateField(help_text=gettext_lazy("书面回复期限"))
    replied_on = serializers.DateField(allow_null=True, help_text=gettext_lazy("回复日期；未回复为 null"))
    reply_text = serializers.CharField(help_text=gettext_lazy("回复内容"))
    overdue = serializers.BooleanField(help_text=gettext_lazy("已过回复期限仍未回复"))


def letter_of(reminder):
    try:
        letter = reminder.letter
    except ObjectDoesNotExist:
        return None
    letter.overdue = letter.replied_on is None and letter.reply_due < local_today()
    return LetterBriefSerializer(letter).data


class ReminderSerializer(serializers.ModelSerializer):
    """A reminder in lists: who, which month, which kind, which projects, issued and signed."""

    unit = serializers.CharField(source="unit.code", help_text=gettext_lazy("责任单位代码"))
    unit_name = serializers.CharField(source="unit.name")
    district = serializers.CharField(source="unit.district.code", help_text=gettext_lazy("区县代码"))
    month = MonthField(help_text=gettext_lazy("月份 YYYY-MM（按该月月末台账认定逾期）"))
    kind = serializers.ChoiceField(
        choices=Reminder.Kind.choices,
        help_text=gettext_lazy("notice（工作提示函）或 urging（催办函：上月已提示的项目仍逾期）"),
    )
    kind_display = serializers.CharField(
        source="get_kind_display", help_text=gettext_lazy("工作提示函 / 催办函")
    )
    project_count = serializers.IntegerField()
    projects = ProjectBriefSerializer(many=True, help_text=gettext_lazy("涉及的逾期项目（按编号）"))
    issued_by = serializers.SerializerMethodField(help_text=gettext_lazy("发出人"))
    acknowledged_by = serializers.SerializerMethodField(help_text=gettext_lazy("签收人；未签收为 null"))
    is_acknowledged = serializers.SerializerMethodField()
    letter = serializers.SerializerMethodField(
        help_text=gettext_lazy("编号发出的督办函：文号、主送、回复期限与回复；未编号为 null")
    )

    class Meta:
        model = Reminder
        fields = [
            "id",
            "unit",
            "unit_name",
            "district",
            "month",
            "kind",
            "kind_display",
            "project_count",
            "projects",
            "issued_at",
            "issued_by",
            "is_acknowledged",
            "acknowledged_at",
            "acknowledged_by",
            "letter",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_issued_by(self, obj) -> str | None:
        return _person(obj.issued_by)

    def get_acknowledged_by(self, obj) -> str | None:
        return _person(obj.acknowledged_by)

    def get_is_acknowledged(self, obj) -> bool:
        return obj.acknowledged_at is not None

    @extend_schema_field(LetterBriefSerializer(allow_null=True))
    def get_letter(self, obj):
        return letter_of(obj)


class ReminderItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField(help_text=gettext_lazy("月末所处阶段"))
    stage_label = serializers.CharField()
    stage_since = serializers.DateField(help_text=gettext_lazy("进入该阶段的日期"))
    months_in_stage = serializers.IntegerField(help_text=gettext_lazy("至月末已满的月数"))
    planned_production_date = serializers.DateField(allow_null=True)
    reason = serializers.CharField(help_text=gettext_lazy("谈而未定 / 定而未落 / 逾期未投产"))
    still_overdue = serializers.BooleanField(
        help_text=gettext_lazy("按现在的节点重新计算该月台账是否仍为逾期（发函后补录的节点可能改变）")
    )
    repeated = serializers.BooleanField(help_text=gettext_lazy("上月提示函/催办函中已列出"))


class ReminderDetailSerializer(ReminderSerializer):
    items = serializers.SerializerMethodField(help_text=gettext_lazy("各项目截至月末的阶段、时长与逾期情形"))

    class Meta(ReminderSerializer.Meta):
        fields = [*ReminderSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(ReminderItemSerializer(many=True))
    def get_items(self, obj) -> list[dict]:
        return ReminderItemSerializer(reminder_projects(obj), many=True).data


class IssueInput(InputSerializer):
    month = serializers.CharField(help_text=gettext_lazy("月份 YYYY-MM；该月须已结束"))
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        required=False,
        help_text=gettext_lazy("区县代码；缺省为当前用户所属区县"),
    )


class IssueResultSerializer(serializers.Serializer):
    district = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM")
    as_of = serializers.DateField(help_text=gettext_lazy("按此日（月末）的台账认定逾期"))
    created = ReminderSerializer(many=True, help_text=gettext_lazy("本次新发的函"))
    extended = ReminderSerializer(many=True, help_text=gettext_lazy("已发未签收、本次补充了新逾期项目的函"))
    already_issued = ReminderSerializer(many=True, help_text=gettext_lazy("该月已发过、本次未改变的函"))


ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("提示函 id"))


@extend_schema(tags=["提示函"])
class ReminderViewSet(ApiViewSet):
    queryset = Reminder.objects.none()
    serializer_class = ReminderSerializer
    filterset_class = ReminderFilter
    ordering_fields = {"id": "id", "month": "month", "updated_at": "updated_at"}
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("提示函不存在或不在您的查看范围内。")

    def get_queryset(self):
        return (
            reminder_queryset(self.request.user)
            .select_related("letter")
            .prefetch_related(_projects_prefetch())
        )

    @extend_schema(
        summary=gettext_lazy("提示函列表"),
        description=(
            gettext_lazy(
                "工作提示函/催办函：单位工作人员看到本单位的，区管理人员和区县系统账号看到本区的，"
                "市级用户看到全部。默认按 id 升序（可 ordering=month 等），配合 updated_since 增量同步"
                "（签收、补充项目都会更新 updated_at）。"
            )
        ),
        responses={200: ReminderSerializer, **paged_list_errors()},
    )
    def list(self, request):
        return self.list_response(self.get_queryset())

    @extend_schema(
        summary=gettext_lazy("提示函详情"),
        description=(
            gettext_lazy(
                "含 items：各项目截至该月月末的阶段、进入日期、已满月数和逾期情形"
                "（谈而未定/定而未落/逾期未投产）。"
            )
        ),
        parameters=[ID],
        responses={200: ReminderDetailSerializer, **errors(*DETAIL_ERRORS)},
    )
    def retrieve(self, request, pk=None):
        return Response(ReminderDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary=gettext_lazy("生成某月提示函"),
        description=(
            gettext_lazy(
                "区招商投资局管理人员（或区县系统账号）为该区生成某月的提示函：每个在该月月末台账中有逾期项目的"
                "责任单位一份；若该单位上月的函已列出其中任一项目，则为催办函，否则为工作提示函。可重复调用："
                "已发过的单位不重复发函（列在 already_issued）；已发未签收的函会补充此后新认定逾期的项目"
                "（列在 extended），不会删除已列项目。有新发的函返回 201，否则 200。"
            )
        ),
        request=IssueInput,
        examples=[
            OpenApiExample(
                "issue_2025_10",
                summary=gettext_lazy("生成2025年10月"),
                value={"month": "2025-10", "district": "jiulongpo"},
            )
        ],
        responses={201: IssueResultSerializer, 200: IssueResultSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=False, methods=["post"], url_path="issue")
    def issue(self, request):
        data = self.validated(IssueInput)
        district = data.get("district")
        if district is None:
            district_id = getattr(request.user, "home_district_id", None)
            district = District.objects.filter(pk=district_id).first() if district_id else None
            if district is None:
                raise InvalidValue(_("请指定区县。"), field="district")
        result = letters_issue(district=district, month=data["month"], by=request.user)
        touched = [r.pk for r in (*result.created, *result.extended, *result.already_issued)]
        fresh = {r.pk: r for r in self.get_queryset().filter(pk__in=touched)}

        def rows(reminders):
            return ReminderSerializer([fresh[r.pk] for r in reminders if r.pk in fresh], many=True).data

        body = {
            "district": district.code,
            "month": f"{result.month:%Y-%m}",
            "as_of": result.as_of.isoformat(),
            "created": rows(result.created),
            "extended": rows(result.extended),
            "already_issued": rows(result.already_issued),
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        summary=gettext_lazy("签收提示函"),
        description=gettext_lazy(
            "被提示单位的工作人员或本区管理人员签收；只能签收一次，再次签收返回 400 duplicate。"
        ),
        parameters=[ID],
        request=None,
        responses={200: ReminderDetailSerializer, **errors(*WRITE_ERRORS)},
    )
    @action(detail=True, methods=["post"], url_path="acknowledge")
    def acknowledge(self, request, pk=None):
        if request.data:
            raise ValidationError(
                {name: [_("不支持的字段“%(name)s”。") % {"name": str(name)[:64]}] for name in request.data},
                code="unknown_field",
            )
        reminder = reminder_acknowledge(reminder=self.get_object(), by=request.user)
        return Response(ReminderDetailSerializer(self.get_queryset().get(pk=reminder.pk)).data)


def _projects_prefetch():
    return Prefetch("projects", queryset=Project.objects.only("id", "code", "name").order_by("code"))
