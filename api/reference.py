"""Reference data, read only and addressed by `code`: districts, units, parks, industries."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from api.base import ApiViewSet
from api.filters import DistrictFilter, IndustryFilter, ParkFilter, UnitFilter
from api.schema import DETAIL_ERRORS, errors, paged_list_errors
from projects.models import District, Industry, Park, Unit


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name", "short_code", "updated_at"]


class UnitSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("所属区县代码"))

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "district", "updated_at"]


class ParkSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("所属区县代码"))

    class Meta:
        model = Park
        fields = ["code", "name", "district", "updated_at"]


class IndustrySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("上级产业代码，顶层为 null"),
    )

    class Meta:
        model = Industry
        fields = ["code", "name", "parent", "updated_at"]


def _code_parameter(what):
    return OpenApiParameter(
        "code", str, OpenApiParameter.PATH, description=format_lazy(_("{what}代码"), what=what)
    )


def _reference_schema(what, serializer, note=""):
    return extend_schema_view(
        list=extend_schema(
            summary=format_lazy(_("{what}列表"), what=what),
            description=format_lazy(
                _("全部{what}，按代码排序。{note}登录用户均可读取。"), what=what, note=note
            ),
            tags=["基础数据"],
            responses={200: serializer, **paged_list_errors()},
        ),
        retrieve=extend_schema(
            summary=format_lazy(_("{what}详情"), what=what),
            description=format_lazy(_("按代码读取一个{what}。"), what=what),
            tags=["基础数据"],
            parameters=[_code_parameter(what)],
            responses={200: serializer, **errors(*DETAIL_ERRORS)},
        ),
    )


class ReferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def list(self, request, *args, **kwargs):
        return self.list_response(self.get_queryset())


@_reference_schema(_("区县"), DistrictSerializer)
class DistrictViewSet(ReferenceViewSet):
    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter
    default_ordering = ("code",)
    not_found_message = _("区县不存在。")


@_reference_schema(_("责任单位"), UnitSerializer, _("可按区县、类别筛选。"))
class UnitViewSet(ReferenceViewSet):
    queryset = Unit.objects.select_related("district")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    default_ordering = ("district__code", "code")
    not_found_message = _("责任单位不存在。")


@_reference_schema(_("园区"), ParkSerializer, _("可按区县筛选。"))
class ParkViewSet(ReferenceViewSet):
    queryset = Park.objects.select_related("district")
    serializer_class = ParkSerializer
    filterset_class = ParkFilter
    default_ordering = ("district__code", "code")
    not_found_message = _("园区不存在。")


@_reference_schema(
    _("产业"), IndustrySerializer, _("产业为树形：parent 为上级产业代码；按项目筛选时产业包含其下级。")
)
class IndustryViewSet(ReferenceViewSet):
    queryset = Industry.objects.select_related("parent")
    serializer_class = IndustrySerializer
    filterset_class = IndustryFilter
    default_ordering = ("code",)
    not_found_message = _("产业不存在。")
