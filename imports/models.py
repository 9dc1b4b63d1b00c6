"""An import of a 台账 workbook: the file, who uploaded it for which district and month, its
state and progress, and the report of its rows. Every project it created or updated is linked to
it (ImportedRecord), and so is every milestone whose date the sheet did not give (`date_unknown`);
every event it recorded is in the change log with the run, the file's name and SHA-256."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pipeline.models import StageEvent
from projects.models import District, Project


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("已预览")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        REFUSED = "refused", _("有错误，未导入")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("文件内容"), null=True, editable=False)
    month = models.DateField(_("台账月份"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    rows_total = models.PositiveIntegerField(_("行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写入行数"), default=0)
    report = models.JSONField(_("报告"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.REFUSED)

    def source(self) -> dict:
        """What the change log keeps of the import with every change it records."""
        return {"import": self.pk, "file": self.file_name, "sha256": self.sha256}


class ImportedRecord(models.Model):
    """A project an import created or updated, or a milestone it dated on the next one's date."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="records", verbose_name=_("导入")
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    event = models.OneToOneField(
        StageEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported",
        verbose_name=_("节点"),
    )
    created = models.BooleanField(_("新建项目"), default=False)
    date_unknown = models.BooleanField(
        _("日期未载明"), default=False, help_text=_("台账未写该节点的日期，按下一节点的日期记录。")
    )

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "project"],
                condition=models.Q(event__isnull=True),
                name="imported_project_once",
            )
        ]

    def __str__(self):
        return f"{self.run_id}: {self.project_id} {self.event_id or ''}".strip()
