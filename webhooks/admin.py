"""Subscriptions and their delivery log in the admin, for administrators only (they reach
every district's changes); a delivery can be sent again from here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import ForAdministrators
from webhooks.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(ForAdministrators, admin.ModelAdmin):
    list_display = ("id", "url", "owner", "active", "last_seq", "disabled_at")
    list_filter = ("active",)
    search_fields = ("url", "owner__username")
    exclude = ("secret",)
    actions = ["resume", "pause"]

    def get_readonly_fields(self, request, obj=None):
        # Changed over the API (webhooks.services checks the URL and types); here, the actions.
        return [field.name for field in Webhook._meta.fields if field.name != "secret"]

    def has_add_permission(self, request):
        return False  # subscribed over the API, where the secret is shown once

    @admin.action(description=_("启用所选订阅（从停下处继续推送）"))
    def resume(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description=_("停用所选订阅"))
    def pause(self, request, queryset):
        self._set_active(request, queryset, False)

    def _set_active(self, request, queryset, active):
        from webhooks.services import webhook_update  # see `redeliver` below

        for webhook in queryset:
            webhook_update(webhook=webhook, by=request.user, active=active)


@admin.register(Delivery)
class DeliveryAdmin(ForAdministrators, admin.ModelAdmin):
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
