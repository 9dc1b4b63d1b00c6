"""A subscription (`Webhook`: owner, URL, feed types, secret, its position in the feed) and its
deliveries, one per feed entry: the exact body sent, status, attempts, last response code and
duration — the delivery log the API and the admin show."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Webhook(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("所属账号"),
    )
    url = models.URLField(_("推送地址"), max_length=500)
    # Feed types to deliver ("event.recorded", or "project.*" for every project.… type); empty: all.
    types = models.JSONField(_("变更类型"), default=list, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    secret = models.CharField(_("签名密钥"), max_length=80)  # whsec_ + base64, shown once
    active = models.BooleanField(_("启用"), default=True)
    # The last feed seq turned into deliveries (or passed over as not wanted).
    last_seq = models.BigIntegerField(_("已处理到的序号"), default=0)
    disabled_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    disabled_reason = models.TextField(_("停用原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("Webhook 订阅")
        verbose_name_plural = _("Webhook 订阅")
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk} {self.url}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        SUCCEEDED = "succeeded", _("已送达")
        FAILED = "failed", _("失败")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("订阅")
    )
    seq = models.BigIntegerField(_("序号"))
    type = models.CharField(_("类型"), max_length=40)
    message_id = models.CharField(_("消息 id"), max_length=40)  # webhook-id, the same on every attempt
    body = models.TextField(_("内容"))  # the feed entry as sent, byte for byte, on every attempt
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    first_attempt_at = models.DateTimeField(_("首次尝试"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 推送记录")
        verbose_name_plural = _("Webhook 推送记录")
        ordering = ["webhook_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["webhook", "seq"], name="delivery_once_per_seq")]
        indexes = [models.Index(fields=["webhook", "status", "seq"], name="delivery_queue")]

    def __str__(self):
        return f"{self.message_id} → {self.webhook_id}"
