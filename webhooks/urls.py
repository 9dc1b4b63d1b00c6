"""/api/v1/webhooks/… (included by config/urls.py beside api.urls: this app sits above api)."""

from django.urls import path

from webhooks.api import DeliveryViewSet, WebhookViewSet

webhooks = WebhookViewSet.as_view({"get": "list", "post": "create"})
webhook = WebhookViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("webhooks/", webhooks, name="webhook-list"),
    path("webhooks/<int:pk>/", webhook, name="webhook-detail"),
    path(
        "webhooks/<int:webhook_id>/deliveries/",
        DeliveryViewSet.as_view({"get": "list"}),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        DeliveryViewSet.as_view({"post": "redeliver"}),
        name="webhook-redeliver",
    ),
]
