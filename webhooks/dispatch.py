"""Delivering the feed to subscriptions, in the background worker (django-tasks).

After a transaction that wrote changes commits, `changes_committed` enqueues `pump` (one row in
the task table: all the user's request pays). `pump` turns each active subscription's new feed
entries into `Delivery` rows (body rendered once, in the owner's scope) and enqueues `deliver`
for the subscriptions with something due. `deliver` posts a subscription's oldest pending
delivery, and the next, holding that delivery's row lock (NOWAIT: a second worker on the same
subscription steps back), so each subscription receives its entries in seq order, one at a
time. A failure leaves the delivery at the head of the line and schedules `deliver` again after
an exponential backoff; a delivery still failing after WEBHOOK_RETRY_FOR (24 h) is marked
failed and the subscription is disabled, its owner told by mail. At least once: a worker that
dies after the POST but before its commit posts again.
"""

import datetime as dt
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task
from rest_framework.renderers import JSONRenderer

from api.feed import entries
from changes.models import Change
from changes.selectors import changes_after
from webhooks import signing
from webhooks.models import Delivery, Webhook

log = logging.getLogger(__name__)

FILL_BATCH = 500  # feed entries turned into deliveries per query
DELIVER_BATCH = 50  # deliveries one `deliver` job posts before handing the worker on


def changes_committed() -> None:
    """Called after a write commits (changes.recording.on_changes_committed): only enqueues."""
    if Webhook.objects.filter(active=True).exists():
        pump.enqueue()


@task()
def pump() -> None:
    for webhook_id in Webhook.objects.filter(active=True).values_list("pk", flat=True):
        if fill(webhook_id):
            deliver.enqueue(webhook_id)


def fill(webhook_id: int) -> bool:
    """Add deliveries for the subscription's feed entries after its position; whether one is
    due now. The subscription row is locked meanwhile, so two pumps never add the same entry."""
    while True:
        with transaction.atomic():
            webhook = (
                Webhook.objects.select_for_update().select_related("owner").filter(pk=webhook_id).first()
            )
            if webhook is None or not webhook.active:
                return False
            if not webhook.owner.is_active:
                # Its scope is empty meanwhile: wait rather than pass entries over for good.
                return False
            # Everything up to `top` has committed (seq order is commit order), so the rows
            # below it that are not wanted can be passed over for good.
            top = Change.objects.aggregate(top=Max("seq"))["top"] or 0
            changes = [
                change
                for change in changes_after(
                    webhook.owner, webhook.last_seq, limit=FILL_BATCH, types=webhook.types
                )
                if change.seq <= top
            ]
            full = len(changes) == FILL_BATCH
            if changes:
                renderer = JSONRenderer()
                Delivery.objects.bulk_create(
                    Delivery(
                        webhook=webhook,
                        seq=entry["seq"],
                        type=entry["type"],
                        message_id=f"msg_{entry['seq']}",
                        body=renderer.render(entry).decode(),
                    )
                    for entry in entries(changes, webhook.owner)
                )
            webhook.last_seq = changes[-1].seq if full else max(top, webhook.last_seq)
            Webhook.objects.filter(pk=webhook.pk).update(last_seq=webhook.last_seq)
        if not full:
            return Delivery.objects.filter(
                webhook_id=webhook_id, status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now()
            ).exists()


@task()
def deliver(webhook_id: int) -> None:
    for _ in range(DELIVER_BATCH):
        if deliver_next(webhook_id) != "delivered":
            return
    deliver.enqueue(webhook_id)  # more waiting: let the worker take other jobs in between


def deliver_next(webhook_id: int) -> str:
    """Post the subscription's oldest pending delivery if it is due: `delivered`, `failed`
    (retry scheduled, or the subscription disabled), `waiting`, `idle` or `busy`."""
    try:
        with transaction.atomic():
            webhook = Webhook.objects.filter(pk=webhook_id, active=True).first()
            if webhook is None:
                return "idle"
            head = (
                Delivery.objects.select_for_update(nowait=True)
                .filter(webhook_id=webhook_id, status=Delivery.Status.PENDING)
                .order_by("seq")
                .first()
            )
            if head is None:
                return "idle"
            now = timezone.now()
            if head.next_attempt_at > now:
                return "waiting"  # its retry is already scheduled
            ok = attempt(webhook, head, now)
            if ok:
                head.status, head.delivered_at = Delivery.Status.SUCCEEDED, timezone.now()
            elif now - head.first_attempt_at >= dt.timedelta(seconds=settings.WEBHOOK_RETRY_FOR):
                head.status = Delivery.Status.FAILED
                disable(webhook, head)
            else:
                head.next_attempt_at = now + backoff(head.attempts)
                deliver.using(run_after=head.next_attempt_at).enqueue(webhook_id)
            head.save()
            return "delivered" if ok else "failed"
    except OperationalError:  # another worker holds this subscription's head: it delivers
        return "busy"


def backoff(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: base × 2^(n−1), at most WEBHOOK_RETRY_MAX_DELAY."""
    seconds = settings.WEBHOOK_RETRY_BASE * 2 ** min(attempts - 1, 30)
    return dt.timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_DELAY))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer other than 2xx: a failed attempt


_opener = urllib.request.build_opener(_NoRedirects)


def attempt(webhook: Webhook, delivery: Delivery, now) -> bool:
    """One signed POST; records the attempt (response code, duration, error) on `delivery`."""
    body = delivery.body.encode()
    headers = signing.headers(webhook.secret, delivery.message_id, int(time.time()), body)
    request = urllib.request.Request(webhook.url, data=body, headers=headers, method="POST")
    started = time.monotonic()
    code, error = None, ""
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            code = response.status
            response.read(1024)
    except urllib.error.HTTPError as failure:
        code, error = failure.code, f"HTTP {failure.code}"
    except (OSError, ValueError) as failure:  # refused, timed out, unresolvable, bad URL
        error = f"{type(failure).__name__}: {failure}"
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    delivery.attempts += 1
    delivery.first_attempt_at = delivery.first_attempt_at or now
    delivery.last_attempt_at = now
    delivery.response_code = code
    ok = code is not None and 200 <= code < 300
    delivery.error = "" if ok else (error or f"HTTP {code}")[:300]
    return ok


def disable(webhook: Webhook, delivery: Delivery) -> None:
    reason = (
        f"{delivery.message_id} ({delivery.type}) failed {delivery.attempts} times since "
        f"{timezone.localtime(delivery.first_attempt_at):%Y-%m-%d %H:%M %Z}: {delivery.error}"
    )
    Webhook.objects.filter(pk=webhook.pk).update(
        active=False, disabled_at=timezone.now(), disabled_reason=reason, updated_at=timezone.now()
    )
    log.warning("webhook %s disabled: %s", webhook.pk, reason)
    email = webhook.owner.email if webhook.owner_id else ""
    if email:
        transaction.on_commit(
            lambda: send_mail(
                f"Webhook #{webhook.pk} disabled / 已停用",
                f"{webhook.url}\n\n{reason}\n\nPATCH /api/v1/webhooks/{webhook.pk}/ "
                '{"active": true} resumes delivery from the failed entry (redeliver it first).',
                None,
                [email],
                fail_silently=True,
            )
        )
