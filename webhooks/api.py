"""/api/v1/webhooks/: a system account's subscriptions, their delivery log, redelivery."""

from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts import roles
from api.base import ApiViewSet, InputSerializer
from api.schema import DETAIL_ERRORS, WRITE_ERRORS, errors, paged_list_errors
from webhooks.models import Delivery, Webhook
from webhooks.services import delivery_redeliver, webhook_create, webhook_delete, webhook_update

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=gettext_lazy("订阅 id"))
WEBHOOK_ID = OpenApiParameter("webhook_id", int, OpenApiParameter.PATH, description=gettext_lazy("订阅 id"))
DELIVERY_ID = OpenApiParameter(
    "delivery_id", int, OpenApiParameter.PATH, description=gettext_lazy("推送记录 id")
)


class WebhookPermission(BasePermission):
    message = gettext_lazy("只有系统账号可以管理 Webhook。")
    code = "forbidden"

    def has_permission(self, request, view) -> bool:
        return roles.can_manage_webhooks(request.user)


class WebhookSerializer(serializers.ModelSerializer):
    types = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("推送的变更类型（如 event.recorded、project.*）；空为全部"),
    )
    owner = serializers.CharField(source="owner.username", read_only=True, help_text=gettext_lazy("所属账号"))

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "types",
            "description",
            "active",
            "owner",
            "last_seq",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CreatedWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text=gettext_lazy("签名密钥 whsec_…，只在创建时返回这一次")
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookInput(InputSerializer):
    read_only_names = ("id", "owner", "last_seq", "disabled_at", "disabled_reason", "created_at", "secret")

    url = serializers.CharField(
        max_length=500, help_text=gettext_lazy("接收推送的地址（http:// 或 https://）")
    )
    types = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=100,
        help_text=gettext_lazy("变更流的类型（event.recorded），或 project.* 表示一类；不填为全部"),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=gettext_lazy("说明")
    )
    active = serializers.BooleanField(
        required=False, help_text=gettext_lazy("启用；停用的订阅重新启用后从失败那条之后继续推送")
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "seq",
            "type",
            "message_id",
            "status",
            "attempts",
            "response_code",
            "duration_ms",
            "error",
            "first_attempt_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


class DeliveryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(label=gettext_lazy("状态"), choices=Delivery.Status.choices)

    class Meta:
        model = Delivery
        fields = []


@extend_schema(tags=["Webhook"])
class WebhookViewSet(ApiViewSet):
    permission_classes = [WebhookPermission]
    queryset = Webhook.objects.none()
    serializer_class = WebhookSerializer
    filterset_class = None
    ordering_fields = {"id": "id"}
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("Webhook 订阅不存在或不属于您。")

    def get_queryset(self):
        return Webhook.objects.filter(roles.webhook_scope(self.request.user)).select_related("owner")

    @extend_schema(
        summary=gettext_lazy("Webhook 订阅列表"), responses={200: WebhookSerializer, **paged_list_errors()}
    )
    def list(self, request):
        return self.list_response(self.get_queryset())

    @extend_schema(
        summary=gettext_lazy("订阅 Webhook"),
        description=gettext_lazy(
            "系统账号订阅变更流：此后提交的每条（符合 types 的）变更都以 POST 推送到 url，"
            "正文为变更流的一条，"
            "带 webhook-id、webhook-timestamp、webhook-signature（Standard Webhooks：v1, + base64 "
            "HMAC-SHA256(密钥, id.timestamp.正文)）。密钥 secret 只在此响应中出现一次。"
        ),
        request=WebhookInput,
        responses={201: CreatedWebhookSerializer, **errors(*WRITE_ERRORS)},
    )
    def create(self, request):
        webhook = webhook_create(by=request.user, **self.validated(WebhookInput))
        return Response(CreatedWebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Webhook 订阅详情"),
        parameters=[ID],
        responses={200: WebhookSerializer, **errors(*DETAIL_ERRORS)},
    )
    def retrieve(self, request, pk=None):
        return Response(WebhookSerializer(self.get_object()).data)

    @extend_schema(
        summary=gettext_lazy("修改 Webhook 订阅"),
        parameters=[ID],
        request=WebhookInput(partial=True),
        responses={200: WebhookSerializer, **errors(*WRITE_ERRORS)},
    )
    def partial_update(self, request, pk=None):
        webhook = webhook_update(
            webhook=self.get_object(), by=request.user, **self.validated(WebhookInput, partial=True)
        )
        return Response(WebhookSerializer(webhook).data)

    @extend_schema(
        summary=gettext_lazy("删除 Webhook 订阅"),
        parameters=[ID],
        responses={204: None, **errors(*DETAIL_ERRORS)},
    )
    def destroy(self, request, pk=None):
        webhook_delete(webhook=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["Webhook"])
class DeliveryViewSet(ApiViewSet):
    permission_classes = [WebhookPermission]
    queryset = Delivery.objects.none()
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = {"id": "id", "seq": "seq"}
    default_ordering = ("-seq", "-id")
    lookup_value_regex = r"[0-9]+"
    not_found_message = gettext_lazy("推送记录不存在或不属于您。")

    def get_queryset(self):
        return Delivery.objects.filter(
            webhook__in=Webhook.objects.filter(roles.webhook_scope(self.request.user)),
            webhook_id=self.kwargs["webhook_id"],
        )

    @extend_schema(
        summary=gettext_lazy("推送记录"),
        description=gettext_lazy(
            "该订阅的每条推送：状态、尝试次数、最近一次的响应码和耗时、错误。默认最新的在前。"
        ),
        parameters=[WEBHOOK_ID],
        responses={200: DeliverySerializer, **paged_list_errors()},
    )
    def list(self, request, webhook_id=None):
        self._webhook()
        return self.list_response(self.get_queryset())

    @extend_schema(
        summary=gettext_lazy("重新推送"),
        description=gettext_lazy("把这条推送放回队列（同一 webhook-id），立即按 seq 顺序重新推送。"),
        parameters=[WEBHOOK_ID, DELIVERY_ID],
        request=None,
        responses={202: DeliverySerializer, **errors(400, 403, *DETAIL_ERRORS)},
    )
    def redeliver(self, request, webhook_id=None, delivery_id=None):
        self.kwargs["pk"] = delivery_id
        delivery = delivery_redeliver(delivery=self.get_object(), by=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    def _webhook(self):
        mine = Webhook.objects.filter(roles.webhook_scope(self.request.user), pk=self.kwargs["webhook_id"])
        if not mine.exists():
            raise NotFound(WebhookViewSet.not_found_message)
