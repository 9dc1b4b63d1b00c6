from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = _("Webhook 推送")

    def ready(self):
        from changes.recording import on_changes_committed
        from webhooks.dispatch import changes_committed

        # changes sits below this app: it calls back after each transaction that wrote changes.
        on_changes_committed(changes_committed)
