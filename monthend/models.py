"""The month end's own records: what a checked publication adds to a frozen ledger, the annual
targets (年度目标任务) with their history, the scorecard weights and the stored scorecards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.money import MONEY
from pipeline.models import PublishedLedger
from projects.models import District, Industry, Unit


class Publication(models.Model):
    """A checked publication of a month's ledger: the pre-flight it was published with (and
    whether its gaps were confirmed), what changed since the previous version, and the 专项报告
    as of publication (its data, and the .docx once built), so the report never changes."""

    ledger = models.OneToOneField(
        PublishedLedger, on_delete=models.PROTECT, related_name="publication", verbose_name=_("已发布台账")
    )
    preflight = models.JSONField(_("发布前检查"))
    gaps = models.PositiveIntegerField(_("未完成事项数"), default=0)
    gaps_confirmed = models.BooleanField(_("已确认带缺项发布"), default=False)
    changes = models.JSONField(_("较上一版的变化"), null=True, blank=True)
    report = models.JSONField(_("专项报告内容"), null=True, blank=True)
    report_docx = models.BinaryField(_("专项报告文件"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发布检查记录")
        verbose_name_plural = _("发布检查记录")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.ledger)


TARGET_FIGURES = ("signed_count", "contract_investment", "started_count", "funds_in_place")
SUBSET_FIGURES = ("high_tech_signed_count", "advanced_signed_count", "advanced_contract_investment")


class TargetSheet(models.Model):
    """A district's annual targets for one year: one Target row per unit and one for the whole
    district (unit empty). Changed only with a recorded reason (TargetChange)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    year = models.PositiveSmallIntegerField(_("年度"))
    advanced_industry = models.ForeignKey(
        Industry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("先进制造产业（含下级）"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("设定人")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度目标任务")
        verbose_name_plural = _("年度目标任务")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="target_sheet_district_year")
        ]

    def __str__(self):
        return f"{self.district} {self.year}"


class Target(models.Model):
    sheet = models.ForeignKey(TargetSheet, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_count = models.PositiveIntegerField(_("新签约项目（个）"), null=True, blank=True)
    contract_investment = models.DecimalField(_("签约合同投资额（万元）"), **MONEY, null=True, blank=True)
    started_count = models.PositiveIntegerField(_("新开工项目（个）"), null=True, blank=True)
    funds_in_place = models.DecimalField(_("资金到位额（万元）"), **MONEY, null=True, blank=True)
    high_tech_signed_count = models.PositiveIntegerField(
        _("高新技术企业签约项目（个）"), null=True, blank=True
    )
    advanced_signed_count = models.PositiveIntegerField(_("先进制造签约项目（个）"), null=True, blank=True)
    advanced_contract_investment = models.DecimalField(
        _("先进制造签约合同投资额（万元）"), **MONEY, null=True, blank=True
    )

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [models.UniqueConstraint(fields=["sheet", "unit"], name="target_sheet_unit")]

    def __str__(self):
        return f"{self.sheet} {self.unit or _('全区')}"


class TargetChange(models.Model):
    """Each setting of a year's targets: who, when, why, and the values before and after."""

    sheet = models.ForeignKey(TargetSheet, on_delete=models.PROTECT, related_name="history")
    reason = models.TextField(_("调整理由"), blank=True)
    before = models.JSONField(_("调整前"), null=True, blank=True)
    after = models.JSONField(_("调整后"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目标调整记录")
        verbose_name_plural = _("目标调整记录")
        ordering = ["sheet_id", "id"]

    def __str__(self):
        return f"{self.sheet} {self.changed_at:%Y-%m-%d %H:%M}"


class ScoreWeights(models.Model):
    """A district's scorecard weights as set by a manager; every setting is a new row (the
    latest holds), and each stored scorecard keeps a copy of the weights it was scored with."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    weights = models.JSONField(_("权重"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ["district_id", "-id"]

    def __str__(self):
        return f"{self.district} {self.set_at:%Y-%m-%d %H:%M}"


class Scorecard(models.Model):
    """A scorecard as it stood when stored (at a month's publication): its period, weights,
    序时进度 and every unit's figures, score and rank, so a past score is reproducible."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    date_from = models.DateField(_("起始日"))
    date_to = models.DateField(_("截止日"))
    publication = models.OneToOneField(
        Publication, on_delete=models.PROTECT, null=True, blank=True, related_name="scorecard"
    )
    data = models.JSONField(_("考核结果"))
    stored_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["district_id", "-date_to", "-id"]

    def __str__(self):
        return f"{self.district} {self.date_from:%Y-%m-%d}–{self.date_to:%Y-%m-%d}"
