"""The change log: one row per change of a fact, written in the change's own transaction.

The one record serves three readers: the audit trail (变更记录: who, when, through which channel,
old → new), the API's changes feed (in `seq` order) and webhook deliveries (which follow the feed).
`seq` is handed out from `ChangeCounter` under a row lock taken at the end of the writing
transaction (changes.recording), so seq order is commit order and has no gaps: a reader that
keeps the last seq it processed and asks for what comes after it never misses a change.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")
    ADMIN = "admin", _("管理后台")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令")


class Change(models.Model):
    seq = models.BigIntegerField(_("序号"), primary_key=True)
    at = models.DateTimeField(_("时间"))
    type = models.CharField(_("类型"), max_length=40)  # e.g. project.updated, event.recorded
    object_type = models.CharField(_("对象类型"), max_length=30)  # e.g. project, event
    object_id = models.BigIntegerField(_("对象编号"))
    # Where it belongs, for scoping readers by role (plain numbers: a change outlives nothing it
    # points at, and reference data may be deleted).
    district_id = models.BigIntegerField(_("区县"), null=True, blank=True)
    unit_id = models.BigIntegerField(_("责任单位"), null=True, blank=True)
    project_id = models.BigIntegerField(_("项目"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # {"field": [old, new]}, JSON values (money and dates as text); a creation has old = null.
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    # Where the change came from beyond the channel, e.g. {"import": 7, "file": "…", "sha256": "…"}.
    source = models.JSONField(_("来源"), null=True, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["project_id", "seq"], name="change_project_seq"),
            models.Index(fields=["district_id", "seq"], name="change_district_seq"),
            models.Index(fields=["object_type", "object_id", "seq"], name="change_object_seq"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.type} {self.object_type}:{self.object_id}"


class ChangeCounter(models.Model):
    """A single row: the last seq handed out. Locked by the writer that is about to commit."""

    last = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.last)
