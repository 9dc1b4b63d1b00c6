"""Investors (投资主体): shared records every signed-in user reads; writers register and edit."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from api.base import ApiViewSet, InputSerializer
from api.filters import InvestorFilter
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from projects.models import Investor
from projects.selectors import investor_queryset
from projects.services import investor_create, investor_update


class InvestorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Investor
        fields = [
            "id",
            "name",
            "credit_code",
            "origin",
            "is_high_tech",
            "is_foreign",
            "is_listed",
            "created_at",
            "updated_at",
        ]


class InvestorInput(InputSerializer):
    read_only_names = ("id", "created_at", "updated_at")

    name = serializers.CharField(max_length=128, help_text=gettext_lazy("投资主体名称"))
    credit_code = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "统一社会信用代码，18位，按 GB 32100 校验；境外主体可留空。已登记的代码返回 duplicate。"
        ),
    )
    origin = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=gettext_lazy("来源地")
    )
    is_high_tech = serializers.BooleanField(required=False, help_text=gettext_lazy("高新技术企业"))
    is_foreign = serializers.BooleanField(required=False, help_text=gettext_lazy("外资企业"))
    is_listed = serializers.BooleanField(required=False, help_text=gettext_lazy("上市企业"))


ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("投资主体 id"))


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("投资主体列表"),
        description=gettext_lazy("按 id 升序（可 ordering）。登录用户均可读取全部投资主体。"),
        responses={200: InvestorSerializer, **paged_list_errors()},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("投资主体详情"),
        parameters=[ID],
        responses={200: InvestorSerializer, **errors(*DETAIL_ERRORS)},
    ),
    create=extend_schema(
        summary=gettext_lazy("登记投资主体"),
        description=gettext_lazy("市级用户和只读账号不能登记（403）。"),
        request=InvestorInput,
        responses={201: InvestorSerializer, **errors(*WRITE_ERRORS)},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("修改投资主体"),
        description=gettext_lazy("只修改提交的字段。"),
        parameters=[ID],
        request=InvestorInput(partial=True),
        responses={200: InvestorSerializer, **errors(*WRITE_ERRORS)},
    ),
)
@extend_schema(tags=["投资主体"])
class InvestorViewSet(ApiViewSet):
    queryset = Investor.objects.none()
    serializer_class = InvestorSerializer
    filterset_class = InvestorFilter
    ordering_fields = {"id": "id", "name": "name", "updated_at": "updated_at"}
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return investor_queryset()

    def list(self, request):
        return self.list_response(self.get_queryset())

    def retrieve(self, request, pk=None):
        return Response(InvestorSerializer(self.get_object()).data)

    def create(self, request):
        investor = investor_create(by=request.user, **self.validated(InvestorInput))
        return Response(InvestorSerializer(investor).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        investor = self.get_object()
        investor = investor_update(
            investor=investor, by=request.user, **self.validated(InvestorInput, partial=True)
        )
        return Response(InvestorSerializer(investor).data)
