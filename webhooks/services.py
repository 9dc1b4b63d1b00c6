"""Subscribing, changing and removing webhooks, and redelivering: for system accounts
(accounts.roles.can_manage_webhooks), each on its own subscriptions (roles.webhook_scope)."""

import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from changes.models import Change
from core.errors import InvalidValue, MissingField
from webhooks import signing
from webhooks.dispatch import deliver, pump
from webhooks.models import Delivery, Webhook

TYPE_PATTERN = re.compile(r"^[a-z_]{1,30}\.([a-z_]{1,30}|\*)$")


def _clean_url(url) -> str:
    url = (url or "").strip()
    if not url:
        raise MissingField(_("请填写推送地址。"), field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise InvalidValue(
            _("推送地址应为 http:// 或 https:// 开头的网址（不超过 500 个字符）。"), field="url"
        )
    return url


def _clean_types(types) -> list[str]:
    types = list(types or [])
    for name in types:
        if not isinstance(name, str) or not TYPE_PATTERN.match(name):
            raise InvalidValue(
                _("变更类型“%(name)s”无效：应为变更流的类型，如 event.recorded，或 project.* 表示一类。")
                % {"name": str(name)[:64]},
                field="types",
            )
    return sorted(set(types))


@transaction.atomic
def webhook_create(*, by, url, types=(), description="") -> Webhook:
    """Subscribe `url`. It receives the changes committed from now on (a first load reads the
    feed or the exports); the secret is on the returned object, shown to the caller once."""
    roles.require(roles.can_manage_webhooks(by), _("只有系统账号可以订阅 Webhook。"))
    top = Change.objects.aggregate(top=Max("seq"))["top"] or 0
    return Webhook.objects.create(
        owner=by,
        url=_clean_url(url),
        types=_clean_types(types),
        description=(description or "").strip()[:200],
        secret=signing.new_secret(),
        last_seq=top,
    )


@transaction.atomic
def webhook_update(*, webhook: Webhook, by, **fields) -> Webhook:
    """Change the URL, types, description or `active`. Turning a disabled subscription back on
    resumes with the entries after the failed one (redeliver that one on request)."""
    roles.require(roles.can_manage_webhooks(by), _("只有系统账号可以管理 Webhook。"))
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if "url" in fields:
        webhook.url = _clean_url(fields["url"])
    if "types" in fields:
        webhook.types = _clean_types(fields["types"])
    if "description" in fields:
        webhook.description = (fields["description"] or "").strip()[:200]
    resumed = False
    if "active" in fields:
        resumed = bool(fields["active"]) and not webhook.active
        webhook.active = bool(fields["active"])
        if resumed:
            webhook.disabled_at, webhook.disabled_reason = None, ""
    webhook.save()
    if resumed:
        _wake()
    return webhook


def webhook_delete(*, webhook: Webhook, by) -> None:
    roles.require(roles.can_manage_webhooks(by), _("只有系统账号可以管理 Webhook。"))
    webhook.delete()


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, by) -> Delivery:
    """Send a delivery again (a failed one, or a delivered one a receiver lost): it goes back to
    the queue at its seq's place, posted with the same webhook-id, now."""
    roles.require(roles.can_manage_webhooks(by), _("只有系统账号可以管理 Webhook。"))
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.first_attempt_at = None  # a new retry window
    delivery.save()
    webhook_id = delivery.webhook_id
    transaction.on_commit(lambda: _deliver_soon(webhook_id))
    return delivery


def _wake():
    transaction.on_commit(pump.enqueue)


def _deliver_soon(webhook_id):
    deliver.enqueue(webhook_id)
