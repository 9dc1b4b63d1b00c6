"""Exit reviews (终止项目审议退出): a stalled project is proposed for exit or for keeping by its
unit, or a manager opens the review; opinions are recorded; a manager decides. An `exit` is
the 终止 milestone (pipeline.transitions) written in the same transaction; a `keep` takes the
project off the screening list until a date. Nothing here is deleted: every review is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pipeline.models import StageEvent
from projects.models import Project


class Choice(models.TextChoices):
    EXIT = "exit", _("退出")
    KEEP = "keep", _("保留")


PROPOSAL_LABELS = {Choice.EXIT: _("提请退出"), Choice.KEEP: _("申请保留")}


class ExitReview(models.Model):
    class Origin(models.TextChoices):
        UNIT = "unit", _("责任单位提请")
        BUREAU = "bureau", _("区招商投资局发起")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="exit_reviews", verbose_name=_("项目")
    )
    origin = models.CharField(_("发起方"), max_length=8, choices=Origin.choices)
    proposal = models.CharField(_("提请事项"), max_length=8, choices=Choice.choices)
    reason = models.TextField(_("提请理由"))
    opened_on = models.DateField(_("提请日期"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提请人")
    )
    opened_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    decision = models.CharField(_("审议结论"), max_length=8, choices=Choice.choices, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    reclaimed_land_mu = models.DecimalField(
        _("收回土地（亩）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reclaimed_building_m2 = models.DecimalField(
        _("收回厂房（平方米）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    keep_until = models.DateField(_("保留至"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定录入时间"), null=True, blank=True)
    event = models.OneToOneField(
        StageEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exit_review",
        verbose_name=_("终止节点"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("退出审议")
        verbose_name_plural = _("退出审议")
        ordering = ["-opened_on", "-id"]
        constraints = [
            # One review under way per project at a time.
            models.UniqueConstraint(
                fields=["project"], condition=Q(decision=""), name="exit_review_one_open_per_project"
            ),
            models.CheckConstraint(
                condition=Q(decision="")
                | Q(decision="exit", decided_on__isnull=False, reclaimed_land_mu__isnull=False)
                | Q(decision="keep", decided_on__isnull=False, keep_until__isnull=False),
                name="exit_review_decision_complete",
            ),
        ]
        indexes = [models.Index(fields=["decision", "decided_on"], name="exit_review_decided")]

    def __str__(self):
        return f"{self.project} {self.get_proposal_display()} {self.opened_on:%Y-%m-%d}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def proposal_label(self) -> str:
        return str(PROPOSAL_LABELS[self.proposal])


class ExitOpinion(models.Model):
    """One opinion on a review: the unit's, the industry department's, or anyone else's."""

    review = models.ForeignKey(
        ExitReview, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("退出审议")
    )
    source = models.CharField(_("意见来源"), max_length=64)
    text = models.TextField(_("意见"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["review_id", "id"]

    def __str__(self):
        return f"{self.source}：{self.text[:20]}"
