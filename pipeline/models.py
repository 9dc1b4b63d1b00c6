"""The lifecycle records: stage events, reviews, monthly progress, requests, reminders and
published ledgers. Events are immutable: a wrong one is voided, never edited or deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import AREA_M2, AREA_MU, MONEY, NON_NEGATIVE
from projects.lifecycle import Stage
from projects.models import District, Project, Unit


class ExitReason(models.TextChoices):
    LONG_UNSTARTED = "long_unstarted", _("长期未开工")
    BELOW_EXPECTATION = "below_expectation", _("投产后未达预期")
    INVESTOR_WITHDREW = "investor_withdrew", _("投资方撤回")
    NEGOTIATION_FAILED = "negotiation_failed", _("洽谈未果")
    POLICY = "policy", _("政策或规划调整")
    OTHER = "other", _("其他")


class StageEventQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(voided_at__isnull=True)


class StageEvent(models.Model):
    """One milestone of a project: the stage it entered, when, and the stage's data."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="events", verbose_name=_("项目")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=Stage.choices, blank=True, default="")
    date = models.DateField(_("发生日期"))
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    # signed
    contract_no = models.CharField(_("合同编号"), max_length=64, blank=True)
    contract_investment = models.DecimalField(
        _("合同投资额（万元）"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )
    # at_capacity
    actual_output = models.DecimalField(
        _("实际年产值（万元）"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )
    # terminated (exit review)
    reason = models.CharField(_("退出原因"), max_length=24, choices=ExitReason.choices, blank=True)
    reclaimed_land_mu = models.DecimalField(
        _("收回土地（亩）"),
        **AREA_MU,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    reclaimed_building_m2 = models.DecimalField(
        _("收回厂房（平方米）"),
        **AREA_M2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )

    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作废人"),
    )
    void_reason = models.TextField(_("作废原因"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    objects = StageEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段节点")
        verbose_name_plural = _("阶段节点")
        ordering = ["project_id", "date", "id"]
        indexes = [
            models.Index(fields=["project", "date", "id"], name="event_project_date"),
            models.Index(
                fields=["stage", "date"],
                condition=Q(voided_at__isnull=True),
                name="event_standing_stage_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.date:%Y-%m-%d}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Review(models.Model):
    """审议: industry assessment, expert opinion and department linkage, then a decision.

    An approving review is recorded together with the `approved` stage event; a rejecting
    one is kept on record and leaves the project negotiating.
    """

    class Decision(models.TextChoices):
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("不同意")
        # An approval whose `approved` event was voided: the review stays on record, no longer
        # standing (pipeline.transitions.event_void).
        VOIDED = "voided", _("同意（已作废）")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("项目")
    )
    date = models.DateField(_("审议日期"))
    industry_opinion = models.TextField(_("行业评估意见"))
    expert_opinion = models.TextField(_("专家论证意见"))
    department_opinion = models.TextField(_("部门联动意见"))
    decision = models.CharField(_("审议结论"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("备注"), blank=True)
    event = models.OneToOneField(
        StageEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review",
        verbose_name=_("对应节点"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    # What a review is recorded with (voided is what an approval becomes).
    RECORDED_DECISIONS = [
        (Decision.APPROVED.value, Decision.APPROVED.label),
        (Decision.REJECTED.value, Decision.REJECTED.label),
    ]

    class Meta:
        verbose_name = _("审议记录")
        verbose_name_plural = _("审议记录")
        ordering = ["project_id", "date", "id"]

    def __str__(self):
        return f"{self.project} {self.get_decision_display()} {self.date:%Y-%m-%d}"


class MonthlyProgress(models.Model):
    """进度跟踪台账: one record per project and month (stored as the month's first day)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="progress", verbose_name=_("项目")
    )
    month = models.DateField(_("月份"))
    funds_in_place = models.DecimalField(
        _("当月资金到位（万元）"), **MONEY, default=0, validators=NON_NEGATIVE
    )
    investment_completed = models.DecimalField(
        _("当月完成投资（万元）"), **MONEY, default=0, validators=NON_NEGATIVE
    )
    progress = models.TextField(_("进展情况"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("月度进展")
        verbose_name_plural = _("月度进展")
        ordering = ["project_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progress_project_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "project"], name="progress_month_project")]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}"


class Request(models.Model):
    """诉求: a problem a project needs solved, assigned to a unit with a due date."""

    class Category(models.TextChoices):
        LAND = "land", _("用地")
        PLANNING = "planning", _("规划")
        APPROVAL = "approval", _("审批")
        UTILITIES = "utilities", _("水电气讯")
        FINANCE = "finance", _("融资")
        LABOUR = "labour", _("用工")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        RESOLVED = "resolved", _("已解决")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="requests", verbose_name=_("项目")
    )
    category = models.CharField(_("诉求类别"), max_length=16, choices=Category.choices)
    description = models.TextField(_("诉求内容"))
    assigned_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assigned_requests", verbose_name=_("承办单位")
    )
    due_date = models.DateField(_("办结时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("办理结果"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    raised_on = models.DateField(_("提出日期"))
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办结人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["assigned_unit", "status"], name="request_unit_status")]

    def __str__(self):
        return f"{self.project.name}：{self.get_category_display()}"


class Reminder(models.Model):
    """工作提示函 / 催办函 sent to a unit for its overdue projects of one month."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("工作提示函")
        URGING = "urging", _("催办函")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("责任单位")
    )
    month = models.DateField(_("月份"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    projects = models.ManyToManyField(Project, related_name="reminders", verbose_name=_("涉及项目"))
    issued_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发出人"),
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签收人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("提示函/催办函")
        verbose_name_plural = _("提示函/催办函")
        ordering = ["-month", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="reminder_unit_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="reminder_month_first_day"),
        ]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m} {self.get_kind_display()}"


class PublishedLedger(models.Model):
    """A month's ledger frozen by a manager. Re-publishing adds a version; none is replaced."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="published_ledgers", verbose_name=_("区县")
    )
    month = models.DateField(_("月份"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    data = models.JSONField(_("台账内容"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    note = models.TextField(_("发布说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("已发布台账")
        verbose_name_plural = _("已发布台账")
        ordering = ["district_id", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "month", "version"], name="published_ledger_version_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="published_ledger_month_first_day"),
        ]

    def __str__(self):
        return f"{self.district} {self.month:%Y-%m} v{self.version}"
