"""督办 (supervision): the 专班 and 推进方案 of a project, the scheduling meetings (调度会商), the one
督办事项 (task) model for everything a unit must answer, and the numbered letters with their replies.

A task's history is its steps (TaskStep), never rewritten; its status and dates are kept on the
task by the services (supervision/services.py) in the same transaction as the step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pipeline.models import Reminder
from projects.models import District, Project, Unit

USER = settings.AUTH_USER_MODEL


class UnitLeaders(models.Model):
    """The names a letter is addressed to: the unit's 分管区领导 and 主要负责人."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="leaders", verbose_name=_("责任单位")
    )
    district_leader = models.CharField(_("分管区领导"), max_length=32, blank=True)
    head = models.CharField(_("主要负责人"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位负责人")
        verbose_name_plural = _("单位负责人")

    def __str__(self):
        return f"{self.unit.name}：{self.district_leader} {self.head}"


class TaskForce(models.Model):
    """专班: one per project — the leader (包抓领导), the lead unit, members and the 推进方案."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="task_force_record", verbose_name=_("项目")
    )
    leader = models.CharField(_("包抓领导"), max_length=32)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位")
    )
    plan = models.TextField(_("推进方案"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("专班")
        verbose_name_plural = _("专班")

    def __str__(self):
        return f"{self.project.name} 专班"


class TaskForceMember(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=32)
    unit = models.CharField(_("单位"), max_length=64, blank=True)
    role = models.CharField(_("专班职责"), max_length=32, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("专班成员")
        verbose_name_plural = _("专班成员")
        ordering = ["task_force_id", "id"]

    def __str__(self):
        return self.name


class PlanStep(models.Model):
    """A dated step of the 推进方案 (land, planning permit, construction permit, utilities…)."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("节点"), max_length=64)
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("推进节点")
        verbose_name_plural = _("推进节点")
        ordering = ["task_force_id", "planned_on", "id"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """调度会商: a scheduling meeting, its minutes, and the tasks it handed out (交办事项)."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("周调度会")
        MONTHLY = "monthly", _("月度调度会")
        ON_SITE = "on_site", _("现场办公会")
        JOINT = "joint", _("联席会议")
        TOPIC = "topic", _("专题会")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    date = models.DateField(_("会议日期"))
    kind = models.CharField(_("会议类别"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=128)
    chair = models.CharField(_("主持人"), max_length=32)
    units = models.ManyToManyField(Unit, related_name="+", blank=True, verbose_name=_("参会单位"))
    projects = models.ManyToManyField(
        Project, related_name="meetings", blank=True, verbose_name=_("研究项目")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("调度会商")
        verbose_name_plural = _("调度会商")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"


class Letter(models.Model):
    """The numbered letter (工作提示函 / 催办函) a reminder is sent as: its document number, the
    names it is addressed to, the reply deadline, and the unit's written reply."""

    reminder = models.OneToOneField(Reminder, on_delete=models.PROTECT, related_name="letter")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    document_number = models.CharField(_("文号"), max_length=64)
    district_leader = models.CharField(_("分管区领导"), max_length=32, blank=True)
    head = models.CharField(_("主要负责人"), max_length=32, blank=True)
    reply_due = models.DateField(_("回复期限"))
    reply_text = models.TextField(_("回复内容"), blank=True)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    replied_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("回复人")
    )
    replied_at = models.DateTimeField(_("回复录入时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("督办函")
        verbose_name_plural = _("督办函")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "number"], name="letter_number_unique"),
        ]

    def __str__(self):
        return self.document_number


class LetterCounter(models.Model):
    """The last letter number issued per district and year; locked while numbering (no gaps)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="letter_counter_unique")]

    def __str__(self):
        return f"{self.district_id} {self.year}: {self.last}"


class LetterReplyItem(models.Model):
    """The reply's line for one project: measures taken and the expected date."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目"))
    measures = models.TextField(_("整改措施"))
    expected_on = models.DateField(_("预计完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["letter_id", "id"]

    def __str__(self):
        return self.measures[:30]


class Task(models.Model):
    """督办事项: one thing a unit must answer and a manager closes (验收销号)."""

    class Source(models.TextChoices):
        REQUEST = "request", _("项目诉求")
        MEETING = "meeting", _("会议交办")
        LETTER = "letter", _("函件整改")
        MANAGER = "manager", _("领导交办")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        REPORTED = "reported", _("已报办结")
        CLOSED = "closed", _("已销号")

    class Category(models.TextChoices):
        LAND = "land", _("用地")
        PLANNING = "planning", _("规划")
        APPROVAL = "approval", _("审批")
        UTILITIES = "utilities", _("水电气讯")
        FINANCE = "finance", _("融资")
        LABOUR = "labour", _("用工")
        OTHER = "other", _("其他")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("项目")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("承办单位"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    category = models.CharField(_("诉求类别"), max_length=16, choices=Category.choices, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("会议")
    )
    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks", verbose_name=_("函件")
    )
    content = models.TextField(_("督办内容"))
    assigned_on = models.DateField(_("交办日期"))
    due_date = models.DateField(_("办结时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reported_on = models.DateField(_("报办结日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("销号人")
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("交办人")
    )
    legacy_request_id = models.PositiveIntegerField(_("原诉求编号"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="task_unit_status"),
            models.Index(fields=["district", "due_date"], name="task_district_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on=None)),
                name="task_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.content[:30]


class TaskStep(models.Model):
    """One step of a task's history, with who and when: never edited."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("交办")
        REPORTED = "reported", _("报送办理情况")
        CLOSED = "closed", _("验收销号")
        REJECTED = "rejected", _("退回重办")
        REASSIGNED = "reassigned", _("改派")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("环节"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("日期"))
    text = models.TextField(_("说明"), blank=True)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["task_id", "at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"
