"""The shape every API view shares: role permission, strict filters, stable ordering,
pagination, and input validated by a serializer before one service call."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError

from api.filters import OrderingBackend, StrictFilterBackend
from api.permissions import RolePermission


class InputSerializer(serializers.Serializer):
    """Input only: unknown or read-only keys in the body are a 400, not silently dropped."""

    read_only_names: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            extra = sorted(set(data) - set(self.fields))
            if extra:
                raise ValidationError(
                    {
                        name: [
                            _("只读字段，不能修改。")
                            if name in self.read_only_names
                            else _("不支持的字段“%(name)s”。") % {"name": str(name)[:64]}
                        ]
                        for name in extra
                    },
                    code="unknown_field",
                )
            wrong = {
                name: message for name, value in data.items() if (message := self._wrong_type(name, value))
            }
            if wrong:
                raise ValidationError(
                    {name: [message] for name, message in wrong.items()}, code="invalid_value"
                )
        return super().to_internal_value(data)

    def _wrong_type(self, name, value):
        """JSON's own types, strictly: DRF would read 123 as the text "123" and "yes" as true."""
        field = self.fields.get(name)
        if value is None or field is None:
            return None
        if isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
            return _("应为 true 或 false（JSON 布尔值）。")
        if isinstance(field, serializers.CharField) and not isinstance(value, str):
            return _("应为文本（JSON 字符串）。")
        if isinstance(field, serializers.DecimalField | serializers.IntegerField) and isinstance(value, bool):
            return _("应为数值。")
        return None


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [RolePermission]
    filter_backends = [StrictFilterBackend, OrderingBackend]
    ordering_fields: dict[str, str] | None = None
    default_ordering: tuple[str, ...] = ("id",)
    not_found_message = None
    # The URL name of a created record's own address (201's Location); by default the
    # router's detail route of this viewset's basename.
    location_name: str | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code == 201 and not response.has_header("Location"):
            location = self.created_location(request, response)
            if location:
                response["Location"] = location
        return super().finalize_response(request, response, *args, **kwargs)

    def created_location(self, request, response) -> str | None:
        data = getattr(response, "data", None)
        if not isinstance(data, dict) or "id" not in data:
            return None
        name = self.location_name or f"api-v1:{self.basename}-detail"
        try:
            return request.build_absolute_uri(reverse(name, kwargs={"pk": data["id"]}))
        except NoReverseMatch:
            return None  # a record without an address of its own (a milestone, a review)

    def get_object(self):
        # Detail views look up within the caller's scope only; list filters do not apply.
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = self.get_queryset().get(**{self.lookup_field: self.kwargs[lookup]})
        except (self.get_queryset().model.DoesNotExist, ValueError, OverflowError):
            raise NotFound(self.not_found_message or _("记录不存在或不在您的查看范围内。")) from None
        self.check_object_permissions(self.request, obj)
        return obj

    def list_response(self, queryset, serializer_class=None, context=None):
        page = self.paginate_queryset(self.filter_queryset(queryset))
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(page, many=True, context=context or self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def validated(self, input_class, *, partial=False) -> dict:
        serializer = input_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
