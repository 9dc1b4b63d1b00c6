"""Subscriptions and their delivery log in the admin; a delivery can be sent again from here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import webhook_scope
from webhooks.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("id", "url", "owner", "active", "last_seq", "disabled_at")
    list_filter = ("active",)
    search_fields = ("url", "owner__username")
    readonly_fields = ("owner", "last_seq", "disabled_at", "disabled_reason", "created_at", "updated_at")
    exclude = ("secret",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(webhook_scope(request.user))

    def has_add_permission(self, request):
        return False  # subscribed over the API, where the secret is shown once


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "webhook",
        "seq",
        "type",
        "status",
        "attempts",
        "response_code",
        "duration_ms",
        "last_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "webhook")
    search_fields = ("message_id", "type")
    actions = ["redeliver"]

    def get_queryset(self, request):
        scope = Webhook.objects.filter(webhook_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(webhook__in=scope)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新推送所选记录"))
    def redeliver(self, request, queryset):
        # Imported here: the admin loads its modules before the apps are ready, and the services
        # reach api.reports, whose figures the exits app registers in its ready().
        from webhooks.services import delivery_redeliver

        for delivery in queryset:
            delivery_redeliver(delivery=delivery, by=request.user)
