"""The domain records: districts, units, parks, the industry tree, investors and projects.

A project's stage and milestone dates are *derived* from its stage events (pipeline app); they
are written only by pipeline.transitions, never typed in.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import EARLIEST_YEAR, LATEST_PLANNED_YEAR
from core.money import AREA_M2, AREA_MU, MONEY, NON_NEGATIVE
from projects.credit_code import validate_credit_code
from projects.lifecycle import DATE_FIELDS, Stage


class CodeManager(models.Manager):
    """Reference records are addressed by their code (fixtures, API)."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class NaturalKeyMixin:
    def natural_key(self):
        return (self.code,)


class District(NaturalKeyMixin, models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    short_code = models.CharField(
        _("项目编号前缀"),
        max_length=8,
        unique=True,
        help_text=_("用于生成项目编号，如 JLP。"),
        # Project codes are searched as ASCII text (projects.filters.PROJECT_CODE_CHARS).
        validators=[RegexValidator(r"^[A-Z0-9]+\Z", _("项目编号前缀只能由大写字母和数字组成。"))],
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Unit(NaturalKeyMixin, models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("行业主管部门")
        PARK_COMMITTEE = "park_committee", _("园区管委会")
        TOWN = "town", _("镇街")

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="units", verbose_name=_("区县")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["district__code", "code"]

    def __str__(self):
        return f"{self.name}（{self.district.name}）" if self.district_id else self.name


class Park(NaturalKeyMixin, models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="parks", verbose_name=_("区县")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["district__code", "code"]

    def __str__(self):
        return self.name


class IndustryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def subtree_ids(self, root) -> list[int]:
        """Ids of `root` and all its descendants (the tree is small: one query, walked here)."""
        root_id = root.pk if isinstance(root, Industry) else root
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Industry.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = [], [root_id]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(children.get(node, ()))
        return found


class Industry(NaturalKeyMixin, models.Model):
    """产业方向 → 产业集群: a tree; filtering by a node includes its descendants."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级产业"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = IndustryQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Investor(models.Model):
    name = models.CharField(_("投资主体名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，按 GB 32100 校验；境外主体可留空。"),
    )
    origin = models.CharField(_("来源地"), max_length=64, blank=True, help_text=_("如：北京市、香港、德国"))
    is_high_tech = models.BooleanField(_("高新技术企业"), default=False)
    is_foreign = models.BooleanField(_("外资企业"), default=False)
    is_listed = models.BooleanField(_("上市企业"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("投资主体")
        verbose_name_plural = _("投资主体")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="investor_credit_code_unique",
                violation_error_message=_("该统一社会信用代码已登记为其他投资主体。"),
            )
        ]

    def __str__(self):
        return self.name


class Source(models.TextChoices):
    EXHIBITION = "exhibition", _("展会活动")
    TOWN_LEAD = "town_lead", _("镇街线索")
    BY_BUSINESS = "by_business", _("以商招商")
    FUND = "fund", _("基金招商")
    SCENARIO = "scenario", _("场景招商")
    DIRECT = "direct", _("自主洽谈")
    OTHER = "other", _("其他")


class ProjectCodeSequence(models.Model):
    """The last project number issued per district and year; locked while a code is issued."""

    district = models.ForeignKey(District, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="project_code_sequence_unique")
        ]

    def __str__(self):
        return f"{self.district_id}-{self.year}: {self.last_value}"


class Project(models.Model):
    # --- identity and facts (editable) ---
    code = models.CharField(_("项目编号"), max_length=32, unique=True, editable=False)
    name = models.CharField(_("项目名称"), max_length=200)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="projects", verbose_name=_("区县")
    )
    investor = models.ForeignKey(
        Investor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("投资主体"),
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="projects", verbose_name=_("产业")
    )
    park = models.ForeignKey(
        Park,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("园区"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("责任单位")
    )
    lead_official = models.CharField(_("牵头领导"), max_length=64, blank=True)
    task_force = models.CharField(_("工作专班"), max_length=200, blank=True)
    source = models.CharField(_("招引渠道"), max_length=20, choices=Source.choices, default=Source.DIRECT)
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY, default=0, validators=NON_NEGATIVE)
    expected_output = models.DecimalField(
        _("预计年产值（万元）"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"), **AREA_MU, null=True, blank=True, validators=NON_NEGATIVE
    )
    building_area_m2 = models.DecimalField(
        _("建筑面积（平方米）"),
        **AREA_M2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    planned_sign_date = models.DateField(_("计划签约日期"), null=True, blank=True)
    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    planned_production_date = models.DateField(_("计划投产日期"), null=True, blank=True)
    description = models.TextField(_("项目简介"), blank=True)

    # --- derived from the stage events; written only by pipeline.transitions ---
    stage = models.CharField(
        _("阶段"), max_length=20, choices=Stage.choices, default=Stage.NEGOTIATING, editable=False
    )
    stage_since = models.DateField(_("进入本阶段日期"), editable=False)
    negotiation_started_on = models.DateField(_("开始洽谈日期"), editable=False)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True, editable=False)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True, editable=False)
    at_capacity_on = models.DateField(_("达产日期"), null=True, blank=True, editable=False)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True, editable=False)
    contract_investment = models.DecimalField(
        _("合同投资额（万元）"), **MONEY, null=True, blank=True, editable=False
    )

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["district", "stage"], name="project_district_stage"),
            models.Index(fields=["unit", "stage"], name="project_unit_stage"),
            models.Index(fields=["signed_on"], name="project_signed_on"),
            models.Index(fields=["started_on"], name="project_started_on"),
            models.Index(fields=["updated_at", "id"], name="project_updated"),
            # The stale rule (projects.overdue) as index range scans: stage + since / planned date.
            models.Index(fields=["stage", "stage_since"], name="project_stage_since"),
            models.Index(fields=["stage", "planned_production_date"], name="project_stage_planned_prod"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.unit_id and self.district_id and self.unit.district_id != self.district_id:
            errors["unit"] = _("责任单位不属于项目所在区县。")
        if self.park_id and self.district_id and self.park.district_id != self.district_id:
            errors["park"] = _("园区不属于项目所在区县。")
        for field in ("planned_sign_date", "planned_start_date", "planned_production_date"):
            day = getattr(self, field)
            if day and not EARLIEST_YEAR <= day.year <= LATEST_PLANNED_YEAR:
                errors[field] = _("计划日期应在 %(first)s 年至 %(last)s 年之间。") % {
                    "first": EARLIEST_YEAR,
                    "last": LATEST_PLANNED_YEAR,
                }
        if (
            self.planned_sign_date
            and self.planned_start_date
            and self.planned_start_date < self.planned_sign_date
        ):
            errors["planned_start_date"] = _("计划开工日期不能早于计划签约日期。")
        if (
            self.planned_start_date
            and self.planned_production_date
            and (self.planned_production_date < self.planned_start_date)
        ):
            errors["planned_production_date"] = _("计划投产日期不能早于计划开工日期。")
        if errors:
            raise ValidationError(errors)


# A project's facts — what people type and edit — in the groups the forms show them. The one
# list: the services accept exactly these, the API reads and writes them, the pages and the
# admin edit them, the change log records them.
PROJECT_FACT_GROUPS = (
    (None, ("name", "investor", "industry", "unit", "park", "source")),
    (_("规模"), ("total_investment", "expected_output", "land_area_mu", "building_area_m2")),
    (
        _("推进"),
        (
            "lead_official",
            "task_force",
            "planned_sign_date",
            "planned_start_date",
            "planned_production_date",
            "description",
        ),
    ),
)
PROJECT_FACTS: tuple[str, ...] = tuple(name for _title, names in PROJECT_FACT_GROUPS for name in names)
# Derived from the stage events and written only by pipeline.transitions (never typed in).
PROJECT_DERIVED: tuple[str, ...] = ("stage", "stage_since", *DATE_FIELDS.values(), "contract_investment")
